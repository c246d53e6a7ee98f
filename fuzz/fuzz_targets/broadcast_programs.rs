//! Chains of views (broadcasts to huge axes, extreme slices) feeding allocating ops: see
//! `tessera_fuzz::programs::broadcast_program`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| tessera_fuzz::programs::broadcast_program(bytes));
