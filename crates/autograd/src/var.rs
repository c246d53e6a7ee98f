//! `Var`: a tensor that remembers how it was made. Each operation on `Var`s runs the forward
//! kernel now (define-by-run) and records a node: the op, its parents, and the output value that
//! backward rules reuse.

use crate::op::Op;
use crate::real::Real;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use tessera_tensor::Tensor;

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static NO_GRAD_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// A node's mutable part. A read-write lock, so that a model (and the graph being built) can
/// move to a worker thread: `fit` runs inside a rayon pool. Only one thread uses a graph at a
/// time, so the lock is never contended; a panic while it was held does not poison the value.
pub(crate) struct Shared<U>(RwLock<U>);

impl<U> Shared<U> {
    pub(crate) fn new(value: U) -> Shared<U> {
        Shared(RwLock::new(value))
    }
    pub(crate) fn borrow(&self) -> RwLockReadGuard<'_, U> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    pub(crate) fn borrow_mut(&self) -> RwLockWriteGuard<'_, U> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// One node of the graph.
pub(crate) struct Node<T: Real> {
    pub(crate) id: usize,
    pub(crate) value: Shared<Tensor<T>>,
    pub(crate) op: Op<T>,
    /// Inputs of `op`; emptied after `backward` so the graph's memory is released.
    pub(crate) parents: Shared<Vec<Var<T>>>,
    pub(crate) requires_grad: bool,
    /// Accumulated gradient (leaves only).
    pub(crate) grad: Shared<Option<Tensor<T>>>,
}

/// A differentiable value: a tensor plus its place in the graph. Cloning is cheap (shared node).
/// `Send` and `Sync`, so a model can be trained on a pool's thread.
pub struct Var<T: Real>(pub(crate) Arc<Node<T>>);

impl<T: Real> Clone for Var<T> {
    fn clone(&self) -> Self {
        Var(Arc::clone(&self.0))
    }
}

impl<T: Real> std::fmt::Debug for Var<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Var(op={}, value={:?}, requires_grad={})",
            self.0.op.name(),
            self.0.value.borrow(),
            self.0.requires_grad
        )
    }
}

/// Runs `f` with gradient recording off: results are constants with no parents.
///
/// ```
/// use tessera_autograd::{no_grad, Var};
/// let w = Var::param(tessera_tensor::tensor![1.0f64, 2.0]);
/// let y = no_grad(|| w.mul_scalar(3.0));
/// assert!(!y.requires_grad());
/// ```
pub fn no_grad<R>(f: impl FnOnce() -> R) -> R {
    struct Guard;
    impl Drop for Guard {
        fn drop(&mut self) {
            NO_GRAD_DEPTH.with(|d| d.set(d.get() - 1));
        }
    }
    NO_GRAD_DEPTH.with(|d| d.set(d.get() + 1));
    let _guard = Guard;
    f()
}

/// True inside [`no_grad`].
pub fn is_no_grad() -> bool {
    NO_GRAD_DEPTH.with(|d| d.get() > 0)
}

impl<T: Real> Var<T> {
    fn leaf(value: Tensor<T>, requires_grad: bool) -> Var<T> {
        Var(Arc::new(Node {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            value: Shared::new(value),
            op: Op::Leaf,
            parents: Shared::new(Vec::new()),
            requires_grad,
            grad: Shared::new(None),
        }))
    }

    /// A trainable leaf: gradients flow into it and accumulate in [`Var::grad`].
    pub fn param(value: Tensor<T>) -> Var<T> {
        Var::leaf(value, true)
    }

    /// A constant leaf (inputs, labels): no gradient is computed for it.
    pub fn constant(value: Tensor<T>) -> Var<T> {
        Var::leaf(value, false)
    }

    /// A node produced by `op` from `parents`. Records the graph only when some parent needs a
    /// gradient and recording is on; otherwise the result is a plain constant.
    pub(crate) fn from_op(value: Tensor<T>, op: Op<T>, parents: Vec<Var<T>>) -> Var<T> {
        let requires_grad = !is_no_grad() && parents.iter().any(|p| p.0.requires_grad);
        if !requires_grad {
            return Var::constant(value);
        }
        Var(Arc::new(Node {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            value: Shared::new(value),
            op,
            parents: Shared::new(parents),
            requires_grad,
            grad: Shared::new(None),
        }))
    }

    /// The value (a cheap, storage-sharing clone).
    pub fn value(&self) -> Tensor<T> {
        self.0.value.borrow().clone()
    }

    /// Shape of the value.
    pub fn shape(&self) -> Vec<usize> {
        self.0.value.borrow().shape().to_vec()
    }

    /// Whether gradients flow into this value.
    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad
    }

    /// The accumulated gradient of a leaf (`None` before any backward reached it).
    pub fn grad(&self) -> Option<Tensor<T>> {
        self.0.grad.borrow().clone()
    }

    /// Clears the accumulated gradient.
    pub fn zero_grad(&self) {
        *self.0.grad.borrow_mut() = None;
    }

    /// Changes a leaf's value in place (optimizer steps), keeping its identity and gradient.
    /// Writes into the value's own storage when nothing else shares it (after `backward` has
    /// freed the graph, nothing does). Like PyTorch, do not update a value that a graph still
    /// waiting for `backward` used.
    ///
    /// ```
    /// use tessera_autograd::Var;
    /// let w = Var::param(tessera_tensor::tensor![1.0f32, 2.0]);
    /// w.update(|v| *v -= 0.5);
    /// assert_eq!(w.value().to_vec(), vec![0.5, 1.5]);
    /// ```
    pub fn update(&self, f: impl FnOnce(&mut Tensor<T>)) {
        f(&mut self.0.value.borrow_mut());
    }

    /// Replaces a leaf's value.
    pub fn set_value(&self, v: Tensor<T>) {
        *self.0.value.borrow_mut() = v;
    }

    /// A new leaf with the same value and no history (PyTorch's `detach`).
    pub fn detach(&self) -> Var<T> {
        Var::constant(self.value())
    }

    /// Unique id of the node (used by the backward walk and DOT export).
    pub fn id(&self) -> usize {
        self.0.id
    }

    /// Name of the op that produced this value (`"leaf"` for inputs).
    pub fn op_name(&self) -> &'static str {
        self.0.op.name()
    }

    /// The parents of this node (empty for leaves and after `backward` freed the graph).
    pub fn parents(&self) -> Vec<Var<T>> {
        self.0.parents.borrow().clone()
    }
}
