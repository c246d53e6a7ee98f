//! The GEMM's packing buffers and the depth split's scratch C, kept per thread between calls.
//!
//! Why: a product of the MNIST forward's size needs ~0.9 MB of them per thread and call. Freed
//! to the allocator at the end of each call, that much memory at the top of a thread's heap
//! makes glibc give it back to the OS (its trim threshold follows the sizes it has seen), and
//! the next call faults every page in again: 77,000 page faults in a few seconds of
//! `tessera bench gemm --only fwd1`, against 1,600 with the buffers kept. Each thread keeps a
//! few buffers ([`KEEP`], at most [`KEEP_BYTES`] in all) and hands them out again; contents are
//! never read before the GEMM writes them, so reuse changes nothing but the time.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::mem::MaybeUninit;

/// Buffers kept per thread.
const KEEP: usize = 8;

/// Every buffer starts on a 64-byte line: a vector load from a packed panel then never spans
/// two lines (the allocator aligns large blocks to 16 bytes only).
const ALIGN_WORDS: usize = 8;
/// Bytes kept per thread, at most (a larger buffer goes back to the allocator).
const KEEP_BYTES: usize = 16 << 20;

thread_local! {
    /// This thread's spare buffers, as 8-byte words (aligned for any GEMM scalar).
    static SPARE: RefCell<Vec<Vec<u64>>> = const { RefCell::new(Vec::new()) };
}

/// `len` uninitialised `T`s for as long as the value lives, then kept for the thread's next call.
pub(crate) struct Buffer<T> {
    words: Vec<u64>,
    /// The first word on a 64-byte boundary.
    start: usize,
    len: usize,
    _elements: PhantomData<T>,
}

impl<T> Buffer<T> {
    /// Room for `len` elements: a spare of this thread's that is large enough, else a new one.
    pub(crate) fn take(len: usize) -> Buffer<T> {
        const { assert!(std::mem::align_of::<T>() <= 8, "the words align up to 8 bytes") };
        let words =
            len.checked_mul(std::mem::size_of::<T>()).expect("a buffer's size fits usize").div_ceil(8)
                + ALIGN_WORDS
                - 1;
        let spare = SPARE
            .try_with(|spares| {
                let mut spares = spares.borrow_mut();
                let at = spares.iter().position(|s| s.capacity() >= words)?;
                Some(spares.swap_remove(at))
            })
            .ok()
            .flatten();
        let words = spare.unwrap_or_else(|| Vec::with_capacity(words));
        let start = words.as_ptr().align_offset(ALIGN_WORDS * 8).min(ALIGN_WORDS - 1);
        Buffer { words, start, len, _elements: PhantomData }
    }
}

impl<T> std::ops::Deref for Buffer<T> {
    type Target = [MaybeUninit<T>];
    fn deref(&self) -> &[MaybeUninit<T>] {
        // SAFETY: the words' capacity holds at least len·size_of::<T>() bytes after `start`
        // (`take` asked for ALIGN_WORDS - 1 more, and start < ALIGN_WORDS), aligned to 8 >=
        // align_of::<T>(); `MaybeUninit` asks nothing of the bytes.
        unsafe {
            std::slice::from_raw_parts(self.words.as_ptr().add(self.start) as *const MaybeUninit<T>, self.len)
        }
    }
}

impl<T> std::ops::DerefMut for Buffer<T> {
    fn deref_mut(&mut self) -> &mut [MaybeUninit<T>] {
        // SAFETY: as in `deref`, and `self` is borrowed exclusively.
        unsafe {
            std::slice::from_raw_parts_mut(
                self.words.as_mut_ptr().add(self.start) as *mut MaybeUninit<T>,
                self.len,
            )
        }
    }
}

impl<T> Drop for Buffer<T> {
    fn drop(&mut self) {
        let words = std::mem::take(&mut self.words);
        let bytes = words.capacity() * 8;
        // During thread exit the spares may be gone already: the buffer is then simply freed.
        let _ = SPARE.try_with(|spares| {
            let mut spares = spares.borrow_mut();
            let kept: usize = spares.iter().map(|s| s.capacity() * 8).sum();
            if spares.len() < KEEP && kept + bytes <= KEEP_BYTES {
                spares.push(words);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Buffer;

    #[test]
    fn buffers_come_back_to_the_same_thread() {
        let first = Buffer::<f32>::take(1000);
        let at = first.as_ptr();
        assert_eq!(first.len(), 1000);
        drop(first);
        // A smaller request reuses the kept buffer; both live at once get different ones.
        let (a, b) = (Buffer::<f64>::take(300), Buffer::<f32>::take(10));
        assert_eq!(a.as_ptr() as *const u8, at as *const u8);
        assert_ne!(b.as_ptr() as *const u8, at as *const u8);
        assert_eq!((a.len(), b.len()), (300, 10));
        let empty = Buffer::<f32>::take(0);
        assert!(empty.is_empty());
    }
}
