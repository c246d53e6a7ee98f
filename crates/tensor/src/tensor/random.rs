//! A seeded, version-stable random number generator.
//!
//! Algorithm (documented so results are reproducible forever): ChaCha with 8 rounds
//! (`rand_chacha::ChaCha8Rng`), seeded from a `u64` by `SeedableRng::seed_from_u64`. Uniform f64 in
//! `[0, 1)` takes the top 53 bits of one `u64`; normals use the Box-Muller transform on two
//! uniforms (both outputs used, in order); integer ranges use rejection sampling, so there is no
//! modulo bias.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng as _, SeedableRng};

/// Seeded random source for initialisers, shuffling and random tensors.
#[derive(Debug, Clone)]
pub struct Rng {
    inner: ChaCha8Rng,
    spare_normal: Option<f64>,
}

impl Rng {
    /// A generator from a seed.
    ///
    /// ```
    /// let mut a = tessera_tensor::Rng::seed(42);
    /// let mut b = tessera_tensor::Rng::seed(42);
    /// assert_eq!(a.next_u64(), b.next_u64());
    /// ```
    pub fn seed(seed: u64) -> Rng {
        Rng { inner: ChaCha8Rng::seed_from_u64(seed), spare_normal: None }
    }

    /// 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (mean 0, std 1) by Box-Muller.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        // 1 - uniform() is in (0, 1], so ln never sees 0.
        let r = (-2.0 * (1.0 - self.uniform()).ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * self.uniform();
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    /// Uniform integer in `0..n` (`n > 0`), without modulo bias.
    ///
    /// ```
    /// let mut r = tessera_tensor::Rng::seed(1);
    /// assert!((0..100).all(|_| r.below(6) < 6));
    /// ```
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below: n must be positive");
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Shuffles a slice in place (Fisher-Yates, from the back).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// A random permutation of `0..n`.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        self.shuffle(&mut p);
        p
    }
}
