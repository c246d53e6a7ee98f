//! A small-shape tour of the code that reads memory through computed offsets, sized to run under
//! Miri in a few minutes (`cargo +nightly miri test -p tessera-tensor --test miri_subset`; see
//! docs/reliability.md): layouts and views, the strided walker, element-wise kernels, reductions,
//! and the GEMM tiers Miri can execute (naive, reordered, blocked, packed with the portable
//! micro-kernel). Every result is checked against plain index arithmetic.

use tessera_tensor::gemm::{MatMut, MatRef, Tier, gemm_naive, gemm_with};
use tessera_tensor::{Layout, SliceArg, Tensor, s};

fn arange(n: usize, shape: &[usize]) -> Tensor<f32> {
    Tensor::from_vec((0..n).map(|i| i as f32).collect(), shape).unwrap()
}

#[test]
fn layouts_views_and_the_walker() {
    assert!(Layout::new(&[2, 3], &[3, 1], 0, 6).is_ok());
    assert!(Layout::new(&[2, 3], &[3, 1], 1, 6).is_err());
    assert!(Layout::new(&[2, 3], &[-3, -1], 5, 6).is_ok());
    let x = arange(24, &[2, 3, 4]);
    // Negative steps, a dropped axis, a new axis: each element equals its index arithmetic.
    let v = x.slice(&s![.., ..;-1, 1..;2]).unwrap();
    assert_eq!(v.shape(), &[2, 3, 2]);
    for i in 0..2 {
        for j in 0..3 {
            for k in 0..2 {
                let want = (i * 12 + (2 - j) * 4 + 1 + 2 * k) as f32;
                assert_eq!(v.get(&[i as isize, j as isize, k as isize]).unwrap(), want);
            }
        }
    }
    let t = x.transpose();
    assert_eq!(t.to_vec().len(), 24);
    assert_eq!(t.get(&[3, 2, 1]).unwrap(), 1.0 * 12.0 + 2.0 * 4.0 + 3.0);
    let b = arange(4, &[4]).broadcast_to(&[3, 4]).unwrap();
    assert_eq!(b.to_vec(), [0.0, 1.0, 2.0, 3.0].repeat(3));
    let r = t.reshape(&[4, -1]).unwrap();
    assert_eq!(r.to_vec(), t.to_vec());
    let e = x.slice(&[SliceArg::from(1..1)]).unwrap();
    assert_eq!(e.size(), 0);
}

#[test]
fn element_wise_and_reductions_on_strided_views() {
    let x = arange(30, &[5, 6]);
    let a = x.slice(&s![..;2, 1..5]).unwrap(); // [3, 4], strided
    let b = arange(4, &[4]); // broadcast over rows
    let sum = a.try_add(&b).unwrap();
    let prod = a.try_mul(&a.transpose().transpose()).unwrap();
    let ex = a.exp();
    let relu = a.try_sub(&Tensor::scalar(10.0)).unwrap().relu();
    for i in 0..3 {
        for j in 0..4 {
            let v = (i * 12 + 1 + j) as f32;
            let at = [i as isize, j as isize];
            assert_eq!(sum.get(&at).unwrap(), v + j as f32);
            assert_eq!(prod.get(&at).unwrap(), v * v);
            assert!((ex.get(&at).unwrap() - v.exp()).abs() <= v.exp() * 1e-6);
            assert_eq!(relu.get(&at).unwrap(), (v - 10.0).max(0.0));
        }
    }
    let rows = a.sum(&[1], false).unwrap().to_vec();
    let want: Vec<f32> = (0..3).map(|i| (0..4).map(|j| (i * 12 + 1 + j) as f32).sum()).collect();
    assert_eq!(rows, want);
    assert_eq!(a.max_all().unwrap(), 28.0);
    assert_eq!(a.argmax(Some(0)).unwrap().to_vec(), vec![2, 2, 2, 2]);
    let mut m = a.to_contiguous();
    m += &b;
    assert_eq!(m, sum);
}

#[test]
fn portable_gemm_tiers_match_the_naive_loop() {
    // n = 16 fills the SIMD tile (two f32x8 vectors), whose full rows of B are read as slices.
    for (m, k, n) in [(7, 5, 9), (5, 3, 16)] {
        let a: Vec<f32> = (0..m * k).map(|i| (i % 7) as f32 - 3.0).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i % 5) as f32 - 2.0).collect();
        // A read through a transposed (column-major) view, B row-major.
        let am = MatRef::new(&a, m, k, 1, m as isize, 0).unwrap();
        let bm = MatRef::row_major(&b, k, n).unwrap();
        let mut want = vec![0.0f32; m * n];
        gemm_naive(1.0, am, bm, 0.0, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
        for tier in [Tier::Reordered, Tier::Blocked, Tier::RegisterTile, Tier::SimdTile, Tier::PackedWide] {
            let mut c = vec![1.0f32; m * n];
            gemm_with(tier, 1.0, am, bm, 0.0, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
            assert_eq!(c, want, "{}", tier.name());
        }
    }
    // B read in place by the packed kernel (`b_in_place.rs`): whole 8-wide panels with unit
    // column stride, here inside a wider buffer (row stride 21) and with its rows reversed.
    let (m, k, n) = (5, 4, 16);
    let a: Vec<f32> = (0..m * k).map(|i| (i % 5) as f32 + 1.0).collect();
    let wide: Vec<f32> = (0..k * 21).map(|i| (i % 9) as f32 - 4.0).collect();
    let am = MatRef::row_major(&a, m, k).unwrap();
    for bm in [MatRef::new(&wide, k, n, 21, 1, 2).unwrap(), MatRef::new(&wide, k, n, -21, 1, 63 + 3).unwrap()]
    {
        let mut want = vec![0.0f32; m * n];
        gemm_naive(1.0, am, bm, 0.0, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
        let mut c = vec![f32::NAN; m * n];
        gemm_with(Tier::PackedWide, 1.0, am, bm, 0.0, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
        assert_eq!(c, want);
    }
    // Rows much sparser than their panel (`row_steps.rs`): step p holds one nonzero, in row
    // p % 12, and the last four steps are zero in every row (zero-skipping applies). The first
    // panel's rows are full up to there, so the block is not taken as sparse rows.
    let (m, k, n) = (12, 16, 16);
    let a: Vec<f32> = (0..m * k)
        .map(|x| {
            let (i, p) = (x / k, x % k);
            if p < 12 && (i < 4 || i == p % 12) { 2.0 } else { 0.0 }
        })
        .collect();
    let b: Vec<f32> = (0..k * n).map(|i| (i % 7) as f32 - 3.0).collect();
    let (am, bm) = (MatRef::row_major(&a, m, k).unwrap(), MatRef::row_major(&b, k, n).unwrap());
    let mut want = vec![0.0f32; m * n];
    gemm_naive(1.0, am, bm, 0.0, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    let mut c = vec![f32::NAN; m * n];
    gemm_with(Tier::PackedWide, 1.0, am, bm, 0.0, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
    assert_eq!(c, want);
    // A block as sparse as MNIST (`sparse_rows.rs`): each row's nonzeros listed from a
    // column-major A, B packed in the sparse kernel's panels (32 wide here: one whole panel, then
    // 5 columns computed one by one), alpha and beta applied.
    let (m, k, n) = (9, 40, 37);
    let a: Vec<f32> = (0..m * k).map(|x| if x % 5 == 0 { (x % 7) as f32 - 3.0 } else { 0.0 }).collect();
    let b: Vec<f32> = (0..k * n).map(|i| (i % 9) as f32 - 4.0).collect();
    let am = MatRef::new(&a, m, k, 1, m as isize, 0).unwrap();
    let bm = MatRef::row_major(&b, k, n).unwrap();
    let mut want: Vec<f32> = (0..m * n).map(|i| (i % 3) as f32).collect();
    let mut c = want.clone();
    gemm_naive(2.0, am, bm, 0.5, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    gemm_with(Tier::PackedWide, 2.0, am, bm, 0.5, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
    assert_eq!(c, want);
    let x = arange(6, &[2, 3]);
    let y = arange(12, &[3, 4]);
    let z = x.matmul(&y).unwrap();
    assert_eq!(z.to_vec(), vec![20.0, 23.0, 26.0, 29.0, 56.0, 68.0, 80.0, 92.0]);
}
