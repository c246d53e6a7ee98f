//! Tensors from nested Rust arrays, and the `tensor!` literal macro.

use crate::dtype::Element;
use crate::tensor::Tensor;

/// A nested array (`[[T; N]; M]`, ...) whose leaves are elements of type `Elem`.
pub trait NestedArray {
    /// The leaf element type.
    type Elem: Element;
    /// Appends this value's shape (outermost first).
    fn push_shape(&self, shape: &mut Vec<usize>);
    /// Appends the leaves in row-major order.
    fn push_leaves(&self, out: &mut Vec<Self::Elem>);
}

macro_rules! leaf {
    ($($t:ty),*) => {$(
        impl NestedArray for $t {
            type Elem = $t;
            fn push_shape(&self, _: &mut Vec<usize>) {}
            fn push_leaves(&self, out: &mut Vec<$t>) { out.push(*self); }
        }
    )*};
}
leaf!(bool, u8, i32, i64, f32, f64);

impl<A: NestedArray, const N: usize> NestedArray for [A; N] {
    type Elem = A::Elem;
    fn push_shape(&self, shape: &mut Vec<usize>) {
        shape.push(N);
        if let Some(first) = self.first() {
            first.push_shape(shape);
        }
    }
    fn push_leaves(&self, out: &mut Vec<A::Elem>) {
        for a in self {
            a.push_leaves(out);
        }
    }
}

impl<A: NestedArray> From<A> for Tensor<A::Elem> {
    /// Rectangular by construction: Rust arrays cannot be ragged.
    fn from(a: A) -> Tensor<A::Elem> {
        let mut shape = Vec::new();
        a.push_shape(&mut shape);
        let mut data = Vec::new();
        a.push_leaves(&mut data);
        Tensor::from_vec(data, &shape).expect("nested arrays are rectangular")
    }
}

/// A tensor literal: `tensor![a, b, ...]` is `np.array([a, b, ...])`. For a 0-D tensor use
/// `Tensor::from(x)` or [`Tensor::scalar`].
///
/// ```
/// use tessera_tensor::{tensor, Tensor};
/// let t = tensor![[5u8, 78, 2], [34, 0, 6]];
/// assert_eq!(t.shape(), &[2, 3]);
/// assert_eq!(tensor![[1, 2]].shape(), &[1, 2]);
/// assert_eq!(Tensor::from(12.5f32).ndim(), 0);
/// ```
#[macro_export]
macro_rules! tensor {
    ($($x:expr),+ $(,)?) => { $crate::tensor::Tensor::from([$($x),+]) };
}
