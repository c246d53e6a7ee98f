//! Every GEMM tier against the naive oracle: a shape ladder around the register and cache
//! blocks, every operand layout (row-major, column-major, strided, transposed, stride 0),
//! alpha/beta in {0, 1, 2.5} with C full of NaN when beta = 0, exact equality on small integers
//! and a k-proportional bound on random inputs.

use proptest::prelude::*;
use tessera_tensor::Rng;
use tessera_tensor::gemm::{Epilogue, GemmScalar, MatMut, MatRef, Tier, gemm_naive};
use tessera_tensor::simd::Isa;

/// Runs `f` on a worker of a two-thread pool, as `fit` and any code inside a pool calls the GEMM:
/// the parallel tier splits products from the in-pool thresholds there (from a test's own
/// thread, outside any pool, only larger products split).
fn in_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap()).install(f)
}

/// `gemm::gemm_with`, called from inside a pool ([`in_pool`]).
fn gemm_with<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) -> tessera_tensor::Result<()> {
    in_pool(|| tessera_tensor::gemm::gemm_with(tier, alpha, a, b, beta, c))
}

/// `gemm::gemm_with_epilogue`, called from inside a pool ([`in_pool`]).
fn gemm_with_epilogue<T: GemmScalar>(
    tier: Tier,
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epi: Epilogue<T>,
) -> tessera_tensor::Result<()> {
    in_pool(|| tessera_tensor::gemm::gemm_with_epilogue(tier, alpha, a, b, beta, c, epi))
}

fn tiers<T: GemmScalar>() -> Vec<Tier> {
    let mut t = vec![
        Tier::Reordered,
        Tier::Blocked,
        Tier::RegisterTile,
        Tier::SimdTile,
        Tier::PackedWide,
        Tier::Packed,
        Tier::Parallel(2),
        Tier::Parallel(3),
    ];
    if T::kernel_avx2().is_some() {
        t.push(Tier::PackedAvx2);
    }
    if T::kernel_avx512().is_some() {
        t.push(Tier::PackedAvx512);
    }
    if T::kernel_neon().is_some() {
        t.push(Tier::PackedNeon);
    }
    t
}

/// Operand layouts: how a logical rows×cols matrix is stored.
#[derive(Debug, Clone, Copy)]
enum Store {
    RowMajor,
    ColMajor,
    /// Row-major inside a buffer twice as wide, every other column used (a step slice).
    Strided,
    /// Reversed rows (negative row stride).
    Reversed,
    /// One stored row repeated (row stride 0); values are the first row's.
    Broadcast,
}

const STORES: [Store; 5] =
    [Store::RowMajor, Store::ColMajor, Store::Strided, Store::Reversed, Store::Broadcast];

/// Buffer plus (rs, cs, offset) for a rows×cols logical matrix with element (i, j) = f(i, j).
fn store<T: GemmScalar>(
    rows: usize,
    cols: usize,
    s: Store,
    f: impl Fn(usize, usize) -> T,
) -> (Vec<T>, isize, isize, usize) {
    let (r, c) = (rows as isize, cols as isize);
    match s {
        Store::RowMajor => ((0..rows * cols).map(|x| f(x / cols.max(1), x % cols.max(1))).collect(), c, 1, 0),
        Store::ColMajor => ((0..rows * cols).map(|x| f(x % rows.max(1), x / rows.max(1))).collect(), 1, r, 0),
        Store::Strided => {
            let mut v = vec![T::nan(); rows * cols * 2];
            for i in 0..rows {
                for j in 0..cols {
                    v[i * cols * 2 + j * 2] = f(i, j);
                }
            }
            (v, 2 * c, 2, 0)
        }
        Store::Reversed => {
            let mut v = vec![T::zero(); rows * cols];
            for i in 0..rows {
                for j in 0..cols {
                    v[(rows - 1 - i) * cols + j] = f(i, j);
                }
            }
            (v, -c, 1, if rows == 0 { 0 } else { (rows - 1) * cols })
        }
        Store::Broadcast if rows == 0 => (vec![], 0, 1, 0),
        Store::Broadcast => ((0..cols).map(|j| f(0, j)).collect(), 0, 1, 0),
    }
}

#[allow(clippy::too_many_arguments)]
fn run_case<T: GemmScalar>(
    tier: Tier,
    m: usize,
    k: usize,
    n: usize,
    sa: Store,
    sb: Store,
    alpha: T,
    beta: T,
    integer: bool,
) {
    let mut rng = Rng::seed((m * 1000 + k * 100 + n) as u64);
    let vals_a: Vec<T> = (0..m * k).map(|_| val(&mut rng, integer)).collect();
    let vals_b: Vec<T> = (0..k * n).map(|_| val(&mut rng, integer)).collect();
    let fa = |i: usize, p: usize| vals_a[i * k + p];
    let fb = |p: usize, j: usize| vals_b[p * n + j];
    let (da, rsa, csa, oa) = store(m, k, sa, fa);
    let (db, rsb, csb, ob) = store(k, n, sb, fb);
    let a = MatRef::new(&da, m, k, rsa, csa, oa).unwrap();
    let b = MatRef::new(&db, k, n, rsb, csb, ob).unwrap();
    let c0: Vec<T> =
        (0..m * n).map(|x| if beta == T::zero() { T::nan() } else { T::from(x % 7).unwrap() }).collect();
    let mut want = c0.clone();
    let mut got = c0.clone();
    gemm_naive(alpha, a, b, beta, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    gemm_with(tier, alpha, a, b, beta, MatMut::row_major(&mut got, m, n).unwrap()).unwrap();
    let tol =
        if integer { T::zero() } else { T::epsilon() * T::from(4 * k + 8).unwrap() * T::from(4.0).unwrap() };
    for x in 0..m * n {
        let (w, g) = (want[x], got[x]);
        assert!(!g.is_nan(), "{tier:?} m{m} k{k} n{n} {sa:?}x{sb:?}: NaN at {x} (C read with beta 0?)");
        assert!(
            (w - g).abs() <= tol * (T::one() + w.abs()),
            "{tier:?} m{m} k{k} n{n} {sa:?}x{sb:?} alpha {alpha:?} beta {beta:?}: C[{x}] {g:?} vs naive {w:?}"
        );
    }
}

fn val<T: GemmScalar>(rng: &mut Rng, integer: bool) -> T {
    if integer {
        T::from(rng.below(7) as i64 - 3).unwrap()
    } else {
        T::from(rng.uniform() * 2.0 - 1.0).unwrap()
    }
}

fn ladder<T: GemmScalar>() {
    let mr = T::kernel_best().blocks().mr.max(T::kernel_wide().blocks().mr);
    let small: Vec<usize> = (0..=2 * mr + 1).collect();
    for tier in tiers::<T>() {
        for &m in &small {
            for &n in &[0usize, 1, 2, 7, 8, 15, 16, 17, 31, 33] {
                for &k in &[0usize, 1, 3, 8] {
                    run_case::<T>(tier, m, k, n, Store::RowMajor, Store::RowMajor, T::one(), T::zero(), true);
                }
            }
        }
    }
}

#[test]
fn shape_ladder_f32_exact_on_integers() {
    ladder::<f32>();
}

#[test]
fn shape_ladder_f64_exact_on_integers() {
    ladder::<f64>();
}

#[test]
fn fringes_around_blocks_every_layout() {
    let alphas = [0.0f32, 1.0, 2.5];
    for tier in tiers::<f32>() {
        // (37, 1100, 45) crosses two KC slices, (13, 70, 530) the NC block of B and
        // (4090, 3, 33) the MC block of A (4080 rows); (37, 300, 130) is split by columns on
        // several threads, which pack A together and share it.
        for (m, k, n) in [
            (63, 65, 64),
            (65, 257, 33),
            (127, 129, 97),
            (193, 300, 129),
            (5, 513, 3),
            (200, 7, 1),
            (37, 1100, 45),
            (13, 70, 530),
            (4090, 3, 33),
            (37, 300, 130),
        ] {
            for (i, &sa) in STORES.iter().enumerate() {
                let sb = STORES[(i + 2) % STORES.len()];
                let alpha = alphas[i % 3];
                let beta = alphas[(i + 1) % 3];
                run_case::<f32>(tier, m, k, n, sa, sb, alpha, beta, false);
            }
        }
    }
}

#[test]
fn f64_fringes_and_layouts() {
    for tier in tiers::<f64>() {
        for (m, k, n) in [(13, 257, 17), (97, 64, 65)] {
            for &sa in &STORES {
                run_case::<f64>(tier, m, k, n, sa, Store::ColMajor, 2.5, 1.0, false);
            }
        }
    }
}

#[test]
fn parallel_is_bit_identical_for_any_thread_count() {
    // Row splits, and (37, 600, 400) a column split, where the threads share one packed A;
    // (1030, 1100, 530) has a C larger than L2, so KC deepens (`kc_large_c`) for the whole product,
    // though each thread's part of C alone would fit. With beta = 0, the short, wide products of
    // two KC slices (37×600, 30×700 with edge tiles, the MNIST forward 128×784·784×512) split by
    // depth: one slice per half of the threads, then their sum (`depth_split.rs`). 100×64 (edge
    // tiles) and the MNIST weight gradient 784×128·128×512 split by rows, in one KC slice.
    for (m, k, n) in [
        (150, 300, 200),
        (60, 1030, 90),
        (37, 600, 400),
        (1030, 1100, 530),
        (30, 700, 100),
        (128, 784, 512),
        (100, 64, 70),
        (784, 128, 512),
    ] {
        bit_identical(m, k, n);
    }
}

/// A C larger than L2 takes the deeper KC (two slices of 1024 and 76 here, for f32 AVX-512):
/// checked against the naive loop in every layout, on one and two threads.
#[test]
#[cfg_attr(
    not(target_arch = "x86_64"),
    ignore = "only the x86 kernels deepen KC; elsewhere this is the shape ladder again, minutes under emulation"
)]
fn large_c_deeper_kc_every_layout() {
    // The naive reference costs 0.6 G multiply-adds per case: three layout pairs cover every layout.
    let pairs = [
        (Store::RowMajor, Store::ColMajor),
        (Store::Strided, Store::Reversed),
        (Store::Broadcast, Store::RowMajor),
    ];
    for (i, (sa, sb)) in pairs.into_iter().enumerate() {
        run_case::<f32>(Tier::Parallel(2), 1030, 1100, 530, sa, sb, 1.0, [0.0f32, 2.5][i % 2], false);
    }
    run_case::<f32>(Tier::Packed, 1030, 1100, 530, Store::RowMajor, Store::RowMajor, 2.5, 1.0, false);
}

fn bit_identical(m: usize, k: usize, n: usize) {
    let mut rng = Rng::seed(3);
    let a: Vec<f32> = (0..m * k).map(|_| rng.uniform() as f32).collect();
    let b: Vec<f32> = (0..k * n).map(|_| rng.uniform() as f32).collect();
    for beta in [0.5, 0.0] {
        let run = |tier| {
            let mut c = vec![1.0f32; m * n];
            gemm_with(
                tier,
                1.5,
                MatRef::row_major(&a, m, k).unwrap(),
                MatRef::row_major(&b, k, n).unwrap(),
                beta,
                MatMut::row_major(&mut c, m, n).unwrap(),
            )
            .unwrap();
            c
        };
        let one = run(Tier::Packed);
        for t in [1, 2, 3, 4, 7] {
            assert_eq!(run(Tier::Parallel(t)), one, "{m}x{k}x{n}, beta = {beta}, threads = {t}");
        }
    }
}

#[test]
fn reports_which_simd_paths_ran() {
    // Printed so the test log says which micro-kernels this machine exercised.
    println!(
        "f32 best: {:?}, avx2: {:?}, wide: {:?}",
        f32::kernel_best(),
        f32::kernel_avx2().map(|k| k.name),
        f32::kernel_wide().name
    );
    println!("f64 best: {:?}", f64::kernel_best());
}

#[test]
fn mismatched_dims_name_all_shapes() {
    let a = vec![0.0f32; 6];
    let b = vec![0.0f32; 6];
    let mut c = vec![0.0f32; 4];
    let e = gemm_with(
        Tier::Packed,
        1.0,
        MatRef::row_major(&a, 2, 3).unwrap(),
        MatRef::row_major(&b, 2, 3).unwrap(),
        0.0,
        MatMut::row_major(&mut c, 2, 2).unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "gemm: shapes [2, 3], [2, 3], [2, 2] do not fit: need A (m, k), B (k, n), C (m, n)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_shapes_and_layouts_match_naive(
        m in 0usize..70, k in 0usize..300, n in 0usize..70,
        sa in 0usize..5, sb in 0usize..5, ab in 0usize..9, tier in 0usize..7,
    ) {
        let t = [
            Tier::Parallel(1),
            Tier::PackedWide,
            Tier::Parallel(2),
            Tier::Blocked,
            Tier::Packed,
            Tier::RegisterTile,
            Tier::SimdTile,
        ][tier];
        let coef = [0.0f32, 1.0, 2.5];
        run_case::<f32>(t, m, k, n, STORES[sa], STORES[sb], coef[ab % 3], coef[ab / 3], false);
    }

    // Few rows, many columns and enough work to go parallel: C is split by columns and the
    // threads pack A together and share it (`parallel.rs`), across one or two KC slices.
    #[test]
    fn column_splits_match_naive(
        m in 1usize..40, k in 200usize..700, n in 100usize..300,
        sa in 0usize..5, sb in 0usize..5, ab in 0usize..9, threads in 2usize..4,
    ) {
        let coef = [0.0f32, 1.0, 2.5];
        let (alpha, beta) = (coef[ab % 3], coef[ab / 3]);
        run_case::<f32>(Tier::Parallel(threads), m, k, n, STORES[sa], STORES[sb], alpha, beta, false);
    }
}

/// The fused epilogue (`relu(C + bias)` per finished tile) against the same tier's product followed
/// by the two ops in a plain loop: the same bits, NaN included, on every route (tiles, gemv,
/// narrow, transposed) and split (rows, columns with a shared A), across one or two KC slices.
#[allow(clippy::too_many_arguments)]
fn epilogue_case(
    tier: Tier,
    m: usize,
    k: usize,
    n: usize,
    sa: Store,
    sb: Store,
    beta: f32,
    relu: bool,
    bias: bool,
) {
    let mut rng = Rng::seed((m * 7919 + k * 31 + n) as u64);
    let vals: Vec<f32> = (0..(m + n) * k).map(|_| val(&mut rng, false)).collect();
    let (da, rsa, csa, oa) = store(m, k, sa, |i, p| vals[i * k + p]);
    let (db, rsb, csb, ob) = store(k, n, sb, |p, j| vals[m * k + p * n + j]);
    let a = MatRef::new(&da, m, k, rsa, csa, oa).unwrap();
    let b = MatRef::new(&db, k, n, rsb, csb, ob).unwrap();
    let bias_v: Vec<f32> = (0..n).map(|j| if j % 5 == 3 { f32::NAN } else { val(&mut rng, false) }).collect();
    let c0: Vec<f32> =
        (0..m * n).map(|x| if beta == 0.0 { f32::NAN } else { (x % 7) as f32 - 3.0 }).collect();
    let (mut want, mut got) = (c0.clone(), c0);
    gemm_with(tier, 1.0, a, b, beta, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    for (x, w) in want.iter_mut().enumerate() {
        let v = if bias { *w + bias_v[x % n.max(1)] } else { *w };
        *w = if relu && !(v > 0.0 || v.is_nan()) { 0.0 } else { v };
    }
    let epi = Epilogue { bias: bias.then_some(&bias_v[..]), relu };
    gemm_with_epilogue(tier, 1.0, a, b, beta, MatMut::row_major(&mut got, m, n).unwrap(), epi).unwrap();
    for (x, (w, g)) in want.iter().zip(&got).enumerate() {
        assert!(
            w.to_bits() == g.to_bits() || (w.is_nan() && g.is_nan()),
            "{tier:?} m{m} k{k} n{n} {sa:?}x{sb:?} beta {beta} relu {relu} bias {bias}: C[{x}] {g} vs {w}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn epilogue_equals_product_then_ops(
        m in 1usize..40, k in 0usize..700, n in 1usize..300, sa in 0usize..5, sb in 0usize..5,
        beta in 0usize..2, relu in any::<bool>(), bias in any::<bool>(), tier in 0usize..5,
    ) {
        let t = [Tier::Packed, Tier::PackedWide, Tier::Parallel(2), Tier::Parallel(3), Tier::Blocked][tier];
        epilogue_case(t, m, k, n, STORES[sa], STORES[sb], beta as f32, relu, bias);
    }
}

#[test]
fn epilogue_on_the_mnist_shapes_and_special_routes() {
    // (m, k, n): the hidden layer (column split, two KC slices), the output layer (narrow), a
    // single column (gemv), a single row, a row split, few rows (transposed product).
    for (m, k, n) in [(128, 784, 512), (128, 512, 10), (50, 30, 1), (1, 40, 70), (300, 64, 40), (5, 64, 300)]
    {
        for tier in [Tier::Packed, Tier::Parallel(2)] {
            epilogue_case(tier, m, k, n, Store::RowMajor, Store::ColMajor, 0.0, true, true);
        }
    }
}

#[test]
fn epilogue_bias_must_match_columns() {
    let (a, b, bias) = ([1.0f32; 6], [1.0f32; 6], [0.0f32; 3]);
    let mut c = [0.0f32; 4];
    let e = gemm_with_epilogue(
        Tier::Packed,
        1.0,
        MatRef::row_major(&a, 2, 3).unwrap(),
        MatRef::row_major(&b, 3, 2).unwrap(),
        0.0,
        MatMut::row_major(&mut c, 2, 2).unwrap(),
        Epilogue { bias: Some(&bias[..]), relu: false },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "gemm: shapes [2, 2], [3] do not fit: the bias needs one value per column of C"
    );
}

/// Narrow C (n ≤ 16: one f32 vector, two f64 ones; A read in place, see `gemm/narrow.rs`) and its
/// transpose (few rows):
/// every operand layout, alpha/beta with NaN-filled C when beta = 0, depths around the 16-step.
fn narrow_cases<T: GemmScalar>(max_n: usize) {
    for (m, n) in [(4, 2), (20, 7), (33, 10), (128, 10), (40, max_n), (3, 41), (10, 128)] {
        for k in [16, 17, 130] {
            for sa in STORES {
                for sb in STORES {
                    for (alpha, beta) in [(1.0, 0.0), (2.5, 1.0), (1.0, 2.5)] {
                        let (alpha, beta) = (T::from(alpha).unwrap(), T::from(beta).unwrap());
                        for tier in [Tier::Parallel(1), Tier::Parallel(2), Tier::Packed] {
                            run_case::<T>(tier, m, k, n, sa, sb, alpha, beta, false);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn narrow_outputs_every_layout() {
    narrow_cases::<f32>(16);
    narrow_cases::<f64>(16);
}

/// Small products (`narrow.rs`, `small_serial`: nothing packed but B) give the packed kernel's
/// bits: the same sums in the same order, alpha and beta applied the same way; every layout, and
/// 1-3 threads (rows split between them).
#[test]
fn small_products_equal_the_packed_kernel_bit_for_bit() {
    fn check<T: GemmScalar>(packed: Tier) {
        // k within one KC slice of both kernels (f64: 256), where the packed kernel sums like them.
        for (m, k, n) in [(2, 3, 2), (64, 64, 64), (37, 130, 45), (100, 120, 90), (13, 250, 70)] {
            let mut rng = Rng::seed((m * 7 + k * 3 + n) as u64);
            let va: Vec<T> = (0..m * k).map(|_| val(&mut rng, false)).collect();
            let vb: Vec<T> = (0..k * n).map(|_| val(&mut rng, false)).collect();
            for (sa, sb) in [
                (Store::RowMajor, Store::RowMajor),
                (Store::ColMajor, Store::Strided),
                (Store::Reversed, Store::Broadcast),
            ] {
                let (da, rsa, csa, oa) = store(m, k, sa, |i, p| va[i * k + p]);
                let (db, rsb, csb, ob) = store(k, n, sb, |p, j| vb[p * n + j]);
                let a = MatRef::new(&da, m, k, rsa, csa, oa).unwrap();
                let b = MatRef::new(&db, k, n, rsb, csb, ob).unwrap();
                for (alpha, beta) in [(1.0, 0.0), (2.5, 1.0), (-1.0, 2.5)] {
                    let (alpha, beta) = (T::from(alpha).unwrap(), T::from(beta).unwrap());
                    let run = |tier| {
                        let mut c: Vec<T> = (0..m * n).map(|x| T::from(x % 7).unwrap()).collect();
                        gemm_with(tier, alpha, a, b, beta, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
                        c
                    };
                    let want = run(packed);
                    for tier in [Tier::Parallel(1), Tier::Parallel(2), Tier::Parallel(3)] {
                        assert!(
                            run(tier)
                                .iter()
                                .zip(&want)
                                .all(|(x, y)| x.integer_decode() == y.integer_decode()),
                            "{tier:?} vs {packed:?}: m{m} k{k} n{n} {sa:?}x{sb:?} alpha {alpha:?} beta {beta:?}"
                        );
                    }
                }
            }
        }
    }
    // The production GEMM runs the micro-kernel of the tier this process chose (TESSERA_SIMD).
    let packed = match tessera_tensor::simd::isa() {
        Isa::Avx512 => Tier::PackedAvx512,
        Isa::Avx2 => Tier::PackedAvx2,
        Isa::Neon => Tier::PackedNeon,
        Isa::Sse2 | Isa::Portable => Tier::PackedWide,
    };
    check::<f32>(packed);
    check::<f64>(packed);
}

#[test]
fn narrow_outputs_are_bit_identical_for_any_thread_count() {
    for (m, k, n) in [(512, 128, 10), (128, 512, 10), (10, 512, 128)] {
        bit_identical(m, k, n);
    }
}

/// A with the zeros that zero-skipping (`gemm/zero_steps.rs`) leaves out: whole zero columns
/// (steps that are zero in every micro-panel), zero runs in blocks of 12 rows (zero in some
/// panels only, for MR = 12, 6 and 4 alike), and scattered zeros (which skip nothing), a quarter
/// of the values, or in some blocks of 12 rows 7 of 8 (rows much sparser than their panel, which
/// run their own steps: `gemm/row_steps.rs`).
fn sparse_a<T: GemmScalar>(rng: &mut Rng, m: usize, k: usize, integer: bool) -> Vec<T> {
    let off_cols: Vec<bool> = (0..k).map(|_| rng.below(2) == 0).collect();
    let off_blocks: Vec<bool> = (0..m.div_ceil(12) * k).map(|_| rng.below(3) == 0).collect();
    let sparse_rows: Vec<bool> = (0..m.div_ceil(12)).map(|_| rng.below(2) == 0).collect();
    (0..m * k)
        .map(|x| {
            let (i, p) = (x / k, x % k);
            let scattered = if sparse_rows[i / 12] { rng.below(8) != 0 } else { rng.below(4) == 0 };
            let zero = off_cols[p] || off_blocks[(i / 12) * k + p] || scattered;
            if zero { T::zero() } else { val(rng, integer) }
        })
        .collect()
}

/// A as sparse as MNIST's pixels: each value nonzero with probability 1/5, anywhere. A panel of
/// 12 rows then keeps ~93% of the steps while each row has ~20%: whole blocks of such rows are
/// listed row by row and computed without packing A (`gemm/sparse_rows.rs`).
fn mnist_like_a<T: GemmScalar>(rng: &mut Rng, m: usize, k: usize, integer: bool) -> Vec<T> {
    (0..m * k).map(|_| if rng.below(5) == 0 { val(rng, integer) } else { T::zero() }).collect()
}

/// Zero-skipping against the naive loop: every layout, alpha/beta, and, with `poison`, one
/// non-finite value in B on a row that A's zero columns would skip (the naive loop's `0·∞ = NaN`
/// must come through: skipping is off for a non-finite B block). With `rows_sparse`, A is
/// [`mnist_like_a`] instead of [`sparse_a`].
#[allow(clippy::too_many_arguments)]
fn zero_skip_case<T: GemmScalar>(
    tier: Tier,
    (m, k, n): (usize, usize, usize),
    (sa, sb): (Store, Store),
    (alpha, beta): (T, T),
    integer: bool,
    poison: Option<T>,
    rows_sparse: bool,
) -> Vec<T> {
    let mut rng = Rng::seed((m * 131 + k * 17 + n) as u64);
    let vals_a = if rows_sparse {
        mnist_like_a::<T>(&mut rng, m, k, integer)
    } else {
        sparse_a::<T>(&mut rng, m, k, integer)
    };
    let mut vals_b: Vec<T> = (0..k * n).map(|_| val(&mut rng, integer)).collect();
    if let Some(v) = poison {
        // The first step that is zero in every row of A (else step 0), in column n / 2.
        let p = (0..k).find(|&p| (0..m).all(|i| vals_a[i * k + p] == T::zero())).unwrap_or(0);
        vals_b[p * n + n / 2] = v;
    }
    let (da, rsa, csa, oa) = store(m, k, sa, |i, p| vals_a[i * k + p]);
    let (db, rsb, csb, ob) = store(k, n, sb, |p, j| vals_b[p * n + j]);
    let a = MatRef::new(&da, m, k, rsa, csa, oa).unwrap();
    let b = MatRef::new(&db, k, n, rsb, csb, ob).unwrap();
    let c0: Vec<T> =
        (0..m * n).map(|x| if beta == T::zero() { T::nan() } else { T::from(x % 5).unwrap() }).collect();
    let (mut want, mut got) = (c0.clone(), c0);
    gemm_naive(alpha, a, b, beta, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
    gemm_with(tier, alpha, a, b, beta, MatMut::row_major(&mut got, m, n).unwrap()).unwrap();
    let tol = if integer { T::zero() } else { T::epsilon() * T::from(16 * k + 32).unwrap() };
    for x in 0..m * n {
        let (w, g) = (want[x], got[x]);
        assert!(
            w == g || (w.is_nan() && g.is_nan()) || (w - g).abs() <= tol * (T::one() + w.abs()),
            "{tier:?} m{m} k{k} n{n} {sa:?}x{sb:?} poison {poison:?}: C[{x}] {g:?} vs naive {w:?}"
        );
    }
    got
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn zero_skipping_matches_naive(
        m in 1usize..60, k in 1usize..700, n in 1usize..90, sa in 0usize..5, sb in 0usize..5,
        ab in 0usize..9, tier in 0usize..5, integer in any::<bool>(), poison in 0usize..3,
        whole_panels in any::<bool>(),
    ) {
        let t = [Tier::Parallel(1), Tier::PackedWide, Tier::Parallel(2), Tier::Parallel(3), Tier::Packed][tier];
        // Whole NR panels of a row-major B take the packing copy that also tests finiteness.
        let n = if whole_panels { n.next_multiple_of(32) } else { n };
        let coef = [0.0f32, 1.0, 2.5];
        // alpha = 0 does not read A or B at all (the BLAS rule), so a poison would not show.
        let poison = if ab % 3 == 0 { None } else { [None, Some(f32::INFINITY), Some(f32::NAN)][poison] };
        zero_skip_case::<f32>(
            t, (m, k, n), (STORES[sa], STORES[sb]), (coef[ab % 3], coef[ab / 3]), integer, poison, false,
        );
    }

    // A as sparse as MNIST's pixels, whose blocks run as sparse rows: several KC slices (k up
    // to 1,300), B's panels of the sparse kernel with single-vector and scalar columns at the
    // end (any n), every layout, alpha/beta, a non-finite B, 1-3 threads.
    #[test]
    fn sparse_rows_match_naive(
        m in 1usize..80, k in 1usize..1300, n in 1usize..300, sa in 0usize..5, sb in 0usize..5,
        ab in 0usize..9, tier in 0usize..5, integer in any::<bool>(), poison in 0usize..3,
    ) {
        let t = [Tier::Parallel(1), Tier::PackedWide, Tier::Parallel(2), Tier::Parallel(3), Tier::Packed][tier];
        let coef = [0.0f32, 1.0, 2.5];
        let poison = if ab % 3 == 0 { None } else { [None, Some(f32::INFINITY), Some(f32::NAN)][poison] };
        zero_skip_case::<f32>(
            t, (m, k, n), (STORES[sa], STORES[sb]), (coef[ab % 3], coef[ab / 3]), integer, poison, true,
        );
    }

    // Few rows and many columns on 2-3 threads: the threads pack A together, scan each part's
    // zero steps as they pack it, and share both (`parallel.rs`).
    #[test]
    fn zero_skipping_column_splits_match_naive(
        m in 1usize..40, k in 200usize..700, n in 100usize..300, sa in 0usize..5, sb in 0usize..5,
        threads in 2usize..4, poison in 0usize..3,
    ) {
        let poison = [None, Some(f32::INFINITY), Some(f32::NAN)][poison];
        zero_skip_case::<f32>(
            Tier::Parallel(threads), (m, k, n), (STORES[sa], STORES[sb]), (1.0, 0.5), false, poison, false,
        );
    }
}

#[test]
fn zero_skipping_f64_and_every_kernel() {
    let mut tiers = vec![Tier::Parallel(1), Tier::PackedWide, Tier::Parallel(2), Tier::Packed];
    tiers.extend(f32::kernel_avx2().map(|_| Tier::PackedAvx2));
    for tier in tiers {
        for (m, k, n) in [(30, 100, 20), (128, 300, 64), (13, 600, 33)] {
            for (poison, rows_sparse) in [(None, false), (Some(f64::NEG_INFINITY), false), (None, true)] {
                zero_skip_case::<f64>(
                    tier,
                    (m, k, n),
                    (Store::ColMajor, Store::RowMajor),
                    (1.0, 0.0),
                    false,
                    poison,
                    rows_sparse,
                );
                zero_skip_case::<f32>(
                    tier,
                    (m, k, n),
                    (Store::RowMajor, Store::Strided),
                    (2.5, 1.0),
                    true,
                    poison.map(|v| v as f32),
                    rows_sparse,
                );
            }
        }
    }
}

/// Skipping keeps every bit: a NaN in B (column n/2) turns skipping off for the B block that holds
/// it, so there the other columns of C are the dense kernel's; without it they are the skipping
/// kernel's (or, for A as sparse as MNIST, the sparse-rows kernel's). They must be equal, on
/// every thread count.
#[test]
fn zero_skipping_keeps_every_bit() {
    // (40, 600, 256) splits C by columns on two threads, across two KC slices; (300, 128, 600)
    // by rows, with the NaN in the second of B's three NC blocks.
    let shapes = [(128, 500, 200), (40, 128, 100), (100, 300, 64), (40, 600, 256), (300, 128, 600)];
    for ((m, k, n), rows_sparse) in shapes.into_iter().flat_map(|s| [(s, false), (s, true)]) {
        for tier in [Tier::Packed, Tier::Parallel(1), Tier::Parallel(2)] {
            let case = |poison| {
                zero_skip_case::<f32>(
                    tier,
                    (m, k, n),
                    (Store::RowMajor, Store::RowMajor),
                    (1.0, 0.0),
                    false,
                    poison,
                    rows_sparse,
                )
            };
            let (skipped, dense) = (case(None), case(Some(f32::NAN)));
            for x in (0..m * n).filter(|x| x % n != n / 2) {
                assert_eq!(skipped[x].to_bits(), dense[x].to_bits(), "{tier:?} m{m} k{k} n{n}: C[{x}]");
            }
            assert!(dense[n / 2].is_nan(), "the poisoned column is NaN, as in the naive loop");
        }
    }
}

/// The fused epilogue on a product that skips zero steps (a Dense layer on MNIST pixels): the
/// same bits as the product followed by the ops, on a row split, a column split and one thread.
#[test]
fn zero_skipping_with_the_epilogue() {
    for (m, k, n) in [(128, 784, 512), (300, 200, 64), (20, 600, 300)] {
        let mut rng = Rng::seed(9);
        let a = sparse_a::<f32>(&mut rng, m, k, false);
        let b: Vec<f32> = (0..k * n).map(|_| val(&mut rng, false)).collect();
        let bias: Vec<f32> = (0..n).map(|_| val(&mut rng, false)).collect();
        for tier in [Tier::Packed, Tier::Parallel(2)] {
            let (am, bm) = (MatRef::row_major(&a, m, k).unwrap(), MatRef::row_major(&b, k, n).unwrap());
            let mut want = vec![f32::NAN; m * n];
            gemm_with(tier, 1.0, am, bm, 0.0, MatMut::row_major(&mut want, m, n).unwrap()).unwrap();
            for (x, w) in want.iter_mut().enumerate() {
                *w = (*w + bias[x % n]).max(0.0);
            }
            let mut got = vec![f32::NAN; m * n];
            let epi = Epilogue { bias: Some(&bias[..]), relu: true };
            let c = MatMut::row_major(&mut got, m, n).unwrap();
            gemm_with_epilogue(tier, 1.0, am, bm, 0.0, c, epi).unwrap();
            for (x, (w, g)) in want.iter().zip(&got).enumerate() {
                assert_eq!(w.to_bits(), g.to_bits(), "{tier:?} m{m} k{k} n{n}: C[{x}] {g} vs {w}");
            }
        }
    }
}

/// Found by `fuzz/` (target `gemm_views`): an operand with no elements may have any strides, so
/// its element pointers may be anything, even null; no tier may make a slice from them. With
/// k = 0, C becomes `beta·C` (zeros for beta = 0, C not read).
#[test]
fn empty_operands_with_any_strides() {
    // An empty Vec points at a dangling address (the alignment, 4): one row back is null.
    let empty: Vec<f32> = Vec::new();
    for tier in
        [Tier::Packed, Tier::PackedWide, Tier::Parallel(2), Tier::Blocked, Tier::Reordered, Tier::Naive]
    {
        for (m, n) in [(3, 1), (1, 3), (3, 5), (20, 40)] {
            for rs in [-3isize, -1, 0, 2] {
                // Unit strides along k (the contiguous dot product); rows and columns `rs` apart.
                let a = MatRef::new(&empty, m, 0, rs, 1, 0).unwrap();
                let b = MatRef::new(&empty, 0, n, 1, rs, 0).unwrap();
                let mut c = vec![f32::NAN; m * n];
                gemm_with(tier, 1.5, a, b, 0.0, MatMut::row_major(&mut c, m, n).unwrap()).unwrap();
                assert!(c.iter().all(|&v| v == 0.0), "{tier:?} m{m} n{n} rs{rs}: {c:?}");
            }
        }
    }
}
