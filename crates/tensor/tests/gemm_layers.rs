//! The production layers (`gemm::Layers`) change the speed of a product, never its bits: every
//! layer switched off, alone and all together, gives the all-on result exactly, on products that
//! exercise each layer (zero steps in A, a column split with shared A, an A block larger than L2,
//! the fused epilogue, the depth split, narrow, small and gemv shapes), on 1-4 threads.
//!
//! The switch is global to the process, so this file holds one test: no other test in this
//! binary runs while it flips layers.

use tessera_tensor::Rng;
use tessera_tensor::gemm::{Epilogue, Layers, MatMut, MatRef, Tier, gemm_with_epilogue, layers, set_layers};

/// A with whole zero columns and zero runs (what zero-skipping leaves out), else random.
fn sparse_a(m: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    (0..m * k)
        .map(|i| {
            let (r, p) = (i / k, i % k);
            if p % 3 == 0 || (r / 12 + p) % 4 == 0 { 0.0 } else { rng.uniform() as f32 * 2.0 - 1.0 }
        })
        .collect()
}

fn product(m: usize, k: usize, n: usize, threads: usize, dense_layer: bool, seed: u64) -> Vec<f32> {
    let mut rng = Rng::seed(seed);
    let a = sparse_a(m, k, &mut rng);
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
    let shapes = [
        (128, 784, 512, true), // the MNIST forward product: depth split (or column split, shared A), zero steps, epilogue
        (30, 700, 100, true),  // depth split with edge tiles
        (784, 128, 512, false), // row split
        (300, 128, 200, true), // row split with the epilogue and edge tiles
        (1100, 700, 300, false), // an A block larger than half of L2: the next-A prefetch
        (128, 512, 10, true),  // narrow C
        (100, 120, 90, false), // small
        (57, 300, 1, false),   // gemv
        (1, 300, 77, false),   // one row
    ];
    let variants: Vec<Layers> =
        [Layers::NONE].into_iter().chain(Layers::ALL.each_off().into_iter().map(|(_, l)| l)).collect();
    for (i, &(m, k, n, dense_layer)) in shapes.iter().enumerate() {
        for threads in 1..=4 {
            set_layers(Layers::ALL);
            let want = product(m, k, n, threads, dense_layer, i as u64);
            for &variant in &variants {
                set_layers(variant);
                let got = product(m, k, n, threads, dense_layer, i as u64);
                set_layers(Layers::ALL);
                assert!(
                    got.iter().zip(&want).all(|(x, y)| x.to_bits() == y.to_bits()),
                    "{m}x{k}x{n} on {threads} threads with {variant:?}"
                );
            }
        }
    }
}
