//! `matmul`, `dot`, `reshape` and `broadcast_to` on tensors of arbitrary shapes (0-4 axes, some of
//! length 0 or 1), some read through transposed views: each returns a tensor or an error — never a
//! panic — and `matmul`'s result has NumPy's shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_fuzz::Bytes;
use tessera_tensor::Tensor;

/// A shape of 0-4 axes, each 0-4 long.
fn shape(input: &mut Bytes) -> Vec<usize> {
    (0..input.byte() % 5).map(|_| usize::from(input.byte() % 5)).collect()
}

/// A tensor of such a shape, sometimes read through a transposed view.
fn tensor(input: &mut Bytes) -> Tensor<f32> {
    let shape = shape(input);
    let data = (0..shape.iter().product()).map(|i: usize| (i % 7) as f32 - 3.0).collect();
    let t = Tensor::from_vec(data, &shape).unwrap();
    if t.ndim() >= 2 && input.byte() % 2 == 1 { t.swap_axes(-1, -2).unwrap() } else { t }
}

/// np.matmul's result shape, or None where NumPy raises.
fn matmul_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let a2 = if a.len() == 1 { vec![1, a[0]] } else { a.to_vec() };
    let b2 = if b.len() == 1 { vec![b[0], 1] } else { b.to_vec() };
    let (ab, am) = a2.split_at(a2.len() - 2);
    let (bb, bm) = b2.split_at(b2.len() - 2);
    if am[1] != bm[0] {
        return None;
    }
    let nb = ab.len().max(bb.len());
    let pad = |s: &[usize]| std::iter::repeat_n(1, nb - s.len()).chain(s.iter().copied()).collect::<Vec<_>>();
    let mut out = Vec::new();
    for (x, y) in pad(ab).into_iter().zip(pad(bb)) {
        out.push(match (x, y) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        });
    }
    if a.len() > 1 {
        out.push(am[0]);
    }
    if b.len() > 1 {
        out.push(bm[1]);
    }
    Some(out)
}

fuzz_target!(|bytes: &[u8]| {
    let mut input = Bytes(bytes);
    let (a, b) = (tensor(&mut input), tensor(&mut input));
    let got = a.matmul(&b).ok().map(|c| c.shape().to_vec());
    assert_eq!(got, matmul_shape(a.shape(), b.shape()), "matmul {:?} @ {:?}", a.shape(), b.shape());
    let _ = a.dot(&b);
    let target: Vec<isize> = (0..input.byte() % 5).map(|_| isize::from(input.byte() % 6) - 1).collect();
    let _ = a.reshape(&target);
    let _ = a.broadcast_to(b.shape());
});
