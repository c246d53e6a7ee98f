//! Fuzz programs that need nothing but tessera-tensor, so that the committed corpora replay as
//! ordinary tests on stable (`crates/tensor/tests/fuzz_corpora.rs` includes this file).

use super::Bytes;
use tessera_tensor::{SliceArg, Tensor};

/// Axis lengths the fuzzer picks from: small ones, and ones whose products overflow `usize`,
/// `isize` or any address space.
const LENGTHS: [usize; 12] =
    [0, 1, 2, 3, 4, 5, 1 << 31, 1 << 32, 1 << 45, 1 << 62, (1 << 63) + 1, usize::MAX];

/// Elements an allocating op may produce here: small enough to be cheap, or so many that no
/// machine can hold them (so the op must fail cleanly without touching memory).
fn may_allocate(shape: &[usize]) -> bool {
    match tessera_tensor::layout::shape::checked_size(shape) {
        None => true,
        Some(n) => n <= 1 << 12 || n >= 1 << 46,
    }
}

fn small_tensor(input: &mut Bytes) -> Tensor<f32> {
    let shape: Vec<usize> = (0..input.byte() % 4).map(|_| usize::from(input.byte() % 4)).collect();
    let n: usize = shape.iter().product();
    Tensor::from_vec((0..n).map(|i| (i % 5) as f32 - 2.0).collect(), &shape).unwrap()
}

/// One view step: broadcast to a shape with possibly huge axes, slice with extreme bounds and
/// steps, add an axis, or transpose.
fn view_step(t: &Tensor<f32>, input: &mut Bytes) -> Option<Tensor<f32>> {
    match input.byte() % 4 {
        0 => {
            let extra = usize::from(input.byte() % 3);
            let mut shape: Vec<usize> =
                (0..extra).map(|_| LENGTHS[usize::from(input.byte()) % LENGTHS.len()]).collect();
            for &d in t.shape() {
                shape.push(if d == 1 { LENGTHS[usize::from(input.byte()) % LENGTHS.len()] } else { d });
            }
            t.broadcast_to(&shape).ok()
        }
        1 if t.ndim() > 0 => {
            let pick = |b: u8| -> Option<isize> {
                match b % 8 {
                    0 => None,
                    1 => Some(isize::MIN),
                    2 => Some(isize::MAX),
                    k => Some(isize::from(k) - 5),
                }
            };
            let (start, stop) = (pick(input.byte()), pick(input.byte()));
            let step = match input.byte() % 6 {
                0 => isize::MIN,
                1 => isize::MAX,
                k => isize::from(k) - 3,
            };
            t.slice(&[SliceArg::Range { start, stop, step }]).ok()
        }
        2 => t.slice(&[SliceArg::NewAxis]).ok(),
        _ => Some(t.transpose()),
    }
}

/// Builds two views by chains of view steps, then runs allocating ops on them: each returns a
/// value or an error, never a panic or a crash, and where a result is small enough to check it
/// matches an element-by-element reference.
pub fn broadcast_program(bytes: &[u8]) {
    let mut input = Bytes(bytes);
    let mut a = small_tensor(&mut input);
    let mut b = small_tensor(&mut input);
    for _ in 0..input.byte() % 4 {
        a = view_step(&a, &mut input).unwrap_or(a);
        b = view_step(&b, &mut input).unwrap_or(b);
    }
    let size = tessera_tensor::layout::shape::checked_size(a.shape());
    assert_eq!(Some(a.size()), size, "size of a view of {:?}", a.shape());
    let Ok(shape) = tessera_tensor::broadcast_shapes("add", a.shape(), b.shape()) else { return };
    if !may_allocate(&shape) {
        return;
    }
    match a.try_add(&b) {
        Ok(c) => {
            assert_eq!(c.shape(), &shape[..]);
            let (la, lb) = (a.broadcast_to(&shape).unwrap(), b.broadcast_to(&shape).unwrap());
            let (va, vb) = (la.to_vec(), lb.to_vec());
            for (i, v) in c.iter().enumerate() {
                assert_eq!(v, va[i] + vb[i], "element {i} of {shape:?}");
            }
            assert_eq!(c.equal(&c).map(|m| m.iter().filter(|&x| !x).count()).unwrap(), 0);
        }
        Err(e) => {
            assert!(tessera_tensor::layout::shape::checked_size(&shape).is_none_or(|n| n > 1 << 12), "{e}")
        }
    }
    // Reductions and products of a huge view may have a small output and so run (for hours):
    // legitimate work, not a fault, so they run on small operands only. `exp` has no fallible
    // form (it panics when memory cannot be had), so it too runs on small ones.
    // Zero-length axes count as 1: reducing [2^31, 0] over its last axis is 2^31 zeros (NumPy too).
    let small = |t: &Tensor<f32>| {
        t.shape().iter().try_fold(1usize, |a, &d| a.checked_mul(d.max(1))).is_some_and(|n| n <= 1 << 12)
    };
    if small(&a) && small(&b) {
        assert_eq!(a.exp().shape(), a.shape());
        let _ = a.sum(&[], false);
        let _ = a.sum(&[-1], true);
        let _ = a.matmul(&b);
        let _ = a.dot(&b);
    } else if a.size() >= 1 << 46 {
        // A same-size output of a view too large for any machine: refused, not attempted.
        assert!(a.sum(&[], false).is_err());
    }
}
