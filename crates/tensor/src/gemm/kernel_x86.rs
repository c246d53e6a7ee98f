//! x86-64 micro-kernels with explicit intrinsics, chosen at run time by CPU feature detection:
//! AVX-512F (zmm) and AVX2+FMA (ymm), for f32 and f64.
//!
//! Contract of every micro-kernel (also `kernel_wide`): given packed panels `a` (k × MR, see
//! `pack_a`) and `b` (k × NR, see `pack_b`), compute the MR × NR tile
//! `C <- alpha·(a·b) + beta·C` at `c` with strides `(rsc, csc)`, summing over the k steps that
//! `steps` names (all of them, or a list that leaves out A's all-zero steps: `zero_steps.rs`).
//! With `beta == 0` C is **not read** (it may hold NaN). The accumulators start at +0 and live in
//! registers for the whole k loop: per step, NR/LANES vector loads of B, MR broadcasts of A,
//! MR·NR/LANES fused multiply-adds. `next_a` names lines to prefetch into L2 on the way (the
//! next A micro-panel, `NextA`); a hint only, which `kernel_wide` ignores.

#![allow(clippy::missing_safety_doc)]

use std::arch::x86_64::*;

macro_rules! x86_kernel {
    ($name:ident, $tile:ident, $body:ident, $edge:ident, $feat:literal, $t:ty, $lanes:expr, $mr:expr, $nv:expr,
     $zero:ident, $set1:ident, $loadu:ident, $storeu:ident, $fmadd:ident, $mul:ident) => {
        /// The full MR×NR micro-kernel (see the module contract): the generic tile below with
        /// every row and column.
        pub(crate) fn $name() -> super::KernelFn<$t> {
            $tile::<$mr, $nv>
        }

        /// The kernel for an edge tile of exactly `rows × cols` (rows < MR or cols < NR), when
        /// one exists: it writes C directly, at the cost of the rows and columns it computes,
        /// instead of a full tile into scratch plus a merge. The same operations per element, so
        /// the same bits.
        pub(crate) fn $edge(rows: usize, cols: usize) -> Option<super::KernelFn<$t>> {
            const NR: usize = $lanes * $nv;
            match (rows, cols) {
                (8, NR) if $mr > 8 => Some($tile::<8, $nv>),
                (4, NR) if $mr > 4 => Some($tile::<4, $nv>),
                ($mr, c) if $nv == 2 && c == $lanes => Some($tile::<$mr, 1>),
                (8, c) if $mr > 8 && $nv == 2 && c == $lanes => Some($tile::<8, 1>),
                (4, c) if $mr > 4 && $nv == 2 && c == $lanes => Some($tile::<4, 1>),
                _ => None,
            }
        }

        /// `R` rows and `V` vectors of columns of a tile whose packed panels are MR and NR wide.
        ///
        /// # Safety
        /// As the full kernel, for `i < R`, `j < V·LANES` (`R <= MR`, `V <= NV`).
        #[target_feature(enable = $feat)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn $tile<const R: usize, const V: usize>(
            steps: super::Steps,
            next_a: super::NextA,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            rsc: isize,
            csc: isize,
            alpha: $t,
            beta: $t,
        ) {
            match steps {
                // SAFETY: the caller's contract, with all k steps.
                super::Steps::All(k) => unsafe {
                    $body::<R, V, false>(k, std::ptr::null(), next_a, a, b, c, rsc, csc, alpha, beta)
                },
                // SAFETY: the caller's contract, with the kept steps it names.
                super::Steps::Only(kept) => unsafe {
                    $body::<R, V, true>(kept.len(), kept.as_ptr(), next_a, a, b, c, rsc, csc, alpha, beta)
                },
            }
        }

        /// The tile over `n` k steps: steps `0..n`, or with `SKIP` the steps `kept[0..n]`.
        ///
        /// # Safety
        /// As the full kernel; with `SKIP`, `kept` holds `n` steps, each below the panels' depth.
        #[target_feature(enable = $feat)]
        #[allow(clippy::too_many_arguments)]
        unsafe fn $body<const R: usize, const V: usize, const SKIP: bool>(
            n: usize,
            kept: *const u16,
            next_a: super::NextA,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            rsc: isize,
            csc: isize,
            alpha: $t,
            beta: $t,
        ) {
            const MR: usize = $mr;
            const NR: usize = $nv * $lanes;
            // B streams from L2 (see `packed.rs`): ask for its lines 16 k steps (2 KiB) ahead.
            const PF_STEPS: usize = 16;
            let mut acc = [[$zero(); V]; R];
            if beta != 0.0 && csc == 1 {
                // C is read after the k loop; at 2048³ it (16 MiB) lives in L3, and each tile's
                // loads would stall the next tile's FMAs. Ask for its lines in L2 now (T1: the B
                // stream through L1 would evict them there).
                for i in 0..R {
                    for j in 0..V {
                        // A hint, never a fault: wrapping arithmetic, no dereference.
                        let line = c.wrapping_offset(i as isize * rsc).wrapping_add(j * $lanes);
                        _mm_prefetch::<_MM_HINT_T1>(line as *const i8);
                    }
                }
            }
            // The next A panel's stretch, one line every `every` steps from step 0 (`NextA`).
            let every = if next_a.lines == 0 { 0 } else { (n / next_a.lines).max(1) };
            let (mut pf_at, mut pf_line) = (if every == 0 { usize::MAX } else { 0 }, 0);
            for q in 0..n {
                if q == pf_at {
                    // A hint, never a fault: wrapping arithmetic, no dereference.
                    _mm_prefetch::<_MM_HINT_T1>(next_a.at.wrapping_add(pf_line * 64) as *const i8);
                    pf_line += 1;
                    pf_at = if pf_line < next_a.lines { q + every } else { usize::MAX };
                }
                // Skipping, the step comes from the list (A's all-zero steps are left out).
                // SAFETY: q < n, the length of `kept` (caller).
                let p = if SKIP { usize::from(unsafe { *kept.add(q) }) } else { q };
                // SAFETY: p is below the depth of both packed panels.
                let (ap, bp) = unsafe { (a.add(p * MR), b.add(p * NR)) };
                if $lanes * std::mem::size_of::<$t>() == 64 {
                    // One prefetch per 64-byte line (zmm kernels), of the step PF_STEPS ahead in
                    // the order the loop runs them. A hint, never a fault, so the address may
                    // run past the panel (wrapping_add, not add).
                    let ahead = if SKIP {
                        // SAFETY: the index is below n, the length of `kept`.
                        let far = unsafe { *kept.add((q + PF_STEPS).min(n - 1)) };
                        b.wrapping_add(usize::from(far) * NR)
                    } else {
                        bp.wrapping_add(PF_STEPS * NR)
                    };
                    for j in 0..V {
                        _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(j * $lanes) as *const i8);
                    }
                }
                let mut bv = [$zero(); V];
                for j in 0..V {
                    // SAFETY: bp is row p of the packed B panel; this step reads V·LANES <= NR.
                    bv[j] = unsafe { $loadu(bp.add(j * $lanes)) };
                }
                for i in 0..R {
                    // SAFETY: ap is row p of the packed A panel; this step reads R <= MR.
                    let ai = $set1(unsafe { *ap.add(i) });
                    for j in 0..V {
                        acc[i][j] = $fmadd(ai, bv[j], acc[i][j]);
                    }
                }
            }
            let va = $set1(alpha);
            if csc == 1 {
                let vb = $set1(beta);
                for i in 0..R {
                    for j in 0..V {
                        // SAFETY: row i, columns j·LANES .. +LANES are in the tile (csc == 1).
                        unsafe {
                            let p = c.offset(i as isize * rsc).add(j * $lanes);
                            let r = $mul(acc[i][j], va);
                            let r = if beta == 0.0 { r } else { $fmadd(vb, $loadu(p), r) };
                            $storeu(p, r);
                        }
                    }
                }
            } else {
                let mut tile = [[0.0 as $t; NR]; MR];
                for i in 0..R {
                    for j in 0..V {
                        // SAFETY: row i of `tile` holds NR >= (j + 1)·LANES elements.
                        unsafe { $storeu(tile[i].as_mut_ptr().add(j * $lanes), $mul(acc[i][j], va)) };
                    }
                }
                for i in 0..R {
                    for j in 0..V * $lanes {
                        // SAFETY: (i, j) is inside the tile the caller handed us.
                        unsafe {
                            let p = c.offset(i as isize * rsc + j as isize * csc);
                            let r = tile[i][j];
                            *p = if beta == 0.0 { r } else { beta.mul_add(*p, r) };
                        }
                    }
                }
            }
        }
    };
}

x86_kernel!(
    sgemm_avx512_12x32,
    sgemm_avx512_tile,
    sgemm_avx512_body,
    sgemm_avx512_edge,
    "avx512f",
    f32,
    16,
    12,
    2,
    _mm512_setzero_ps,
    _mm512_set1_ps,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps
);
x86_kernel!(
    sgemm_avx2_6x16,
    sgemm_avx2_tile,
    sgemm_avx2_body,
    sgemm_avx2_edge,
    "avx2,fma",
    f32,
    8,
    6,
    2,
    _mm256_setzero_ps,
    _mm256_set1_ps,
    _mm256_loadu_ps,
    _mm256_storeu_ps,
    _mm256_fmadd_ps,
    _mm256_mul_ps
);
x86_kernel!(
    dgemm_avx512_12x16,
    dgemm_avx512_tile,
    dgemm_avx512_body,
    dgemm_avx512_edge,
    "avx512f",
    f64,
    8,
    12,
    2,
    _mm512_setzero_pd,
    _mm512_set1_pd,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd
);
x86_kernel!(
    dgemm_avx2_6x8,
    dgemm_avx2_tile,
    dgemm_avx2_body,
    dgemm_avx2_edge,
    "avx2,fma",
    f64,
    4,
    6,
    2,
    _mm256_setzero_pd,
    _mm256_set1_pd,
    _mm256_loadu_pd,
    _mm256_storeu_pd,
    _mm256_fmadd_pd,
    _mm256_mul_pd
);

macro_rules! x86_narrow {
    ($name:ident, $tile:ident, $t:ty, $lanes:expr, $mask:ty, $zero:ident, $set1:ident, $loadu:ident,
     $storeu:ident, $fmadd:ident, $mul:ident, $maskz_loadu:ident, $mask_storeu:ident) => {
        /// R rows × V vectors of the narrow product (see `narrow.rs`), A broadcast from memory.
        ///
        /// # Safety
        /// As the dispatcher below, with `rows == R` and `n` columns in `V` vectors.
        #[target_feature(enable = "avx512f")]
        #[allow(clippy::too_many_arguments)]
        unsafe fn $tile<const R: usize, const V: usize>(
            k: usize,
            a: *const $t,
            (rsa, csa): (isize, isize),
            b: *const $t,
            c: *mut $t,
            (rsc, csc): (isize, isize),
            n: usize,
            alpha: $t,
            beta: $t,
        ) {
            let mut acc = [[$zero(); V]; R];
            for p in 0..k {
                // SAFETY: b holds k packed rows of V vectors; A's element (i, p) is in range for
                // i < R, p < k.
                unsafe {
                    let mut bv = [$zero(); V];
                    for j in 0..V {
                        bv[j] = $loadu(b.add((p * V + j) * $lanes));
                    }
                    let ap = a.offset(p as isize * csa);
                    for i in 0..R {
                        let ai = $set1(*ap.offset(i as isize * rsa));
                        for j in 0..V {
                            acc[i][j] = $fmadd(ai, bv[j], acc[i][j]);
                        }
                    }
                }
            }
            let va = $set1(alpha);
            for j in 0..V {
                // Columns of vector j inside C: all lanes but in the last vector.
                let cols = (n - j * $lanes).min($lanes);
                if csc == 1 {
                    // Lanes past n are neither read nor written.
                    let mask = ((1u32 << cols) - 1) as $mask;
                    let vb = $set1(beta);
                    for i in 0..R {
                        // SAFETY: row i, columns j·LANES .. j·LANES + cols of C are in range and
                        // unit-stride (masked).
                        unsafe {
                            let p = c.offset(i as isize * rsc).add(j * $lanes);
                            let r = $mul(acc[i][j], va);
                            let r = if beta == 0.0 { r } else { $fmadd(vb, $maskz_loadu(mask, p), r) };
                            $mask_storeu(p, mask, r);
                        }
                    }
                } else {
                    let mut row = [0.0 as $t; $lanes];
                    for i in 0..R {
                        // SAFETY: `row` holds one vector; (i, j·LANES + l) for l < cols is in C.
                        unsafe {
                            $storeu(row.as_mut_ptr(), $mul(acc[i][j], va));
                            for (l, &v) in row[..cols].iter().enumerate() {
                                let p = c.offset(i as isize * rsc + (j * $lanes + l) as isize * csc);
                                *p = if beta == 0.0 { v } else { beta.mul_add(*p, v) };
                            }
                        }
                    }
                }
            }
        }

        /// Narrow-product kernel for `rows` ∈ {12, 4, 1} rows of C (see `narrow.rs`) and
        /// `n <= 2·LANES` columns, B packed in `ceil(n / LANES)` vectors per k step.
        ///
        /// # Safety
        /// The CPU has AVX-512F; `a + i·rsa + p·csa` is readable for `i < rows`, `p < k`; `b`
        /// holds `k · ceil(n / LANES)` packed vectors; `c + i·rsc + j·csc` is writable (and
        /// readable if `beta != 0`) for `i < rows`, `j < n`, and reached by no other thread.
        #[allow(clippy::too_many_arguments)]
        pub(crate) unsafe fn $name(
            rows: usize,
            k: usize,
            a: *const $t,
            rsa: isize,
            csa: isize,
            b: *const $t,
            c: *mut $t,
            rsc: isize,
            csc: isize,
            n: usize,
            alpha: $t,
            beta: $t,
        ) {
            let (sa, sc) = ((rsa, csa), (rsc, csc));
            // SAFETY: forwarded contract, with R == rows and V == ceil(n / LANES).
            unsafe {
                match (rows, n.div_ceil($lanes)) {
                    (12, 1) => $tile::<12, 1>(k, a, sa, b, c, sc, n, alpha, beta),
                    (4, 1) => $tile::<4, 1>(k, a, sa, b, c, sc, n, alpha, beta),
                    (1, 1) => $tile::<1, 1>(k, a, sa, b, c, sc, n, alpha, beta),
                    (12, 2) => $tile::<12, 2>(k, a, sa, b, c, sc, n, alpha, beta),
                    (4, 2) => $tile::<4, 2>(k, a, sa, b, c, sc, n, alpha, beta),
                    (1, 2) => $tile::<1, 2>(k, a, sa, b, c, sc, n, alpha, beta),
                    _ => unreachable!("narrow kernel: tiles have 12, 4 or 1 rows and 1 or 2 vectors"),
                }
            }
        }
    };
}

x86_narrow!(
    sgemm_avx512_narrow,
    sgemm_narrow_tile,
    f32,
    16,
    u16,
    _mm512_setzero_ps,
    _mm512_set1_ps,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps,
    _mm512_maskz_loadu_ps,
    _mm512_mask_storeu_ps
);
x86_narrow!(
    dgemm_avx512_narrow,
    dgemm_narrow_tile,
    f64,
    8,
    u8,
    _mm512_setzero_pd,
    _mm512_set1_pd,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd,
    _mm512_maskz_loadu_pd,
    _mm512_mask_storeu_pd
);
