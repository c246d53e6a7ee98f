//! The SIMD run kernels behind the float element types: a `wide` vector type's lane operations
//! ([`Lanes`]), and the loops that run a binary or unary op over a contiguous run with them.

use super::arith::{Arith, Operand, Store};

/// A `wide` vector type and the lane operations the slice kernels need.
pub(crate) trait Lanes<T: Copy>: Copy {
    const N: usize;
    fn splat(x: T) -> Self;
    /// # Safety
    /// `p` is valid for `N` reads.
    unsafe fn load(p: *const T) -> Self;
    /// # Safety
    /// `p` is valid for `N` writes.
    unsafe fn store(self, p: *mut T);
    /// A streaming store (see [`super::stream`]).
    /// # Safety
    /// `p` is valid for `N` writes and 32-byte aligned.
    unsafe fn store_stream(self, p: *mut T);
    fn arith(op: Arith, a: Self, b: Self) -> Self;
}

/// `out = f(a, b)` over a run: `N`-lane vectors, then a scalar tail; with [`Store::StreamLong`]
/// a long run streams its output (see [`super::stream`]) after a scalar head that aligns it.
///
/// # Safety
/// As [`NumElement::arith_run`].
#[inline(always)]
pub(crate) unsafe fn zip_lanes<T: Copy, V: Lanes<T>>(
    a: Operand<T>,
    b: Operand<T>,
    out: *mut T,
    n: usize,
    store: Store,
    fv: impl Fn(V, V) -> V,
    fs: impl Fn(T, T) -> T,
) {
    let head = if store == Store::StreamLong { super::stream::stream_head(out, n) } else { None };
    let start = head.unwrap_or(0);
    let body = start + (n - start) / V::N * V::N;
    let load = |o: Operand<T>, i: usize| match o {
        // SAFETY: start <= i and i + N <= body <= n, so N reads are in the run.
        Operand::Run(p) => unsafe { V::load(p.add(i)) },
        Operand::Scalar(s) => V::splat(s),
    };
    let scalar = |j: usize| {
        // SAFETY: j < n.
        unsafe { *out.add(j) = fs(a.at(j), b.at(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    if head.is_some() {
        while i < body {
            // SAFETY: i + N <= n; out + start is 64-byte aligned and i - start is a multiple of
            // N elements (32 bytes), so out + i is 32-byte aligned, as `store_stream` needs.
            unsafe { fv(load(a, i), load(b, i)).store_stream(out.add(i)) };
            i += V::N;
        }
        super::stream::fence();
    } else {
        while i < body {
            // SAFETY: i + N <= n writes are in the run; inputs at i were loaded first.
            unsafe { fv(load(a, i), load(b, i)).store(out.add(i)) };
            i += V::N;
        }
    }
    (body..n).for_each(scalar);
}

/// `out = f(x)` over a run: vectors, then a scalar tail; long runs stream as in [`zip_lanes`].
///
/// # Safety
/// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer.
#[inline(always)]
pub(crate) unsafe fn map_lanes<T: Copy, V: Lanes<T>>(
    x: *const T,
    out: *mut T,
    n: usize,
    store: Store,
    fv: impl Fn(V) -> V,
    fs: impl Fn(T) -> T,
) {
    let head = if store == Store::StreamLong { super::stream::stream_head(out, n) } else { None };
    let start = head.unwrap_or(0);
    let body = start + (n - start) / V::N * V::N;
    let scalar = |j: usize| {
        // SAFETY: j < n; element j is read before it is written.
        unsafe { *out.add(j) = fs(*x.add(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    if head.is_some() {
        while i < body {
            // SAFETY: i + N <= n; out + i is 32-byte aligned as in `zip_lanes`.
            unsafe { fv(V::load(x.add(i))).store_stream(out.add(i)) };
            i += V::N;
        }
        super::stream::fence();
    } else {
        while i < body {
            // SAFETY: i + N <= n.
            unsafe { fv(V::load(x.add(i))).store(out.add(i)) };
            i += V::N;
        }
    }
    (body..n).for_each(scalar);
}
