//! What the fuzz targets share: reading the fuzzer's bytes as a stream of choices, and the
//! programs whose corpora also replay as stable tests.

pub mod programs;

/// The fuzzer's bytes, read front to back (zeros once they run out, so every input is a case).
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// The next byte, or 0.
    pub fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }
}
