//! One micro-kernel call by itself, safely: the innermost step of the ladder, for study and for
//! `tessera bench kernel`, which times it with its panels in L1, L2 and L3 to show where a large
//! GEMM loses the last tenth of the FMA peak.

use super::kernel::Kernel;
use super::scalar::GemmScalar;
use crate::error::{Result, TensorError};

impl<T: GemmScalar> Kernel<T> {
    /// Runs the micro-kernel once: the MR×NR tile `c <- alpha·(a·b) + beta·c` over `kc` steps,
    /// where `a` is one packed A micro-panel (`a[p·MR + i] = A[i, p]`), `b` one packed B
    /// micro-panel (`b[p·NR + j] = B[p, j]`), and the tile is row-major in `c` with row stride
    /// `ldc` (`c[i·ldc + j]`). With `beta == 0` the tile is only written, never read. The packed
    /// GEMM makes exactly this call for every full tile; here it checks its slices first. MR and
    /// NR are the kernel's own (`blocks.mr`, `blocks.nr` as `kernel_*` returned them).
    ///
    /// ```
    /// use tessera_tensor::gemm::GemmScalar;
    /// let kernel = f32::kernel_wide(); // 4×8 tile
    /// let (mr, nr) = (kernel.blocks().mr, kernel.blocks().nr);
    /// // Two steps: A = [[1, 2], [1, 2], ...] (every row), B = [[1; 8], [10; 8]].
    /// let a: Vec<f32> = [1.0; 4].into_iter().chain([2.0; 4]).collect();
    /// let b: Vec<f32> = [1.0; 8].into_iter().chain([10.0; 8]).collect();
    /// let mut c = vec![f32::NAN; mr * nr];
    /// kernel.run_tile(2, &a, &b, 1.0, 0.0, &mut c, nr).unwrap();
    /// assert!(c.iter().all(|&x| x == 21.0)); // 1·1 + 2·10
    /// assert!(kernel.run_tile(3, &a, &b, 1.0, 0.0, &mut c, nr).is_err()); // panels hold 2 steps
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn run_tile(
        &self,
        kc: usize,
        a: &[T],
        b: &[T],
        alpha: T,
        beta: T,
        c: &mut [T],
        ldc: usize,
    ) -> Result<()> {
        // The tile the kernel really computes (whatever block sizes the crate has set since).
        let (mr, nr) = self.tile;
        let need =
            [kc.saturating_mul(mr), kc.saturating_mul(nr), (mr - 1).saturating_mul(ldc).saturating_add(nr)];
        let got = [a.len(), b.len(), c.len()];
        if ldc < nr || (0..3).any(|i| got[i] < need[i]) || kc > isize::MAX as usize / nr {
            return Err(TensorError::Shape {
                op: "run_tile",
                shapes: vec![vec![a.len()], vec![b.len()], vec![c.len()]],
                reason: format!(
                    "the {} kernel over kc = {kc} needs A ≥ {}, B ≥ {}, C ≥ {} elements and ldc = {ldc} ≥ {nr}",
                    self.name, need[0], need[1], need[2]
                ),
            });
        }
        // SAFETY: `a` and `b` hold kc·MR and kc·NR initialised elements (checked above), the
        // MR×NR tile at row stride ldc ≥ NR lies inside `c`, which we borrow exclusively, and the
        // kernel's CPU features were detected when `self` was made (`kernel_avx2`/`kernel_avx512`;
        // NEON is part of every aarch64 CPU).
        unsafe {
            (self.full.plain)(kc, a.as_ptr(), b.as_ptr(), c.as_mut_ptr(), ldc as isize, 1, alpha, beta);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::gemm::GemmScalar;

    /// Every kernel this CPU runs, against the sum written out, with beta applied.
    #[test]
    fn one_tile_of_every_kernel() {
        let kernels =
            [Some(f32::kernel_wide()), f32::kernel_avx2(), f32::kernel_avx512(), f32::kernel_neon()];
        for kernel in kernels.into_iter().flatten() {
            let (mr, nr, kc) = (kernel.blocks().mr, kernel.blocks().nr, 7);
            let a: Vec<f32> = (0..kc * mr).map(|x| (x % 5) as f32 - 2.0).collect();
            let b: Vec<f32> = (0..kc * nr).map(|x| (x % 3) as f32).collect();
            let ldc = nr + 3;
            let mut c: Vec<f32> = (0..mr * ldc).map(|x| x as f32).collect();
            let before = c.clone();
            kernel.run_tile(kc, &a, &b, 2.0, 0.5, &mut c, ldc).unwrap();
            for i in 0..mr {
                for j in 0..ldc {
                    let want = if j < nr {
                        let dot: f32 = (0..kc).map(|p| a[p * mr + i] * b[p * nr + j]).sum();
                        2.0 * dot + 0.5 * before[i * ldc + j]
                    } else {
                        before[i * ldc + j] // outside the tile: untouched
                    };
                    assert_eq!(c[i * ldc + j], want, "{} at ({i}, {j})", kernel.name);
                }
            }
        }
    }

    #[test]
    fn edited_block_sizes_do_not_shrink_the_checks() {
        let mut kernel = f32::kernel_wide(); // 4×8
        kernel.blocks.mr = 1;
        kernel.blocks.nr = 1;
        let (a, b, mut c) = (vec![0.0; 4], vec![0.0; 8], vec![0.0; 32]);
        assert!(kernel.run_tile(1, &a, &b, 1.0, 0.0, &mut c, 8).is_ok());
        assert!(kernel.run_tile(1, &a[..1], &b[..1], 1.0, 0.0, &mut c[..1], 1).is_err());
    }

    #[test]
    fn short_slices_are_refused_with_the_sizes() {
        let kernel = f64::kernel_wide(); // 4×4
        let (a, b, mut c) = (vec![0.0; 8], vec![0.0; 8], vec![0.0; 16]);
        assert!(kernel.run_tile(2, &a, &b, 1.0, 0.0, &mut c, 4).is_ok());
        let e = kernel.run_tile(2, &a, &b, 1.0, 0.0, &mut c[..15], 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "run_tile: shapes [8], [8], [15] do not fit: the wide 4x4 kernel over kc = 2 needs A ≥ 8, \
             B ≥ 8, C ≥ 16 elements and ldc = 4 ≥ 4"
        );
        assert!(kernel.run_tile(2, &a, &b, 1.0, 0.0, &mut c, 3).is_err());
        assert!(kernel.run_tile(usize::MAX, &a, &b, 1.0, 0.0, &mut c, 4).is_err());
    }
}
