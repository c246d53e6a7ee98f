//! # tessera-tensor: strided N-D tensors with hand-written kernels
//!
//! Modules in the order data flows through them:
//!
//! | module | what it holds |
//! |---|---|
//! | [`error`] | `TensorError`: every failure names the op and the shapes |
//! | [`dtype`] | element types, NumPy dtype names, `astype` casts |
//! | [`shape`] | element counts, row-major strides, axis normalisation |
//! | [`layout`] | `Layout { shape, strides, offset }` and its invariants |
//! | [`slice`](mod@slice), [`broadcast`], [`reshape`] | view arithmetic on layouts (`s!`, stride 0, reshape-as-view) |
//! | [`strided_iter`] | the one strided walker kernels reuse |
//! | [`tensor`](mod@tensor), [`views`], [`create`], [`random`] | `Tensor<T>`: storage + layout, views, constructors |
//! | [`join`] | concatenate / stack / split |
//! | [`ops`] | element-wise ops, broadcasting, reductions, softmax (kernel tiers) |
//! | [`gemm`] | GEMM tiers, naive to packed SIMD micro-kernel to parallel |
//! | [`linalg`] | `dot` and `matmul` with NumPy semantics, on top of `gemm` |
//! | [`display`], [`explain`] | NumPy-style printing and a layout explainer |
//!
//! ```
//! use tessera_tensor::{s, Tensor};
//! let x = Tensor::<f32>::arange(12).reshape(&[3, 4]).unwrap();
//! let v = x.slice(&s![1.., ..;2]).unwrap(); // rows 1.., every other column
//! assert_eq!(v.to_vec(), vec![4.0, 6.0, 8.0, 10.0]);
//! assert!(v.shares_storage(&x));
//! ```
#![warn(missing_docs)]

mod alloc;
pub mod broadcast;
pub mod create;
pub mod display;
pub mod dtype;
pub mod error;
pub mod explain;
pub mod gemm;
pub mod join;
pub mod layout;
pub mod linalg;
mod linear;
pub mod literal;
pub mod ops;
pub mod random;
pub mod reshape;
pub mod shape;
pub mod slice;
pub mod strided_iter;
pub mod tensor;
pub mod views;
pub mod warm;

pub use broadcast::broadcast_shapes;
pub use display::ShapeTuple;
pub use dtype::{AsType, DType, Element};
pub use error::{Result, TensorError};
pub use join::{concatenate, stack};
pub use layout::Layout;
pub use random::Rng;
pub use slice::{NEW_AXIS, SliceArg};
pub use tensor::Tensor;
