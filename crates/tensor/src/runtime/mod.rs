//! What the kernels share at run time: output buffers sized and allocated fallibly (`alloc.rs`),
//! large freed buffers kept for the next result of their size ([`recycle`]), the parallel
//! regions' fork and wait ([`fork`]), the rayon workers a training loop keeps warm between
//! parallel regions ([`warm`]), and a timeline of what each thread runs ([`trace`]).

pub(crate) mod alloc;
pub mod fork;
pub mod recycle;
pub mod trace;
pub mod warm;
