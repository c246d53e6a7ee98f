//! # tessera-tensor: strided N-D tensors with hand-written kernels
//!
//! Folders in the order data flows through them:
//!
//! | module | what it holds |
//! |---|---|
//! | [`error`], [`dtype`] | `TensorError` (every failure names the op and the shapes); the element traits (`Element`: what a tensor holds, `NumElement`: arithmetic, `FloatElement`: float math), NumPy dtype names, `astype` casts |
//! | [`layout`] | `Layout { shape, strides, offset }` and the view arithmetic on it: [`layout::shape`], [`layout::slice`] (`s!`), [`layout::broadcast`] (stride 0), [`layout::reshape`] (reshape-as-view), [`layout::strided_iter`] (the walker kernels reuse) |
//! | [`tensor`](mod@tensor) | `Tensor<T>`: storage + layout; [`tensor::views`], [`tensor::create`], [`tensor::random`], [`tensor::join`], [`tensor::literal`], NumPy-style printing ([`tensor::display`]), the layout explainer ([`tensor::explain`]) |
//! | [`ops`] | element-wise ops, broadcasting, reductions, softmax (kernel tiers) |
//! | [`gemm`] | GEMM tiers, naive to packed SIMD micro-kernel to parallel |
//! | [`linalg`] | `dot`, `matmul` and `linear` with NumPy semantics, on top of `gemm` |
//! | [`simd`] | the CPU's vector instructions, chosen once at run time: the `Isa` tiers, the vector traits every kernel is written against |
//! | [`runtime`] | what the kernels share at run time: output buffers, the rayon workers kept warm |
//!
//! ```
//! use tessera_tensor::{s, Tensor};
//! let x = Tensor::<f32>::arange(12).reshape(&[3, 4]).unwrap();
//! let v = x.slice(&s![1.., ..;2]).unwrap(); // rows 1.., every other column
//! assert_eq!(v.to_vec(), vec![4.0, 6.0, 8.0, 10.0]);
//! assert!(v.shares_storage(&x));
//! ```
#![warn(missing_docs)]
// The element-wise SIMD entries (`simd::lanes`, `ops::run_isa`) are instantiated for x86-64 and
// aarch64 only; on other targets (wasm32: the browser lab) the portable loops run and those
// generic bodies go unused.
#![cfg_attr(
    not(any(target_arch = "x86_64", target_arch = "aarch64")),
    allow(dead_code, unused_imports, unused_macros, unused_variables)
)]

pub mod dtype;
pub mod error;
pub mod gemm;
pub mod layout;
pub mod linalg;
pub mod ops;
pub mod runtime;
pub mod simd;
pub mod tensor;

pub use dtype::{AsType, DType, Element};
pub use error::{Result, TensorError};
pub use layout::Layout;
pub use layout::broadcast::broadcast_shapes;
pub use layout::slice::{NEW_AXIS, SliceArg};
pub use tensor::Tensor;
pub use tensor::display::ShapeTuple;
pub use tensor::join::{concatenate, stack};
pub use tensor::random::Rng;
