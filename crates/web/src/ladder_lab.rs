//! The GEMM ladder lab: the tiers of docs/gemm.md run on the visitor's CPU, each result checked
//! against the naive loop.
//!
//! Inputs are small integers (-4 ..= 4), so every product and every partial sum up to the sizes
//! allowed here is an exact `f32`: a tier that computes the right thing matches the naive loop
//! bit for bit, whatever order it adds in. Timing happens in the page (`performance.now()` around
//! [`Lab::run`]): WebAssembly has no clock of its own.

use tessera_tensor::gemm::{MatMut, MatRef, Tier, gemm_with};

/// The largest side allowed (16·2^20 multiply-adds of at most 16 each stay exact below 2^24).
pub const MAX_N: usize = 1024;

/// The tiers the page offers, slowest first: (name, tier, what it adds).
pub const TIERS: &[(&str, Tier, &str)] = &[
    ("naive", Tier::Naive, "three loops, i-j-p: B read down a column"),
    ("reordered", Tier::Reordered, "i-p-j: B and C read along rows"),
    ("blocked", Tier::Blocked, "cache blocks of B reused across rows"),
    ("register-tile", Tier::RegisterTile, "a tile of C held in registers"),
    ("simd-tile", Tier::SimdTile, "the tile as SIMD vectors"),
    ("packed", Tier::PackedWide, "packed panels + SIMD micro-kernel"),
];

/// A and B for one size, the naive result to check against, and the last result.
pub struct Lab {
    n: usize,
    a: Vec<f32>,
    b: Vec<f32>,
    reference: Vec<f32>,
    c: Vec<f32>,
}

fn small_ints(len: usize, seed: u32) -> Vec<f32> {
    // A fixed LCG: the same inputs on every browser, no randomness needed.
    let mut s = seed;
    (0..len)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((s >> 16) % 9) as f32 - 4.0
        })
        .collect()
}

impl Lab {
    /// Square `n × n` inputs and their naive product.
    pub fn new(n: usize) -> Result<Lab, String> {
        if n == 0 || n > MAX_N {
            return Err(format!("size {n}: choose 1 ..= {MAX_N}"));
        }
        let (a, b) = (small_ints(n * n, 1), small_ints(n * n, 2));
        let mut lab = Lab { n, a, b, reference: Vec::new(), c: vec![0.0; n * n] };
        lab.run(0)?;
        lab.reference = lab.c.clone();
        Ok(lab)
    }

    /// The side of the matrices.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `C = A·B` with tier `index` of [`TIERS`].
    pub fn run(&mut self, index: usize) -> Result<(), String> {
        let (_, tier, _) = TIERS.get(index).ok_or_else(|| format!("no tier {index}"))?;
        let n = self.n;
        let a = MatRef::row_major(&self.a, n, n).map_err(|e| e.to_string())?;
        let b = MatRef::row_major(&self.b, n, n).map_err(|e| e.to_string())?;
        let c = MatMut::new(&mut self.c, n, n, n as isize, 1, 0).map_err(|e| e.to_string())?;
        gemm_with(*tier, 1.0, a, b, 0.0, c).map_err(|e| e.to_string())
    }

    /// How many elements of the last result differ from the naive loop's (0: exact).
    pub fn mismatches(&self) -> usize {
        self.c.iter().zip(&self.reference).filter(|(x, y)| x.to_bits() != y.to_bits()).count()
    }

    /// Floating-point operations of one product: 2·n³.
    pub fn flops(&self) -> f64 {
        2.0 * (self.n as f64).powi(3)
    }
}

#[cfg(test)]
mod tests {
    use super::{Lab, TIERS};

    #[test]
    fn every_tier_matches_the_naive_loop_exactly() {
        for n in [1, 7, 33, 100] {
            let mut lab = Lab::new(n).unwrap();
            for (i, (name, ..)) in TIERS.iter().enumerate() {
                lab.c.fill(f32::NAN);
                lab.run(i).unwrap();
                assert_eq!(lab.mismatches(), 0, "n {n}, tier {name}");
            }
        }
    }

    #[test]
    fn a_wrong_result_is_counted() {
        let mut lab = Lab::new(8).unwrap();
        lab.run(5).unwrap();
        lab.c[3] += 1.0;
        assert_eq!(lab.mismatches(), 1);
        assert!(Lab::new(0).is_err() && Lab::new(5000).is_err());
        assert!(lab.run(99).is_err());
    }
}
