//! The loops that run a binary or unary op over a contiguous run with one ISA's vectors
//! ([`Lanes`]): whole vectors, then a scalar tail; long runs stream their output.

use super::arith::{Operand, Store};
use crate::simd::lanes::Lanes;

/// `out = f(a, b)` over a run: whole vectors, then a scalar tail; with [`Store::StreamLong`]
/// a long run streams its output (see [`super::stream`]) after a scalar head that aligns it.
///
/// # Safety
/// As [`NumElement::arith_run`](crate::dtype::NumElement::arith_run); the CPU has `V`'s ISA.
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
    let body = start + (n - start) / V::LANES * V::LANES;
    let load = |o: Operand<T>, i: usize| match o {
        // SAFETY: start <= i and i + LANES <= body <= n, so LANES reads are in the run.
        Operand::Run(p) => unsafe { V::load(p.add(i)) },
        // SAFETY: the CPU has V's ISA (caller).
        Operand::Scalar(s) => unsafe { V::splat(s) },
    };
    let scalar = |j: usize| {
        // SAFETY: j < n.
        unsafe { *out.add(j) = fs(a.at(j), b.at(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    if head.is_some() {
        while i < body {
            // SAFETY: i + LANES <= n; out + start is 64-byte aligned and i - start a multiple of
            // LANES elements (one vector, at most 64 bytes), so out + i is aligned to the
            // vector's size, as `store_stream` needs.
            unsafe { fv(load(a, i), load(b, i)).store_stream(out.add(i)) };
            i += V::LANES;
        }
        super::stream::fence();
    } else {
        while i < body {
            // SAFETY: i + LANES <= n writes are in the run; inputs at i were loaded first.
            unsafe { fv(load(a, i), load(b, i)).store(out.add(i)) };
            i += V::LANES;
        }
    }
    (body..n).for_each(scalar);
}

/// `out = f(x)` over a run: vectors, then a scalar tail; long runs stream as in [`zip_lanes`].
///
/// # Safety
/// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer; the CPU has
/// `V`'s ISA.
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
    let body = start + (n - start) / V::LANES * V::LANES;
    let scalar = |j: usize| {
        // SAFETY: j < n; element j is read before it is written.
        unsafe { *out.add(j) = fs(*x.add(j)) };
    };
    (0..start).for_each(scalar);
    // Four vectors per step where the run allows: `exp` and `tanh` are long dependency chains,
    // and four independent ones keep the FMA units busy.
    let body4 = start + (body - start) / (4 * V::LANES) * (4 * V::LANES);
    let stream = head.is_some();
    let put = |v: V, p: *mut T| {
        // SAFETY: p + LANES <= out + n; when streaming, p is vector-aligned as in `zip_lanes`.
        unsafe { if stream { v.store_stream(p) } else { v.store(p) } }
    };
    let mut i = start;
    while i < body4 {
        // SAFETY: i + 4 LANES <= n: all four loads are in the run and happen before the stores.
        let v: [V; 4] = std::array::from_fn(|k| unsafe { V::load(x.add(i + k * V::LANES)) });
        for (k, v) in v.into_iter().enumerate() {
            // SAFETY: i + (k + 1) LANES <= n.
            put(fv(v), unsafe { out.add(i + k * V::LANES) });
        }
        i += 4 * V::LANES;
    }
    while i < body {
        // SAFETY: i + LANES <= n.
        put(fv(unsafe { V::load(x.add(i)) }), unsafe { out.add(i) });
        i += V::LANES;
    }
    if stream {
        super::stream::fence();
    }
    (body..n).for_each(scalar);
}
