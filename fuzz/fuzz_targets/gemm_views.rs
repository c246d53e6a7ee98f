//! GEMM on views built from arbitrary bytes: any dimensions, strides (negative, zero), offsets and
//! buffer lengths, values with many zeros (zero-skipping) and some ±∞/NaN. Either `MatRef::new` /
//! `MatMut::new` refuse the view, or every tier gives the naive loop's result exactly, since the
//! values are small integers (exact sums) and ±∞/NaN come out the same in any summation order.
//! (The sign of a zero may differ: with k = 0 the packed tiers return `beta·C`, the BLAS rule,
//! where the naive loop computes `alpha·0`, which is −0 for a negative alpha.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::Bytes;
use tessera_tensor::gemm::{MatMut, MatRef, Tier, gemm_naive, gemm_with};

/// A small signed stride.
fn stride(input: &mut Bytes) -> isize {
    isize::from(input.byte() as i8 % 8)
}

/// Zeros (5 in 8: whole zero steps for zero-skipping), small integers, now and then ±∞ or NaN.
fn value(input: &mut Bytes) -> f32 {
    match input.byte() {
        0..=159 => 0.0,
        160 => f32::INFINITY,
        161 => f32::NEG_INFINITY,
        162 => f32::NAN,
        b => f32::from(b % 7) - 3.0,
    }
}

/// A buffer and a view's (rs, cs, offset) for `rows × cols`: row-major, column-major or any strides.
fn operand(input: &mut Bytes, rows: usize, cols: usize) -> (Vec<f32>, isize, isize, usize) {
    let (rs, cs, offset) = match input.byte() % 3 {
        0 => (cols as isize, 1, 0),
        1 => (1, rows as isize, 0),
        _ => (stride(input), stride(input), usize::from(input.byte() % 16)),
    };
    let len = rows * cols + usize::from(input.byte() % 64);
    let data = (0..len).map(|_| value(input)).collect();
    (data, rs, cs, offset)
}

fuzz_target!(|bytes: &[u8]| {
    let mut input = Bytes(bytes);
    let (m, k, n) =
        (usize::from(input.byte() % 30), usize::from(input.byte() % 48), usize::from(input.byte() % 40));
    // alpha = 0 reads neither A nor B (the BLAS rule), unlike the naive loop: left out.
    let alpha = [1.0f32, 2.5, -1.0][usize::from(input.byte() % 3)];
    let beta = [0.0f32, 1.0, 2.5][usize::from(input.byte() % 3)];
    let tier = [Tier::Packed, Tier::PackedWide, Tier::Parallel(2), Tier::Blocked, Tier::Reordered]
        [usize::from(input.byte() % 5)];
    let (da, rsa, csa, oa) = operand(&mut input, m, k);
    let (db, rsb, csb, ob) = operand(&mut input, k, n);
    let (Ok(a), Ok(b)) = (MatRef::new(&da, m, k, rsa, csa, oa), MatRef::new(&db, k, n, rsb, csb, ob)) else {
        return;
    };
    // With beta = 0, C must not be read: fill it with NaN.
    let c0: Vec<f32> = (0..m * n).map(|x| if beta == 0.0 { f32::NAN } else { (x % 5) as f32 }).collect();
    let (mut want, mut got) = (c0.clone(), c0);
    gemm_naive(alpha, a, b, beta, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    gemm_with(tier, alpha, a, b, beta, MatMut::row_major(&mut got, m, n).unwrap()).unwrap();
    for (x, (w, g)) in want.iter().zip(&got).enumerate() {
        assert!(
            w == g || (w.is_nan() && g.is_nan()),
            "{tier:?} m{m} k{k} n{n} a({rsa},{csa},{oa}) b({rsb},{csb},{ob}): C[{x}] {g} vs naive {w}"
        );
    }
});
