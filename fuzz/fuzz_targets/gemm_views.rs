//! GEMM on views built from arbitrary bytes, in f32 or f64: any dimensions, strides (negative,
//! zero), offsets and buffer lengths, values with many zeros (zero-skipping) and some ±∞/NaN. Either `MatRef::new` /
//! `MatMut::new` refuse the view, or every tier gives the naive loop's result exactly, since the
//! values are small integers (exact sums) and ±∞/NaN come out the same in any summation order.
//! (The sign of a zero may differ: with k = 0 the packed tiers return `beta·C`, the BLAS rule,
//! where the naive loop computes `alpha·0`, which is −0 for a negative alpha.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::Bytes;
use tessera_tensor::gemm::{GemmScalar, MatMut, MatRef, Tier, gemm_naive, gemm_with};

/// A small signed stride.
fn stride(input: &mut Bytes) -> isize {
    isize::from(input.byte() as i8 % 8)
}

/// Zeros (5 in 8: whole zero steps for zero-skipping), small integers, now and then ±∞ or NaN.
fn value<T: GemmScalar>(input: &mut Bytes) -> T {
    match input.byte() {
        0..=159 => T::zero(),
        160 => T::infinity(),
        161 => T::neg_infinity(),
        162 => T::nan(),
        b => T::from(i32::from(b % 7) - 3).expect("small integers convert"),
    }
}

/// A buffer and a view's (rs, cs, offset) for `rows × cols`: row-major, column-major or any strides.
fn operand<T: GemmScalar>(input: &mut Bytes, rows: usize, cols: usize) -> (Vec<T>, isize, isize, usize) {
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
    // f64 has its own kernels (12×16 tiles, a two-vector narrow kernel for n ≤ 16).
    if input.byte() % 2 == 0 { case::<f32>(input) } else { case::<f64>(input) }
});

fn case<T: GemmScalar>(mut input: Bytes) {
    let (m, k, n) =
        (usize::from(input.byte() % 30), usize::from(input.byte() % 48), usize::from(input.byte() % 40));
    // alpha = 0 reads neither A nor B (the BLAS rule), unlike the naive loop: left out.
    let alpha = T::from([1.0, 2.5, -1.0][usize::from(input.byte() % 3)]).unwrap();
    let beta = T::from([0.0, 1.0, 2.5][usize::from(input.byte() % 3)]).unwrap();
    let tier = [
        Tier::Packed,
        Tier::PackedWide,
        Tier::Parallel(2),
        Tier::Blocked,
        Tier::Reordered,
        Tier::RegisterTile,
        Tier::SimdTile,
    ][usize::from(input.byte() % 7)];
    let (da, rsa, csa, oa) = operand::<T>(&mut input, m, k);
    let (db, rsb, csb, ob) = operand::<T>(&mut input, k, n);
    let (Ok(a), Ok(b)) = (MatRef::new(&da, m, k, rsa, csa, oa), MatRef::new(&db, k, n, rsb, csb, ob)) else {
        return;
    };
    // With beta = 0, C must not be read: fill it with NaN.
    let c0: Vec<T> =
        (0..m * n).map(|x| if beta == T::zero() { T::nan() } else { T::from(x % 5).unwrap() }).collect();
    let (mut want, mut got) = (c0.clone(), c0);
    gemm_naive(alpha, a, b, beta, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    gemm_with(tier, alpha, a, b, beta, MatMut::row_major(&mut got, m, n).unwrap()).unwrap();
    for (x, (w, g)) in want.iter().zip(&got).enumerate() {
        assert!(
            w == g || (w.is_nan() && g.is_nan()),
            "{tier:?} m{m} k{k} n{n} a({rsa},{csa},{oa}) b({rsb},{csb},{ob}): C[{x}] {g:?} vs naive {w:?}"
        );
    }
}
