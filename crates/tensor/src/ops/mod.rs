//! Element-wise ops, broadcasting and reductions, as a ladder of kernels that are all kept:
//!
//! | tier | where | what |
//! |---|---|---|
//! | naive | [`naive`] | the book's loops and index-by-index oracles |
//! | strided walker | [`walk`] + [`crate::layout::strided_iter`] | one walk, fast path chosen per run by inner strides |
//! | SIMD | [`crate::dtype`] (the element traits), `element_impls.rs`, `run_isa.rs`, `lanes.rs`, [`simd_math`], [`simd_exp`], `fold.rs` | each ISA's vectors ([`crate::simd`]) over contiguous and broadcast runs, chosen at run time |
//! | parallel | [`walk`] | rayon above [`walk::PARALLEL_MIN_ELEMENTS`] |
//! | streaming stores | [`stream`] | long outputs bypass the caches |
//!
//! Public entry points are methods on `Tensor` ([`binary`], [`unary`], [`inplace`], [`reduce`],
//! [`softmax`]) and the operators in [`operators`].

pub mod arith;
pub mod binary;
mod element_impls;
mod fold;
pub mod inplace;
mod lanes;
pub mod naive;
pub mod operators;
pub mod reduce;
mod relu_grad;
mod run_isa;
pub mod simd_exp;
pub mod simd_math;
mod simd_tanh;
pub mod softmax;
mod softmax_rows;
pub mod stream;
pub mod unary;
pub mod unary_float;
pub mod walk;

pub use crate::dtype::{FloatElement, NumElement};
pub use arith::{Arith, Store};
pub use binary::where_;
pub use naive::{
    naive_add, naive_add_matrix_and_vector, naive_map, naive_matrix_dot, naive_matrix_vector_dot, naive_relu,
    naive_vector_dot, naive_zip,
};
pub use reduce::Reduce;
pub use unary_float::UnaryFloat;
