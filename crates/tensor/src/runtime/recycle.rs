//! Large freed buffers kept for the next result of the same size.
//!
//! A loop that allocates a large result and drops it (`c = a.matmul(&b)`, `z = &x + &y`) would
//! otherwise get fresh pages from the OS on every call: the allocator returns a freed block of
//! several MiB to the system, and the next one is faulted in again, page by page (1,024 faults
//! for a 4 MiB result). Tensor storage (`Storage`) hands a buffer of at least 4 MiB back
//! here when the last tensor using it drops; the next request for exactly that many bytes gets
//! it without a fault. Only sizes that were asked for at least twice are kept (a loop's results,
//! not a one-off like a data set's staging copy, which would only raise the peak memory). At
//! most [`KEEP_BUFFERS`] buffers and [`KEEP_BYTES`] are kept; anything beyond goes back to the
//! allocator, and [`release_cached_buffers`] empties the cache.

use std::ptr::NonNull;
use std::sync::{Mutex, MutexGuard};

/// Buffers kept at most.
pub const KEEP_BUFFERS: usize = 4;
/// Bytes kept at most.
pub const KEEP_BYTES: usize = 64 << 20;
/// Smaller buffers go straight back to the allocator (it keeps those itself).
const MIN_BYTES: usize = 4 << 20;

/// A freed allocation: `bytes` bytes aligned to `align`, from the global allocator.
struct Freed {
    ptr: NonNull<u8>,
    bytes: usize,
    align: usize,
}

// SAFETY: a `Freed` is an allocation nobody references any more; any thread may reuse or free it.
unsafe impl Send for Freed {}

/// The kept buffers, and the large sizes asked for lately ((bytes, align), how many times).
struct Cache {
    kept: Vec<Freed>,
    asked: Vec<((usize, usize), u32)>,
}

/// Sizes remembered (a new one replaces the least asked-for).
const SIZES: usize = 8;

static CACHE: Mutex<Cache> = Mutex::new(Cache { kept: Vec::new(), asked: Vec::new() });

fn cache() -> MutexGuard<'static, Cache> {
    // The cache holds no invariant a panic could break half-way: ignore poisoning.
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    /// Counts one request for `key`.
    fn ask(&mut self, key: (usize, usize)) {
        if let Some(e) = self.asked.iter_mut().find(|e| e.0 == key) {
            e.1 = e.1.saturating_add(1);
        } else if self.asked.len() < SIZES {
            self.asked.push((key, 1));
        } else if let Some(e) = self.asked.iter_mut().min_by_key(|e| e.1) {
            *e = (key, 1);
        }
    }
    /// True when `key` was asked for more than once.
    fn repeats(&self, key: (usize, usize)) -> bool {
        self.asked.iter().any(|e| e.0 == key && e.1 >= 2)
    }
}

/// A kept buffer with room for exactly `n` elements of `T` (length 0, contents unspecified), if
/// one of that byte size and alignment is cached.
pub(crate) fn take<T>(n: usize) -> Option<Vec<T>> {
    let (size, align) = (std::mem::size_of::<T>(), std::mem::align_of::<T>());
    let bytes = n.checked_mul(size)?;
    if size == 0 || bytes < MIN_BYTES {
        return None;
    }
    let mut cache = cache();
    cache.ask((bytes, align));
    let i = cache.kept.iter().rposition(|f| f.bytes == bytes && f.align == align)?;
    let f = cache.kept.swap_remove(i);
    // SAFETY: `f` came from a `Vec` whose allocation was `bytes` bytes aligned to `align`
    // (`give_back`), which is `Layout::array::<T>(n)`: a `Vec<T>` of capacity n frees it with
    // the same layout. Length 0: no element is claimed initialised.
    Some(unsafe { Vec::from_raw_parts(f.ptr.as_ptr().cast::<T>(), 0, n) })
}

/// Keeps `v`'s allocation for [`take`] when it is large and there is room; frees it otherwise.
pub(crate) fn give_back<T>(mut v: Vec<T>) {
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if !(MIN_BYTES..=KEEP_BYTES).contains(&bytes) || std::mem::needs_drop::<T>() {
        return;
    }
    let align = std::mem::align_of::<T>();
    let mut cache = cache();
    let kept: usize = cache.kept.iter().map(|f| f.bytes).sum();
    if !cache.repeats((bytes, align)) || cache.kept.len() >= KEEP_BUFFERS || kept + bytes > KEEP_BYTES {
        return;
    }
    // Elements need no drop (checked above): forget them, keep the allocation.
    // SAFETY: 0 <= capacity.
    unsafe { v.set_len(0) };
    let mut v = std::mem::ManuallyDrop::new(v);
    let ptr = NonNull::new(v.as_mut_ptr().cast::<u8>()).expect("a Vec with capacity has a real pointer");
    cache.kept.push(Freed { ptr, bytes, align });
}

/// Frees every kept buffer (the memory goes back to the allocator).
pub fn release_cached_buffers() {
    let freed = std::mem::take(&mut cache().kept);
    for f in freed {
        let layout = std::alloc::Layout::from_size_align(f.bytes, f.align).expect("a layout a Vec had");
        // SAFETY: the allocation was made by the global allocator with exactly this layout (a
        // `Vec`'s capacity times its element size, at its element alignment) and nothing uses it.
        unsafe { std::alloc::dealloc(f.ptr.as_ptr(), layout) };
    }
}

/// Bytes held in the cache now.
pub fn cached_bytes() -> usize {
    cache().kept.iter().map(|f| f.bytes).sum()
}

/// A tensor's buffer: a `Vec` that, dropped, offers its allocation to the cache.
#[derive(Clone, Debug, Default)]
pub(crate) struct Storage<T>(Vec<T>);

impl<T> Storage<T> {
    pub(crate) fn new(v: Vec<T>) -> Storage<T> {
        Storage(v)
    }
    /// The `Vec`, which then frees normally.
    pub(crate) fn into_vec(mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }
}

impl<T> std::ops::Deref for Storage<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Storage<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> Drop for Storage<T> {
    fn drop(&mut self) {
        give_back(std::mem::take(&mut self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_buffer_comes_back_for_the_same_size_only() {
        let n = (8 << 20) / 4 + 16; // a size no other test allocates
        let v = vec![1.5f32; n];
        assert!(take::<f32>(n).is_none(), "nothing kept yet");
        drop(Storage::new(v));
        assert!(take::<f32>(n).is_none(), "asked for once only: not kept");
        let v = vec![1.5f32; n];
        let p2 = v.as_ptr() as usize;
        drop(Storage::new(v));
        assert!(take::<f32>(n + 1).is_none(), "another size");
        assert!(take::<f64>(n / 2).is_none(), "another alignment");
        let w = take::<f32>(n).expect("kept");
        assert_eq!((w.as_ptr() as usize, w.len(), w.capacity()), (p2, 0, n));
        drop(w); // a plain Vec frees normally
        let small = Storage::new(vec![0u8; 1000]);
        drop(small);
        assert!(take::<u8>(1000).is_none());
        release_cached_buffers();
    }
}
