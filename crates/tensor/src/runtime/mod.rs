//! What the kernels share at run time: output buffers sized and allocated fallibly (`alloc.rs`),
//! and the rayon workers a training loop keeps warm between parallel regions ([`warm`]).

pub(crate) mod alloc;
pub mod warm;
