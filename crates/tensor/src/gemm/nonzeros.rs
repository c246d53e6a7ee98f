//! The nonzeros of a row of A, compressed: their steps and their values, for the sparse-rows
//! lists (`sparse_rows.rs`), and where they are as bits of 64-step words.
//!
//! ```text
//!  run (first step 128):   0  .5  0  0  .2  0  NaN  0       words[0] |= 0b0100_1010
//!  steps:   129 132 134                                     values .5 .2 NaN
//! ```
//!
//! A value is kept when it is not zero: NaN is kept, −0 is not (as zero-skipping decides). With
//! AVX2, each vector of 8 f32 is compared, its kept lanes moved to the front by one permute
//! (chosen by the compare's mask from a table) and stored whole, with no branch that depends on
//! the data; elsewhere every value is written at the next free slot and the slot advances only
//! past a nonzero, also without such a branch.

use std::mem::MaybeUninit;

/// Values past the last kept one that a version may write (whole vectors): the lists keep this
/// much room at their end.
pub(crate) const SLACK: usize = 16;

// Every version: writes the steps (`first + l`) and values of the nonzeros of `run` to `steps`
// and `values` from slot 0, sets bit `l % 64` of `words[l / 64]` for each nonzero `run[l]`, and
// returns how many there are. `words` holds `run.len().div_ceil(64)` words; `steps` and
// `values` at least `run.len() + SLACK` slots, of which any may be overwritten. One call lists a
// whole row. The element type's `nonzeros` (`scalar.rs`) picks one for this CPU.

/// Every version's check of its outputs' room for a run of `len` values (the contract above).
fn assert_room(len: usize, steps: usize, values: usize, words: usize) {
    assert!(words >= len.div_ceil(64) && steps >= len + SLACK && values >= len + SLACK, "room for the lists");
}

/// The portable version.
pub(crate) fn nonzeros_scalar<T: num_traits::Float>(
    run: &[T],
    first: usize,
    steps: &mut [MaybeUninit<u32>],
    values: &mut [MaybeUninit<T>],
    words: &mut [u64],
) -> usize {
    assert_room(run.len(), steps.len(), values.len(), words.len());
    let mut n = 0;
    for (w, (word, run)) in words.iter_mut().zip(run.chunks(64)).enumerate() {
        let mut mask = 0u64;
        for (l, &v) in run.iter().enumerate() {
            let keep = v != T::zero();
            steps[n].write((first + 64 * w + l) as u32);
            values[n].write(v);
            n += usize::from(keep);
            mask |= u64::from(keep) << l;
        }
        *word |= mask;
    }
    n
}

/// For each 8-bit mask, the positions of its set bits in order, then zeros: the lane order that
/// moves a vector's kept lanes to its front (a compress, as one permute).
#[cfg(target_arch = "x86_64")]
const COMPRESS: [[u8; 8]; 256] = {
    let mut table = [[0u8; 8]; 256];
    let mut mask = 0;
    while mask < 256 {
        let (mut lane, mut kept) = (0, 0);
        while lane < 8 {
            if mask & (1 << lane) != 0 {
                table[mask][kept] = lane as u8;
                kept += 1;
            }
            lane += 1;
        }
        mask += 1;
    }
    table
};

/// The f32 version on AVX2: 8 values per compare, a mask, and a permute from [`COMPRESS`].
///
/// # Safety
/// The CPU has AVX2 and POPCNT (the slices' sizes are checked here).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
pub(crate) unsafe fn nonzeros_f32_avx2(
    run: &[f32],
    first: usize,
    steps: &mut [MaybeUninit<u32>],
    values: &mut [MaybeUninit<f32>],
    words: &mut [u64],
) -> usize {
    use std::arch::x86_64::*;
    assert_room(run.len(), steps.len(), values.len(), words.len());
    let mut n = 0;
    let lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (w, (word, run)) in words.iter_mut().zip(run.chunks(64)).enumerate() {
        // The word's bits gather in a register: or-ing each chunk's into memory would chain
        // every chunk on the store before it.
        let mut mask = 0u64;
        for (c, chunk) in run.chunks(8).enumerate() {
            // A short last chunk is padded with zeros, which are not kept.
            let mut padded = [0.0f32; 8];
            let whole = chunk.len() == 8;
            if !whole {
                padded[..chunk.len()].copy_from_slice(chunk);
            }
            // SAFETY: the load reads 8 values, of the chunk when it has 8, else of `padded`;
            // COMPRESS's rows are 8 bytes; each store writes 8 slots from slot n, which is at
            // most the run's values before this chunk, and n + 8 <= run.len() + SLACK, which
            // the slices hold (asserted).
            unsafe {
                let v = _mm256_loadu_ps(if whole { chunk.as_ptr() } else { padded.as_ptr() });
                // Not-equal, unordered: NaN is kept; ±0 compare equal to 0 and are not.
                let keep = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_NEQ_UQ>(v, _mm256_setzero_ps())) as usize;
                let order = _mm256_cvtepu8_epi32(_mm_loadl_epi64(COMPRESS[keep].as_ptr() as *const __m128i));
                let at = _mm256_add_epi32(lanes, _mm256_set1_epi32((first + 64 * w + 8 * c) as i32));
                _mm256_storeu_ps(values.as_mut_ptr().add(n) as *mut f32, _mm256_permutevar8x32_ps(v, order));
                _mm256_storeu_si256(
                    steps.as_mut_ptr().add(n) as *mut __m256i,
                    _mm256_permutevar8x32_epi32(at, order),
                );
                n += keep.count_ones() as usize;
                mask |= (keep as u64) << (8 * c);
            }
        }
        *word |= mask;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    type Version<T> = fn(&[T], usize, &mut [MaybeUninit<u32>], &mut [MaybeUninit<T>], &mut [u64]) -> usize;

    /// Every version keeps the same steps and values: NaN and infinities kept, ±0 left out,
    /// rows of every length up to 200 (partial vectors and words), f32 and f64.
    #[test]
    fn every_version_keeps_the_nonzeros() {
        fn check<T: num_traits::Float>(fast: Option<Version<T>>) {
            let pattern = [0.5, 0.0, -0.0, f64::NAN, 0.0, 3.0, f64::INFINITY, 0.0, 0.0, -2.0];
            for len in 0..=200 {
                let run: Vec<T> =
                    (0..len).map(|l| T::from(pattern[(l * 7) % pattern.len()]).unwrap()).collect();
                let expect: Vec<(u32, T)> =
                    (0..len).filter(|&l| run[l] != T::zero()).map(|l| ((1000 + l) as u32, run[l])).collect();
                let mut steps = vec![MaybeUninit::new(0u32); len + SLACK];
                let mut values = vec![MaybeUninit::new(T::zero()); len + SLACK];
                for f in [Some(nonzeros_scalar::<T> as Version<T>), fast].into_iter().flatten() {
                    let mut words = vec![0u64; len.div_ceil(64)];
                    let n = f(&run, 1000, &mut steps, &mut values, &mut words);
                    // SAFETY: the version wrote slots 0 .. n.
                    let got: Vec<(u32, T)> = (0..n)
                        .map(|q| unsafe { (steps[q].assume_init(), values[q].assume_init()) })
                        .collect();
                    assert_eq!(got.len(), expect.len(), "len {len}");
                    for ((s, v), (es, ev)) in got.iter().zip(&expect) {
                        assert_eq!(s, es);
                        assert!(v == ev || (v.is_nan() && ev.is_nan()));
                    }
                    let mut bits = vec![0u64; len.div_ceil(64)];
                    for (s, _) in &expect {
                        bits[(s - 1000) as usize / 64] |= 1 << ((s - 1000) % 64);
                    }
                    assert_eq!(words, bits);
                }
            }
        }
        #[allow(unused_mut)]
        let mut f32_fast: Option<Version<f32>> = None;
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("popcnt") {
            // SAFETY: the CPU has AVX2 and POPCNT (the version checks the slices itself).
            f32_fast = Some(|r, f, s, v, w| unsafe { nonzeros_f32_avx2(r, f, s, v, w) });
        }
        check::<f32>(f32_fast);
        check::<f64>(None);
    }
}
