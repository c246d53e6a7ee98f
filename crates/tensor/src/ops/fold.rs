//! Folding a contiguous run to one value, NumPy's way: blocks of up to 256 elements are folded
//! with 16 interleaved accumulators (so the loop vectorises), and blocks combine by pairwise
//! recursion, so the rounding error grows like O(log n), not O(n). The recursion tree depends
//! only on the length; its top levels run under `rayon::join`, so the result is the same for any
//! thread count (the top levels are in `reduce.rs`). Below the parallel threshold the recursion
//! runs inside one ISA's entry (`run_isa.rs`), so the blocks vectorise for the CPU's widest
//! vectors.

use crate::dtype::NumElement;

pub(crate) const BLOCK: usize = 256;
const LANES: usize = 16;

/// Folds a run with 16 interleaved accumulators and a fixed tree at the end. `x` is non-empty.
#[inline(always)]
pub(crate) fn fold_block<T: NumElement>(x: &[T], f: impl Fn(T, T) -> T + Copy) -> T {
    if x.len() < LANES {
        return x[1..].iter().fold(x[0], |a, &b| f(a, b));
    }
    let mut acc: [T; LANES] = x[..LANES].try_into().expect("LANES elements");
    let full = x.len() / LANES * LANES;
    for chunk in x[LANES..full].chunks_exact(LANES) {
        for l in 0..LANES {
            acc[l] = f(acc[l], chunk[l]);
        }
    }
    for (i, &v) in x[full..].iter().enumerate() {
        acc[i] = f(acc[i], v);
    }
    let mut w = LANES;
    while w > 1 {
        w /= 2;
        for l in 0..w {
            acc[l] = f(acc[l], acc[l + w]);
        }
    }
    acc[0]
}

/// The two halves a run of more than one block folds as, or `None` for one block.
#[inline(always)]
pub(crate) fn split_pairwise<T>(x: &[T]) -> Option<(&[T], &[T])> {
    if x.len() <= BLOCK {
        return None;
    }
    let mid = (x.len() / 2).next_multiple_of(LANES).min(x.len() - 1);
    Some(x.split_at(mid))
}
