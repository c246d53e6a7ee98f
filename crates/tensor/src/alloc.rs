//! Output buffers for kernels.
//!
//! A large zero-filled `Vec` comes straight from the OS as untouched zero pages, so filling it costs
//! one page fault per 4 KiB: about 10,000 faults, several milliseconds, for a 40 MB result. Like
//! NumPy (which does this for arrays of 4 MiB and more), Tessera asks Linux for transparent huge
//! pages on such buffers, so the first writes fault in 2 MiB at a time instead.
//!
//! A smaller buffer is recycled heap memory, which `calloc` must clear with a `memset` pass before
//! the kernel overwrites it (a 256 KiB MNIST activation: a third of an add's time). Kernels that
//! write every element take it uninitialised instead ([`written_by`]).

use crate::dtype::Element;

/// Buffers at least this large ask for huge pages.
const HUGE_MIN_BYTES: usize = 4 << 20;

/// `n` zeros, ready to be overwritten by a kernel.
pub(crate) fn zeroed<T: Element>(n: usize) -> Vec<T> {
    let v = vec![T::ZERO; n];
    if n * std::mem::size_of::<T>() >= HUGE_MIN_BYTES {
        advise_huge_pages(v.as_ptr() as usize, n * std::mem::size_of::<T>());
    }
    v
}

/// A buffer of `n` elements filled by `fill`, which receives its start.
///
/// Large buffers come from [`zeroed`] (free zero pages, huge-page advice); smaller ones are
/// allocated without clearing, since `fill` overwrites them anyway.
///
/// # Safety
/// `fill` writes all `n` elements (through the pointer, never reading them first) before it
/// returns.
pub(crate) unsafe fn written_by<T: Element>(n: usize, fill: impl FnOnce(*mut T)) -> Vec<T> {
    if n * std::mem::size_of::<T>() >= HUGE_MIN_BYTES {
        let mut v = zeroed(n);
        fill(v.as_mut_ptr());
        return v;
    }
    let mut v = Vec::with_capacity(n);
    fill(v.as_mut_ptr());
    // SAFETY: capacity is n, and `fill` initialised all n elements (caller's contract).
    unsafe { v.set_len(n) };
    v
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(addr: usize, len: usize) {
    const PAGE: usize = 4096;
    let start = addr.next_multiple_of(PAGE);
    let end = (addr + len) / PAGE * PAGE;
    if end > start {
        // SAFETY: [start, end) is page-aligned and lies inside the live allocation we were given;
        // MADV_HUGEPAGE only changes how future faults are served, never the contents, and the
        // return value is ignored because failing to get huge pages is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_addr: usize, _len: usize) {}
