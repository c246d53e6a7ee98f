//! The graph that produced a value, drawn as an SVG picture: leaves on the left, each op one
//! column right of its deepest input, arrows along the data flow. No layout engine needed: the
//! graphs worth drawing by hand are small, and a column per depth keeps every arrow left to right.

use crate::real::Real;
use crate::var::Var;
use std::collections::HashMap;
use std::fmt::Write;

const BOX_W: usize = 150;
const BOX_H: usize = 46;
const COL_GAP: usize = 60;
const ROW_GAP: usize = 24;
const MARGIN: usize = 16;

/// One node's text: its name (if given), the op or leaf kind, and the value (scalars) or shape.
fn label<T: Real>(v: &Var<T>, names: &HashMap<usize, &str>) -> (String, String) {
    let kind = match (v.op_name(), v.requires_grad()) {
        ("leaf", true) => "param".to_string(),
        ("leaf", false) => "const".to_string(),
        (op, _) => op.to_string(),
    };
    let value = v.value();
    let detail = match value.item() {
        Ok(x) => format!("= {}", x.to_f64()),
        Err(_) => format!("{:?}", v.shape()),
    };
    match names.get(&v.id()) {
        Some(name) => (format!("{name}: {kind}"), detail),
        None => (kind, detail),
    }
}

/// The graph behind `root` as SVG text, with the given names on the nodes they belong to.
/// Call it before `backward()`, which frees the graph.
///
/// ```
/// use tessera_autograd::{to_svg, Var};
/// use tessera_tensor::Tensor;
/// let w = Var::param(Tensor::scalar(3.0f64));
/// let y = w.mul_scalar(2.0).abs();
/// let svg = to_svg(&y, &[("w", &w), ("y", &y)]);
/// assert!(svg.starts_with("<svg") && svg.contains("w: param") && svg.contains("y: abs"));
/// ```
pub fn to_svg<T: Real>(root: &Var<T>, names: &[(&str, &Var<T>)]) -> String {
    let names: HashMap<usize, &str> = names.iter().map(|(n, v)| (v.id(), *n)).collect();
    // Every node once, and its depth: 0 for leaves, one more than the deepest parent otherwise.
    let mut nodes: Vec<Var<T>> = Vec::new();
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut stack = vec![root.clone()];
    while let Some(v) = stack.pop() {
        if index.contains_key(&v.id()) {
            continue;
        }
        index.insert(v.id(), nodes.len());
        stack.extend(v.parents());
        nodes.push(v);
    }
    // Ids grow with creation, so parents always have smaller ids: one pass in id order settles depths.
    nodes.sort_by_key(|v| v.id());
    let position: HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, v)| (v.id(), i)).collect();
    let mut depth = vec![0usize; nodes.len()];
    for (i, v) in nodes.iter().enumerate() {
        depth[i] = v.parents().iter().map(|p| depth[position[&p.id()]] + 1).max().unwrap_or(0);
    }
    let mut row = vec![0usize; nodes.len()];
    let mut rows_in: HashMap<usize, usize> = HashMap::new();
    for i in 0..nodes.len() {
        let r = rows_in.entry(depth[i]).or_insert(0);
        row[i] = *r;
        *r += 1;
    }
    let xy = |i: usize| (MARGIN + depth[i] * (BOX_W + COL_GAP), MARGIN + row[i] * (BOX_H + ROW_GAP));
    let columns = depth.iter().max().map_or(1, |d| d + 1);
    let rows = rows_in.values().copied().max().unwrap_or(1);
    let (width, height) =
        (2 * MARGIN + columns * (BOX_W + COL_GAP) - COL_GAP, 2 * MARGIN + rows * (BOX_H + ROW_GAP) - ROW_GAP);

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="12">"#
    );
    s.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>"##);
    s.push('\n');
    let _ = writeln!(s, r#"<rect width="{width}" height="{height}" fill="white"/>"#);
    for (i, v) in nodes.iter().enumerate() {
        let (x2, y2) = xy(i);
        for p in v.parents() {
            let (x1, y1) = xy(position[&p.id()]);
            let _ = writeln!(
                s,
                r##"<line x1="{}" y1="{}" x2="{x2}" y2="{}" stroke="#555" marker-end="url(#arrow)"/>"##,
                x1 + BOX_W,
                y1 + BOX_H / 2,
                y2 + BOX_H / 2
            );
        }
    }
    for (i, v) in nodes.iter().enumerate() {
        let (x, y) = xy(i);
        let (title, detail) = label(v, &names);
        let fill = if v.op_name() == "leaf" { "#e8f0fe" } else { "#fef7e0" };
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="#333"/>"##
        );
        let cx = x + BOX_W / 2;
        let _ = writeln!(s, r#"<text x="{cx}" y="{}" text-anchor="middle">{title}</text>"#, y + 19);
        let _ = writeln!(s, r#"<text x="{cx}" y="{}" text-anchor="middle">{detail}</text>"#, y + 36);
    }
    s.push_str("</svg>\n");
    s
}
