//! The portable micro-kernel, written with `wide` vectors: the fallback on CPUs without AVX2 and on
//! other architectures. Same contract as `kernel_x86`. `wide` picks its instructions when the
//! crate is compiled (SSE2 on a default x86-64 build), so this kernel is slower than the runtime-
//! dispatched ones here, but it runs everywhere.

use wide::{f32x8, f64x4};

macro_rules! wide_kernel {
    ($name:ident, $t:ty, $v:ty, $lanes:expr, $mr:expr, $nv:expr) => {
        /// Portable micro-kernel; see the module contract (it takes no prefetch hint).
        ///
        /// # Safety
        /// `a` holds `k·MR` and `b` `k·NR` readable elements, every step of `steps` is below
        /// `k`; every `c + i·rsc + j·csc` for `i < MR`, `j < NR` is valid for reads and writes
        /// and reached by no other thread.
        #[allow(clippy::too_many_arguments)]
        pub(crate) unsafe fn $name(
            steps: super::Steps,
            _next_a: super::NextA,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            rsc: isize,
            csc: isize,
            alpha: $t,
            beta: $t,
        ) {
            const MR: usize = $mr;
            const NV: usize = $nv;
            const NR: usize = NV * $lanes;
            let mut acc = [[<$v>::ZERO; NV]; MR];
            let (n, kept) = match steps {
                super::Steps::All(k) => (k, None),
                super::Steps::Only(kept) => (kept.len(), Some(kept)),
            };
            for q in 0..n {
                let p = kept.map_or(q, |kept| usize::from(kept[q]));
                let mut bv = [<$v>::ZERO; NV];
                for j in 0..NV {
                    // SAFETY: b holds k·NR elements and p < k; this reads NR of row p, unaligned.
                    bv[j] = <$v>::from(unsafe {
                        (b.add(p * NR + j * $lanes) as *const [$t; $lanes]).read_unaligned()
                    });
                }
                for i in 0..MR {
                    // SAFETY: a holds k·MR elements and p < k.
                    let ai = <$v>::splat(unsafe { *a.add(p * MR + i) });
                    for j in 0..NV {
                        acc[i][j] = ai.mul_add(bv[j], acc[i][j]);
                    }
                }
            }
            for i in 0..MR {
                for j in 0..NV {
                    let r = (acc[i][j] * <$v>::splat(alpha)).to_array();
                    for (l, &v) in r.iter().enumerate() {
                        // SAFETY: (i, j·LANES + l) is inside the tile the caller handed us.
                        unsafe {
                            let q = c.offset(i as isize * rsc + (j * $lanes + l) as isize * csc);
                            *q = if beta == 0.0 { v } else { beta.mul_add(*q, v) };
                        }
                    }
                }
            }
        }
    };
}

wide_kernel!(sgemm_wide_4x8, f32, f32x8, 8, 4, 1);
wide_kernel!(dgemm_wide_4x4, f64, f64x4, 4, 4, 1);
