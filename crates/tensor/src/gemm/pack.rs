//! Packing: copy a block of A (or B) into the exact order the micro-kernel reads it, zero-padded
//! to whole MR (NR) panels. Packing reads any strides (row-major, column-major, transposed,
//! step-sliced, stride 0), so callers never make operands contiguous first.
//!
//! ```text
//!  A block (mc x kc), MR = 3              packed: panel after panel, each kc columns of MR values
//!  a00 a01 a02 ...                        [a00 a10 a20 | a01 a11 a21 | a02 a12 a22 | ...]  panel 0
//!  a10 a11 a12 ...                        [a30 a40 a50 | a31 a41 a51 | ...]                panel 1
//!  a20 ...                                (rows past mc are zeros, so edge tiles need no masks)
//! ```

use super::mat::MatRef;
use super::scalar::GemmScalar;
use std::mem::MaybeUninit;

/// Packs `a` (mc × kc) into `ceil(mc/mr)` panels of `mr × kc`, column by column:
/// `out[panel·mr·kc + p·mr + i] = a[panel·mr + i, p]`, zero past row `mc`.
///
/// `out` may be uninitialised: every element of the panels written here is written exactly once
/// (values or zero padding), so the micro-kernel only ever reads initialised memory.
pub(crate) fn pack_a<T: GemmScalar>(a: &MatRef<T>, mr: usize, out: &mut [MaybeUninit<T>]) {
    let (mc, kc) = (a.rows(), a.cols());
    for (panel, dst) in out.chunks_exact_mut(mr * kc).take(mc.div_ceil(mr)).enumerate() {
        let r0 = panel * mr;
        let rows = mr.min(mc - r0);
        if a.rs() == 1 && rows == mr && matches!(mr, 4 | 6 | 8 | 12 | 16) {
            // Column-major A, full panel: each packed column is one fixed-size copy.
            for (p, col) in dst.chunks_exact_mut(mr).enumerate() {
                // SAFETY: rows r0 .. r0 + mr of column p are in range with unit stride; `col`
                // has mr slots.
                unsafe { copy_run(a.ptr(r0, p), col.as_mut_ptr(), mr) };
            }
        } else if a.rs() == 1 {
            // Column-major A, edge panel: each packed column is a contiguous run of `rows`.
            for (p, col) in dst.chunks_exact_mut(mr).enumerate() {
                for (i, d) in col.iter_mut().enumerate() {
                    // SAFETY: r0 + i < mc and p < kc inside the branch.
                    d.write(if i < rows { unsafe { a.get_unchecked(r0 + i, p) } } else { T::zero() });
                }
            }
        } else if a.cs() == 1 {
            // Row-major A: each row is a run along k; packing is a transpose (SIMD, see
            // `pack_transpose.rs`).
            // SAFETY: rows r0 .. r0 + rows (<= mr) and columns 0 .. kc are in the checked view,
            // column stride 1; `dst` holds exactly kc·mr slots, all written.
            unsafe { T::pack_runs(a.ptr(r0, 0), a.rs(), rows, kc, mr, dst.as_mut_ptr() as *mut T) };
        } else {
            for i in 0..mr {
                if i < rows {
                    for p in 0..kc {
                        // SAFETY: r0 + i < mc and p < kc by the loop bounds.
                        dst[p * mr + i].write(unsafe { a.get_unchecked(r0 + i, p) });
                    }
                } else {
                    for p in 0..kc {
                        dst[p * mr + i].write(T::zero());
                    }
                }
            }
        }
    }
}

/// Views packed elements as initialised.
///
/// # Safety
/// Every element of `xs` was written (by packing).
pub(crate) unsafe fn assume_init<T>(xs: &[MaybeUninit<T>]) -> &[T] {
    // SAFETY: the caller's contract; MaybeUninit<T> has T's layout.
    unsafe { &*(xs as *const [MaybeUninit<T>] as *const [T]) }
}

/// Packs `b` (kc × nc) into `ceil(nc/nr)` panels of `kc × nr`, row by row:
/// `out[panel·nr·kc + p·nr + j] = b[p, panel·nr + j]`, zero past column `nc`.
/// Like [`pack_a`], `out` may be uninitialised; every element of the used panels is written.
///
/// With `check_finite`, returns whether every value is finite when the copy could tell on the
/// way (row-major B in whole panels: the values are in registers anyway), else `None`.
pub(crate) fn pack_b<T: GemmScalar>(
    b: &MatRef<T>,
    nr: usize,
    out: &mut [MaybeUninit<T>],
    check_finite: bool,
) -> Option<bool> {
    let kc = b.rows();
    let panels = out.chunks_exact_mut(nr * kc).take(b.cols().div_ceil(nr)).enumerate();
    if check_finite && b.cs() == 1 && b.cols().is_multiple_of(nr) && matches!(nr, 8 | 16 | 32 | 64 | 128) {
        let mut finite = true;
        for (panel, dst) in panels {
            // SAFETY: whole panels of a unit-stride B: row p's nr values from column panel·nr
            // are in the view, and `dst` holds kc·nr slots.
            finite &= unsafe {
                match nr {
                    8 => copy_rows_checked::<T, 8>(b, panel, dst),
                    16 => copy_rows_checked::<T, 16>(b, panel, dst),
                    32 => copy_rows_checked::<T, 32>(b, panel, dst),
                    64 => copy_rows_checked::<T, 64>(b, panel, dst),
                    _ => copy_rows_checked::<T, 128>(b, panel, dst),
                }
            };
        }
        return Some(finite);
    }
    for (panel, dst) in panels {
        pack_b_panel(b, nr, panel, dst);
    }
    None
}

/// One whole panel of a row-major B, copied row by row, with `v - v` (0 for a finite v, NaN
/// otherwise) summed per lane: true when all of it is finite.
///
/// # Safety
/// `b.cs() == 1`, the panel's `N` columns are inside B, and `dst` holds `kc·N` slots.
unsafe fn copy_rows_checked<T: GemmScalar, const N: usize>(
    b: &MatRef<T>,
    panel: usize,
    dst: &mut [MaybeUninit<T>],
) -> bool {
    // Rows wider than 32 values go as runs of 32: a larger fixed-size move becomes a `memcpy`.
    const RUN: usize = 32;
    let run = N.min(RUN);
    let mut sums = [T::zero(); RUN];
    for (p, row) in dst.chunks_exact_mut(N).enumerate() {
        for (r, out) in row.chunks_exact_mut(run).enumerate() {
            let src = b.ptr(p, panel * N + r * run);
            let sums = &mut sums[..run];
            // SAFETY: the caller's contract: N unit-stride values from (p, panel·N), of which
            // this is the r-th run of `run` (N is 8, 16 or a multiple of 32); `out` and `sums`
            // are `run` slots.
            unsafe {
                match run {
                    RUN => copy_checked::<T, RUN>(src, out, sums),
                    16 => copy_checked::<T, 16>(src, out, sums),
                    _ => copy_checked::<T, 8>(src, out, sums),
                }
            }
        }
    }
    // Each lane is 0 or NaN, so their sum is 0 exactly when all are. (A per-lane `all(== 0)`
    // here makes LLVM's wasm32 SIMD128 backend fail to select its vector compare.)
    sums.iter().fold(T::zero(), |total, &s| total + s) == T::zero()
}

/// Copies `N` values and adds `v - v` (0 for a finite v, NaN otherwise) to each lane's sum.
///
/// # Safety
/// `src` is readable for `N` values; `out` and `sums` hold `N` slots.
#[inline(always)]
unsafe fn copy_checked<T: GemmScalar, const N: usize>(
    src: *const T,
    out: &mut [MaybeUninit<T>],
    sums: &mut [T],
) {
    // SAFETY: the caller's contract.
    let v = unsafe { (src as *const [T; N]).read_unaligned() };
    // SAFETY: `out` holds N slots.
    unsafe { (out.as_mut_ptr() as *mut [T; N]).write_unaligned(v) };
    for (s, &x) in sums.iter_mut().zip(&v) {
        #[allow(clippy::eq_op)]
        let zero_if_finite = x - x;
        *s = *s + zero_if_finite;
    }
}

/// Packs one `kc × nr` panel of B (panel number `panel`) into `dst`.
pub(crate) fn pack_b_panel<T: GemmScalar>(
    b: &MatRef<T>,
    nr: usize,
    panel: usize,
    dst: &mut [MaybeUninit<T>],
) {
    let c0 = panel * nr;
    let cols = nr.min(b.cols() - c0);
    if b.rs() == 1 && b.cs() != 1 && b.rows() > 0 {
        // Column-major B (e.g. `W2ᵀ`, `hᵀ`): each column is a run along k; a transpose.
        // SAFETY: columns c0 .. c0 + cols (<= nr) and rows 0 .. kc are in the checked view, row
        // stride 1; `dst` holds exactly kc·nr slots, all written.
        unsafe { T::pack_runs(b.ptr(0, c0), b.cs(), cols, b.rows(), nr, dst.as_mut_ptr() as *mut T) };
        return;
    }
    for (p, row) in dst.chunks_exact_mut(nr).enumerate() {
        if b.cs() == 1 && cols == nr && matches!(nr, 8 | 16 | 32) {
            // Row-major B, full panel: one fixed-size copy (a few vector moves). A runtime-length
            // copy here becomes a `memmove` call per 128 bytes.
            let src = b.ptr(p, c0);
            // SAFETY: (p, c0) .. (p, c0 + nr - 1) are in range with unit stride, so `nr` elements
            // from `src` are readable; `row` holds exactly `nr` slots. Unaligned reads/writes.
            unsafe { copy_run(src, row.as_mut_ptr(), nr) };
            continue;
        } else if b.cs() == 1 && cols > 0 {
            // Row-major B, edge panel: the valid part of the row is a contiguous run.
            // SAFETY: (p, c0) .. (p, c0 + cols - 1) are in range and unit-stride, so the `cols`
            // elements starting at ptr(p, c0) are inside the checked view.
            let src = unsafe { std::slice::from_raw_parts(b.ptr(p, c0), cols) };
            for (d, &v) in row[..cols].iter_mut().zip(src) {
                d.write(v);
            }
        } else {
            for (j, d) in row[..cols].iter_mut().enumerate() {
                // SAFETY: p < kc, c0 + j < nc.
                d.write(unsafe { b.get_unchecked(p, c0 + j) });
            }
        }
        for d in &mut row[cols..] {
            d.write(T::zero());
        }
    }
}

/// Copies `n` elements, with one fixed-size move for the panel widths of the kernels (a
/// runtime-length copy of a few dozen bytes is a `memmove` call, or a masked vector loop).
/// There is deliberately no runtime-length arm: with one, LLVM folds the whole `match` into a
/// single `memmove(n)` call.
///
/// # Safety
/// `src` is readable and `dst` writable for `n` elements; `n` is one of 4, 6, 8, 12, 16, 32.
#[inline(always)]
unsafe fn copy_run<T: Copy>(src: *const T, dst: *mut MaybeUninit<T>, n: usize) {
    // SAFETY: forwarded from the caller.
    unsafe {
        match n {
            4 => copy_fixed::<T, 4>(src, dst),
            6 => copy_fixed::<T, 6>(src, dst),
            8 => copy_fixed::<T, 8>(src, dst),
            12 => copy_fixed::<T, 12>(src, dst),
            16 => copy_fixed::<T, 16>(src, dst),
            32 => copy_fixed::<T, 32>(src, dst),
            _ => unreachable!("copy_run: no fixed copy of {n} elements"),
        }
    }
}

/// Copies `N` elements with one fixed-size (unaligned) array move.
///
/// # Safety
/// `src` is readable and `dst` writable for `N` elements.
#[inline(always)]
unsafe fn copy_fixed<T: Copy, const N: usize>(src: *const T, dst: *mut MaybeUninit<T>) {
    // SAFETY: forwarded from the caller.
    unsafe { (dst as *mut [T; N]).write_unaligned((src as *const [T; N]).read_unaligned()) }
}
