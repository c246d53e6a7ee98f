//! Packing when the source runs along k: a row-major block of A (each of its rows is a run of k
//! values) or a column-major block of B. The panel wants k-major order, `dst[p·w + i] = src[i][p]`
//! (w = MR or NR), so packing is a transpose. One element at a time it is a strided scatter that
//! cost ~3 cycles per element, a third of the time of 128×784·784×512; with SSE it goes through
//! 4×4 (f32) or 2×2 (f64) register transposes: four loads, eight shuffles, four stores per 16 values.
//!
//! ```text
//!  source rows (runs along p)          panel (k-major): one row of w values per p
//!  r0: a0 a1 a2 a3 ...                 p0: a0 b0 c0 d0 | ...
//!  r1: b0 b1 b2 b3 ...      4x4        p1: a1 b1 c1 d1 | ...
//!  r2: c0 c1 c2 c3 ...   transpose     p2: a2 b2 c2 d2 | ...
//!  r3: d0 d1 d2 d3 ...   ------->      p3: a3 b3 c3 d3 | ...
//! ```

/// Scalar reference (and the path for every type without a SIMD version): packs `rows` runs of
/// `kc` values, run `i` starting at `src + i·ld`, into `dst[p·w + i]`, and zeros rows `rows..w`.
///
/// # Safety
/// `src + i·ld + p` is readable for `i < rows`, `p < kc`; `dst` is writable for `kc·w`
/// elements; `rows <= w`.
// On x86-64 only the tests call it, as the reference for the SIMD versions.
#[cfg_attr(all(target_arch = "x86_64", not(test)), allow(dead_code))]
pub(crate) unsafe fn pack_runs_scalar<T: Copy + num_traits::Zero>(
    src: *const T,
    ld: isize,
    rows: usize,
    kc: usize,
    w: usize,
    dst: *mut T,
) {
    // SAFETY: forwarded.
    unsafe { pack_runs_from(0, src, ld, rows, kc, w, dst) }
}

/// Panel columns `first..w` of [`pack_runs_scalar`] (the SIMD versions' leftover runs).
///
/// # Safety
/// As [`pack_runs_scalar`].
unsafe fn pack_runs_from<T: Copy + num_traits::Zero>(
    first: usize,
    src: *const T,
    ld: isize,
    rows: usize,
    kc: usize,
    w: usize,
    dst: *mut T,
) {
    for i in first..w {
        for p in 0..kc {
            // SAFETY: i < rows (read) and p·w + i < kc·w (write), the caller's contract.
            unsafe {
                *dst.add(p * w + i) =
                    if i < rows { *src.offset(i as isize * ld + p as isize) } else { T::zero() }
            };
        }
    }
}

/// [`pack_runs_scalar`] for f32, four runs at a time through SSE 4×4 transposes (SSE is part of
/// the x86-64 baseline, so no feature detection is needed). Bit-identical to the scalar version:
/// it only moves values.
///
/// # Safety
/// As [`pack_runs_scalar`].
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe fn pack_runs_f32(
    src: *const f32,
    ld: isize,
    rows: usize,
    kc: usize,
    w: usize,
    dst: *mut f32,
) {
    use std::arch::x86_64::*;
    let k4 = kc / 4 * 4;
    let groups = rows / 4;
    for g in 0..groups {
        // SAFETY: (whole block) runs 4g..4g+4 are < rows, columns p..p+4 are < kc (p < k4), and
        // the stores hit dst[(p + q)·w + 4g .. +4] with p + q < kc and 4g + 4 <= rows <= w.
        unsafe {
            let s = src.offset(4 * g as isize * ld);
            let d = dst.add(4 * g);
            for p in (0..k4).step_by(4) {
                let r0 = _mm_loadu_ps(s.add(p));
                let r1 = _mm_loadu_ps(s.offset(ld).add(p));
                let r2 = _mm_loadu_ps(s.offset(2 * ld).add(p));
                let r3 = _mm_loadu_ps(s.offset(3 * ld).add(p));
                let t0 = _mm_unpacklo_ps(r0, r1); // a0 b0 a1 b1
                let t1 = _mm_unpacklo_ps(r2, r3); // c0 d0 c1 d1
                let t2 = _mm_unpackhi_ps(r0, r1); // a2 b2 a3 b3
                let t3 = _mm_unpackhi_ps(r2, r3); // c2 d2 c3 d3
                _mm_storeu_ps(d.add(p * w), _mm_movelh_ps(t0, t1));
                _mm_storeu_ps(d.add((p + 1) * w), _mm_movehl_ps(t1, t0));
                _mm_storeu_ps(d.add((p + 2) * w), _mm_movelh_ps(t2, t3));
                _mm_storeu_ps(d.add((p + 3) * w), _mm_movehl_ps(t3, t2));
            }
            for p in k4..kc {
                for i in 0..4 {
                    *d.add(p * w + i) = *s.offset(i as isize * ld + p as isize);
                }
            }
        }
    }
    // The last rows % 4 runs and the zero padding, one element at a time.
    // SAFETY: the caller's contract.
    unsafe { pack_runs_from(4 * groups, src, ld, rows, kc, w, dst) }
}

/// [`pack_runs_scalar`] for f64, two runs at a time through SSE2 2×2 transposes.
///
/// # Safety
/// As [`pack_runs_scalar`].
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe fn pack_runs_f64(
    src: *const f64,
    ld: isize,
    rows: usize,
    kc: usize,
    w: usize,
    dst: *mut f64,
) {
    use std::arch::x86_64::*;
    let k2 = kc / 2 * 2;
    let groups = rows / 2;
    for g in 0..groups {
        // SAFETY: (whole block) runs 2g, 2g+1 are < rows, columns p, p+1 < kc (p < k2); stores hit
        // dst[(p + q)·w + 2g .. +2] inside the panel.
        unsafe {
            let s = src.offset(2 * g as isize * ld);
            let d = dst.add(2 * g);
            for p in (0..k2).step_by(2) {
                let r0 = _mm_loadu_pd(s.add(p));
                let r1 = _mm_loadu_pd(s.offset(ld).add(p));
                _mm_storeu_pd(d.add(p * w), _mm_unpacklo_pd(r0, r1));
                _mm_storeu_pd(d.add((p + 1) * w), _mm_unpackhi_pd(r0, r1));
            }
            if k2 < kc {
                *d.add(k2 * w) = *s.add(k2);
                *d.add(k2 * w + 1) = *s.offset(ld).add(k2);
            }
        }
    }
    // SAFETY: the caller's contract.
    unsafe { pack_runs_from(2 * groups, src, ld, rows, kc, w, dst) }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    /// Every SIMD pack equals the scalar one, for run counts around the 4-/2-groups, depths around
    /// the 4-/2-steps, panel widths of every kernel, and positive and negative run strides.
    #[test]
    fn simd_packs_equal_scalar() {
        let src: Vec<f64> = (0..64 * 40).map(|x| x as f64 * 0.5 - 7.0).collect();
        let src32: Vec<f32> = src.iter().map(|&x| x as f32).collect();
        for w in [4, 6, 8, 12, 16, 32] {
            for rows in 0..=w {
                for kc in [1, 2, 3, 4, 5, 7, 8, 9, 17] {
                    for ld in [40isize, 53, -40] {
                        // Negative strides start at the last run, so every run stays inside `src`.
                        let start = if ld < 0 { (rows.max(1) - 1) * 40 } else { 0 };
                        let (mut want, mut got) = (vec![f32::NAN; kc * w], vec![f32::NAN; kc * w]);
                        let (mut want64, mut got64) = (vec![f64::NAN; kc * w], vec![f64::NAN; kc * w]);
                        // SAFETY: runs i < rows start at start + i·ld (within the 2560 values,
                        // each at least 17 long); outputs hold kc·w elements.
                        unsafe {
                            let s32 = src32.as_ptr().add(start);
                            let s64 = src.as_ptr().add(start);
                            pack_runs_scalar(s32, ld, rows, kc, w, want.as_mut_ptr());
                            pack_runs_f32(s32, ld, rows, kc, w, got.as_mut_ptr());
                            pack_runs_scalar(s64, ld, rows, kc, w, want64.as_mut_ptr());
                            pack_runs_f64(s64, ld, rows, kc, w, got64.as_mut_ptr());
                        }
                        assert_eq!(got, want, "f32 rows {rows} kc {kc} w {w} ld {ld}");
                        assert_eq!(got64, want64, "f64 rows {rows} kc {kc} w {w} ld {ld}");
                        assert!(want.iter().all(|v| !v.is_nan()), "every slot written");
                    }
                }
            }
        }
    }
}
