//! Graphviz DOT export of a graph, for teaching: one box per op (with its output shape), one
//! ellipse per leaf, edges labelled with the shape that flows along them.

use crate::real::Real;
use crate::var::Var;
use std::collections::HashSet;
use std::fmt::Write;

/// The graph that produced `root`, as DOT text (`dot -Tpng graph.dot -o graph.png`).
///
/// ```
/// use tessera_autograd::{to_dot, Var};
/// use tessera_tensor::tensor;
/// let x = Var::param(tensor![1.0f32, 2.0]);
/// let y = x.relu().sum_all().unwrap();
/// let dot = to_dot(&y);
/// assert!(dot.contains("relu") && dot.contains("sum") && dot.contains("->"));
/// ```
pub fn to_dot<T: Real>(root: &Var<T>) -> String {
    let mut s = String::from("digraph tessera {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n");
    let mut seen = HashSet::new();
    let mut stack = vec![root.clone()];
    while let Some(v) = stack.pop() {
        if !seen.insert(v.id()) {
            continue;
        }
        let shape = format!("{:?}", v.shape());
        let (label, style) = if v.op_name() == "leaf" {
            (format!("{}{}", if v.requires_grad() { "param " } else { "const " }, shape), "ellipse")
        } else {
            (format!("{}\\n{}", v.op_name(), shape), "box")
        };
        let _ = writeln!(s, "  n{} [label=\"{label}\", shape={style}];", v.id());
        for p in v.parents() {
            let _ = writeln!(s, "  n{} -> n{} [label=\"{:?}\"];", p.id(), v.id(), p.shape());
            stack.push(p);
        }
    }
    s.push_str("}\n");
    s
}
