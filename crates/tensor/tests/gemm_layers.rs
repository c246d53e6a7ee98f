//! The production layers (`gemm::Layers`) change the speed of a product, never its bits: every
//! layer switched off, alone and all together, gives the all-on result exactly, on products that
//! exercise each layer (zero steps in A, a column split with shared A, an A block larger than L2,
//! the fused epilogue, the depth split, B read in place, row panels claimed from both ends,
//! rows sparser than their panels, blocks as sparse as MNIST, narrow, small and gemv shapes), on
//! 1-4 threads.
//!
//! The switch is global to the process, so this file holds one test: no other test in this
//! binary runs while it flips layers.

use tessera_tensor::Rng;
use tessera_tensor::gemm::{Epilogue, Layers, MatMut, MatRef, Tier, gemm_with_epilogue, layers, set_layers};
use tessera_tensor::runtime::trace;

/// A with whole zero columns and zero runs (what zero-skipping leaves out), else random; in
/// every other block of 12 rows, 7 of 8 of the remaining values are zero too (rows much sparser
/// than their panel: each row runs its own steps).
fn sparse_a(m: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    (0..m * k)
        .map(|i| {
            let (r, p) = (i / k, i % k);
            let scattered = (r / 12) % 2 == 1 && rng.below(8) != 0;
            if p % 3 == 0 || (r / 12 + p) % 4 == 0 || scattered {
                0.0
            } else {
                rng.uniform() as f32 * 2.0 - 1.0
            }
        })
        .collect()
}

/// A as sparse as MNIST's pixels: each value nonzero with probability 1/5, anywhere (its blocks
/// run as each row's own nonzeros, `sparse_rows`).
fn mnist_like_a(m: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    (0..m * k).map(|_| if rng.below(5) == 0 { rng.uniform() as f32 } else { 0.0 }).collect()
}

/// A with no zero at all: no k step to skip, so B may be read in place.
fn dense_a(m: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    (0..m * k).map(|_| rng.uniform() as f32 + 0.5).collect()
}

/// Which zeros A holds.
#[derive(Clone, Copy, Debug)]
enum Zeros {
    None,
    /// Zero steps and rows sparser than their panels ([`sparse_a`]).
    Steps,
    /// MNIST's sparsity ([`mnist_like_a`]).
    Mnist,
}

/// The product of an A with `zeros` and a random B, on `threads` threads.
fn product(
    m: usize,
    k: usize,
    n: usize,
    threads: usize,
    dense_layer: bool,
    zeros: Zeros,
    seed: u64,
) -> Vec<f32> {
    let mut rng = Rng::seed(seed);
    let a = match zeros {
        Zeros::None => dense_a(m, k, &mut rng),
        Zeros::Steps => sparse_a(m, k, &mut rng),
        Zeros::Mnist => mnist_like_a(m, k, &mut rng),
    };
    let b: Vec<f32> = (0..k * n).map(|_| rng.uniform() as f32 * 2.0 - 1.0).collect();
    let bias: Vec<f32> = (0..n).map(|j| j as f32 * 0.01 - 0.1).collect();
    let epi = Epilogue { bias: dense_layer.then_some(&bias[..]), relu: dense_layer };
    let mut c = vec![0.0f32; m * n];
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        gemm_with_epilogue(
            Tier::Parallel(threads),
            1.0,
            MatRef::row_major(&a, m, k).unwrap(),
            MatRef::row_major(&b, k, n).unwrap(),
            0.0,
            MatMut::row_major(&mut c, m, n).unwrap(),
            epi,
        )
        .unwrap()
    });
    c
}

#[test]
fn every_layer_off_gives_the_same_bits() {
    assert_eq!(layers(), Layers::DEFAULT, "every layer but linger is on by default");
    assert!(!Layers::DEFAULT.linger && Layers { linger: true, ..Layers::DEFAULT } == Layers::ALL);
    use Zeros::{Mnist, None, Steps};
    let shapes = [
        (128, 784, 512, true, Steps), // the MNIST forward product: depth split (or column split, shared A), zero steps, epilogue
        (30, 700, 100, true, Steps),  // depth split with edge tiles
        (784, 128, 512, false, Steps), // row split (on 2 threads, panels claimed from both ends)
        (300, 128, 200, true, Steps), // row split with the epilogue and edge tiles
        (1100, 700, 300, false, Steps), // an A block larger than half of L2: the next-A prefetch
        (128, 512, 10, true, Steps),  // narrow C
        (100, 120, 90, false, Steps), // small
        (57, 300, 1, false, Steps),   // gemv
        (1, 300, 77, false, Steps),   // one row
        (128, 784, 512, true, None),  // the forward product on dense data: B read in place
        (40, 300, 96, false, None),   // B read in place, edge tiles, one KC slice
        (128, 784, 512, true, Mnist), // the forward product on MNIST-like data: sparse rows
        (784, 128, 512, false, Mnist), // the weight gradient's shape: sparse rows, one block per thread
        (200, 1100, 300, true, Mnist), // sparse rows over three KC slices, partial panels of B
    ];
    let variants: Vec<Layers> =
        [Layers::NONE].into_iter().chain(Layers::ALL.each_off().into_iter().map(|(_, l)| l)).collect();
    for (i, &(m, k, n, dense_layer, zeros)) in shapes.iter().enumerate() {
        for threads in 1..=4 {
            set_layers(Layers::ALL);
            let want = product(m, k, n, threads, dense_layer, zeros, i as u64);
            for &variant in &variants {
                set_layers(variant);
                let got = product(m, k, n, threads, dense_layer, zeros, i as u64);
                set_layers(Layers::ALL);
                assert!(
                    got.iter().zip(&want).all(|(x, y)| x.to_bits() == y.to_bits()),
                    "{m}x{k}x{n} on {threads} threads with {variant:?}"
                );
            }
        }
    }
    a_short_dense_a_reads_b_in_place();
    only_rows_sparser_than_their_panels_run_as_sparse_rows();
}

/// With A free of zero steps and short, the forward product reads W where it lies: no span of
/// packing B on any thread; with the layer off, B is packed. (Run by the test above: the layer
/// switch and the trace are global.)
fn a_short_dense_a_reads_b_in_place() {
    let count_packing = |l: Layers| {
        set_layers(l);
        trace::start(1 << 12);
        let c = product(128, 784, 512, 2, true, Zeros::None, 1);
        let spans = trace::finish().spans;
        set_layers(Layers::DEFAULT);
        (
            spans.iter().filter(|s| s.name == "pack B").count(),
            spans.iter().filter(|s| s.name == "gemm").count(),
            c,
        )
    };
    let (packed_off, gemms_off, off) = count_packing(Layers { b_in_place: false, ..Layers::DEFAULT });
    let (packed_on, gemms_on, on) = count_packing(Layers::DEFAULT);
    assert!(gemms_on >= 1 && gemms_off >= 1, "the product ran under the trace");
    assert!(packed_off >= 1, "with the layer off B is packed");
    assert_eq!(packed_on, 0, "B is read in place");
    assert!(on.iter().zip(&off).all(|(x, y)| x.to_bits() == y.to_bits()));
}

/// The sparse-rows kernel takes the MNIST-like blocks (the forward product's slices, the weight
/// gradient's row halves, a column split's parts deeper than two KC slices, which then pack
/// no shared A), never dense data, nothing with the layer off. (Run by the first test, as the
/// one above.)
fn only_rows_sparser_than_their_panels_run_as_sparse_rows() {
    let sparse_runs = |l: Layers, (m, k, n): (usize, usize, usize), zeros: Zeros, threads: usize| {
        set_layers(l);
        trace::start(1 << 12);
        product(m, k, n, threads, false, zeros, 2);
        let spans = trace::finish().spans;
        set_layers(Layers::DEFAULT);
        spans.iter().filter(|s| s.name == "sparse rows").count()
    };
    let on = Layers::DEFAULT;
    for threads in [1, 2] {
        for shape in [(128, 784, 512), (784, 128, 512), (128, 1600, 512)] {
            assert!(sparse_runs(on, shape, Zeros::Mnist, threads) >= 1, "{shape:?}, {threads} threads");
            let off = Layers { sparse_rows: false, ..on };
            assert_eq!(sparse_runs(off, shape, Zeros::Mnist, threads), 0, "layer off");
            assert_eq!(sparse_runs(on, shape, Zeros::None, threads), 0, "dense A");
        }
    }
}
