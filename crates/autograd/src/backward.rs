//! The reverse walk: order the graph so every node comes after its parents (topological), then
//! visit it backwards, turning each node's gradient into its parents' with the op's rule and
//! accumulating where a value was used more than once. Leaves keep their gradient (and add to
//! it on later calls); the graph's links are dropped afterwards so its memory is freed.

use crate::error::{AutogradError, Result};
use crate::real::Real;
use crate::var::Var;
use std::collections::{HashMap, HashSet};
use tessera_tensor::Tensor;

/// Every node reachable from `root` that needs a gradient, parents before children.
fn topological<T: Real>(root: &Var<T>) -> Vec<Var<T>> {
    let mut order = Vec::new();
    let mut seen = HashSet::new();
    // Iterative DFS (deep graphs would overflow a recursive one): (node, children pushed?).
    let mut stack = vec![(root.clone(), false)];
    while let Some((v, expanded)) = stack.pop() {
        if expanded {
            order.push(v);
            continue;
        }
        if !v.requires_grad() || !seen.insert(v.id()) {
            continue;
        }
        stack.push((v.clone(), true));
        for p in v.0.parents.borrow().iter() {
            if p.requires_grad() && !seen.contains(&p.id()) {
                stack.push((p.clone(), false));
            }
        }
    }
    order
}

fn accumulate<T: Real>(slot: Option<Tensor<T>>, g: Tensor<T>) -> Result<Tensor<T>> {
    Ok(match slot {
        None => g.to_contiguous(),
        Some(mut acc) => {
            acc.add_assign_t(&g)?;
            acc
        }
    })
}

impl<T: Real> Var<T> {
    /// Back-propagates from a scalar (any shape with one element), seeding `∂L/∂L = 1`.
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// use tessera_tensor::Tensor;
    /// // f(x) = x² + 3x at x = 2: f' = 2x + 3 = 7
    /// let x = Var::param(Tensor::scalar(2.0f64));
    /// let f = x.mul(&x).unwrap().add(&x.mul_scalar(3.0)).unwrap();
    /// f.backward().unwrap();
    /// assert_eq!(x.grad().unwrap().item().unwrap(), 7.0);
    /// ```
    pub fn backward(&self) -> Result<()> {
        let v = self.value();
        if v.size() != 1 {
            return Err(AutogradError::NonScalarBackward { shape: v.shape().to_vec() });
        }
        self.backward_with(Tensor::ones(v.shape()))
    }

    /// Back-propagates an explicit upstream gradient of the output's shape.
    pub fn backward_with(&self, grad: Tensor<T>) -> Result<()> {
        let shape = self.shape();
        if grad.shape() != shape.as_slice() {
            return Err(AutogradError::GradShape { expected: shape, got: grad.shape().to_vec() });
        }
        let order = topological(self);
        let mut grads: HashMap<usize, Tensor<T>> = HashMap::new();
        grads.insert(self.id(), grad);
        for node in order.iter().rev() {
            let Some(g) = grads.remove(&node.id()) else { continue };
            let parents = node.0.parents.borrow().clone();
            if node.op_name() == "leaf" {
                let slot = node.0.grad.borrow_mut().take();
                *node.0.grad.borrow_mut() = Some(accumulate(slot, g)?);
                continue;
            }
            if parents.is_empty() {
                return Err(AutogradError::GraphFreed { op: node.op_name() });
            }
            let values: Vec<Tensor<T>> = parents.iter().map(|p| p.value()).collect();
            let y = node.value();
            let needs: Vec<bool> = parents.iter().map(|p| p.requires_grad()).collect();
            // On a timeline (`tessera_tensor::runtime::trace`), each node's rule is a span named
            // for its op.
            let rule = tessera_tensor::runtime::trace::span(node.op_name());
            let pgrads = node.0.op.backward(&y, &values, &g, &needs)?;
            drop(rule);
            for (p, pg) in parents.iter().zip(pgrads) {
                if p.requires_grad() {
                    let slot = grads.remove(&p.id());
                    grads.insert(p.id(), accumulate(slot, pg)?);
                }
            }
        }
        // Free the graph: interior nodes drop their parents (and with them saved values).
        for node in &order {
            if node.op_name() != "leaf" {
                node.0.parents.borrow_mut().clear();
            }
        }
        Ok(())
    }
}
