//! Output buffers for kernels, sized from shapes and allocated fallibly.
//!
//! Every buffer is sized by [`output_len`]: the element count and the byte size of the shape must
//! fit in `isize` (Layout invariant 4), checked in every build, so a shape whose product wraps can
//! never produce a buffer smaller than the kernel writes. Memory that cannot be had is an error
//! naming the operation and the shape, not an abort.
//!
//! A large zero-filled buffer comes straight from the OS as untouched zero pages, so filling it
//! costs one page fault per 4 KiB: about 10,000 faults, several milliseconds, for a 40 MB result.
//! Like NumPy (which does this for arrays of 4 MiB and more), Tessera asks Linux for transparent
//! huge pages on such buffers, so the first writes fault in 2 MiB at a time instead.
//!
//! A smaller buffer is recycled heap memory, which `calloc` must clear with a `memset` pass before
//! the kernel overwrites it (a 256 KiB MNIST activation: a third of an add's time). Kernels that
//! write every element take it uninitialised instead ([`written_by`]).

use crate::dtype::Element;
use crate::error::{Result, TensorError};
use crate::layout::shape::checked_size;
use crate::runtime::recycle;

/// Buffers at least this large ask for huge pages.
const HUGE_MIN_BYTES: usize = 4 << 20;

/// True when `n` elements of `T` are a large buffer: one [`zeroed`] gives zero pages with
/// huge-page advice.
pub(crate) fn is_large<T>(n: usize) -> bool {
    n.saturating_mul(std::mem::size_of::<T>()) >= HUGE_MIN_BYTES
}

fn invalid(op: &'static str, shape: &[usize], reason: String) -> TensorError {
    TensorError::Invalid { op, shape: shape.to_vec(), reason }
}

/// The element count of a `T` buffer for `shape`, with the count and the byte size checked to
/// fit in `isize`.
pub(crate) fn output_len<T>(op: &'static str, shape: &[usize]) -> Result<usize> {
    let n = checked_size(shape).ok_or_else(|| invalid(op, shape, "element count overflows isize".into()))?;
    n.checked_mul(std::mem::size_of::<T>())
        .filter(|&b| b <= isize::MAX as usize)
        .ok_or_else(|| invalid(op, shape, format!("{n} elements overflow the address space")))?;
    Ok(n)
}

fn out_of_memory<T>(op: &'static str, shape: &[usize], n: usize) -> TensorError {
    invalid(op, shape, format!("cannot allocate {} bytes", n * std::mem::size_of::<T>()))
}

/// An empty vector with room for exactly `n` elements, or an error when memory cannot be had.
fn reserve<T>(op: &'static str, shape: &[usize], n: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| out_of_memory::<T>(op, shape, n))?;
    Ok(v)
}

/// An empty vector with room for `shape`'s element count (for kernels that push or write into
/// spare capacity).
pub(crate) fn with_capacity<T>(op: &'static str, shape: &[usize]) -> Result<Vec<T>> {
    let n = output_len::<T>(op, shape)?;
    reserve(op, shape, n)
}

/// A buffer of `shape`'s element count, every element `T::ZERO`.
pub(crate) fn zeroed<T: Element>(op: &'static str, shape: &[usize]) -> Result<Vec<T>> {
    let n = output_len::<T>(op, shape)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    if let Some(mut v) = recycle::take::<T>(n) {
        // SAFETY: the buffer has room for n elements; all-zero bytes are `T::ZERO` for every
        // Element type (see below), so after the fill all n are initialised.
        unsafe {
            v.as_mut_ptr().write_bytes(0, n);
            v.set_len(n);
        }
        return Ok(v);
    }
    let layout = std::alloc::Layout::array::<T>(n).map_err(|_| out_of_memory::<T>(op, shape, n))?;
    // SAFETY: `layout` has a non-zero size (n > 0 and every Element type is at least one byte).
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        return Err(out_of_memory::<T>(op, shape, n));
    }
    // SAFETY: `ptr` comes from the global allocator with `Layout::array::<T>(n)`, the layout a
    // `Vec<T>` of capacity n uses; all n elements are zero bytes, which is `T::ZERO` for every
    // Element type (the trait is sealed to bool, u8, i32, i64, f32 and f64; `dtype` tests it).
    let v = unsafe { Vec::from_raw_parts(ptr, n, n) };
    if is_large::<T>(n) {
        advise_huge_pages(v.as_ptr() as usize, n * std::mem::size_of::<T>());
    }
    Ok(v)
}

/// Room for `shape`'s element count (length 0) that a kernel will overwrite: a recycled buffer
/// of that size, else fresh zero pages with huge-page advice when large, else plain capacity.
pub(crate) fn for_overwrite<T: Element>(op: &'static str, shape: &[usize]) -> Result<Vec<T>> {
    let n = output_len::<T>(op, shape)?;
    if let Some(v) = recycle::take::<T>(n) {
        return Ok(v);
    }
    if is_large::<T>(n) {
        let mut v = zeroed(op, shape)?;
        v.clear(); // zeros need no drop; the pages stay faulted-in or zero
        return Ok(v);
    }
    reserve(op, shape, n)
}

/// A buffer of `shape`'s element count, every element `value`.
pub(crate) fn filled<T: Element>(op: &'static str, shape: &[usize], value: T) -> Result<Vec<T>> {
    // All-zero bits (not -0.0) come as free zero pages.
    if value.to_f64().to_bits() == 0 {
        return zeroed(op, shape);
    }
    let n = output_len::<T>(op, shape)?;
    let mut v = reserve(op, shape, n)?;
    v.resize(n, value);
    Ok(v)
}

/// A buffer for `shape` filled by `fill`, which receives its start and whether the buffer is a
/// recycled one (not in cache, already faulted in: long runs should stream into it).
///
/// Large buffers are a recycled one of the same size (`recycle.rs`, not cleared: `fill`
/// overwrites it) or come from [`zeroed`] (free zero pages, huge-page advice); smaller ones are
/// allocated without clearing, since `fill` overwrites them anyway.
///
/// # Safety
/// `fill` writes all elements of the shape (through the pointer, never reading them first)
/// before it returns.
pub(crate) unsafe fn written_by<T: Element>(
    op: &'static str,
    shape: &[usize],
    fill: impl FnOnce(*mut T, bool),
) -> Result<Vec<T>> {
    let n = output_len::<T>(op, shape)?;
    if let Some(mut v) = recycle::take::<T>(n) {
        fill(v.as_mut_ptr(), true);
        // SAFETY: capacity is n, and `fill` initialised all n elements (caller's contract).
        unsafe { v.set_len(n) };
        return Ok(v);
    }
    if is_large::<T>(n) {
        let mut v = zeroed(op, shape)?;
        fill(v.as_mut_ptr(), false);
        return Ok(v);
    }
    let mut v = reserve(op, shape, n)?;
    fill(v.as_mut_ptr(), false);
    // SAFETY: capacity is n, and `fill` initialised all n elements (caller's contract).
    unsafe { v.set_len(n) };
    Ok(v)
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
