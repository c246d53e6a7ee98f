//! Inputs that used to crash, hang on memory or answer wrongly, each now a clear error (or
//! NumPy's answer) in debug and release builds alike. Shapes near the address space are made as
//! broadcast views of tiny tensors, so nothing large is ever allocated.

use std::panic::{AssertUnwindSafe, catch_unwind};
use tessera_tensor::ops::Arith;
use tessera_tensor::{SliceArg, Tensor};

const BIG: usize = 1 << 32;

fn panic_text(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("must panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap()
}

#[test]
fn broadcast_counts_that_overflow_are_errors() {
    let a = Tensor::<u8>::zeros(&[1, 1]).broadcast_to(&[BIG, 1]).unwrap();
    let b = Tensor::<u8>::zeros(&[1]).broadcast_to(&[BIG]).unwrap();
    let e = a.try_add(&b).unwrap_err().to_string();
    assert_eq!(
        e,
        "add: the broadcast shape's element count overflows isize (shape [4294967296, 4294967296])"
    );
    let e = Tensor::<f32>::zeros(&[2]).broadcast_to(&[(1 << 63) + 1, 2]).unwrap_err().to_string();
    assert!(e.starts_with("broadcast_to: the broadcast shape's element count overflows"), "{e}");
    let e = Tensor::scalar(1.0f32).broadcast_to(&[BIG, BIG]).unwrap_err().to_string();
    assert!(e.contains("overflows"), "{e}");
    assert!(tessera_tensor::broadcast_shapes("maximum", &[BIG, 1], &[BIG]).is_err());
}

#[test]
fn matmul_outputs_that_overflow_are_errors() {
    let a = Tensor::<f32>::ones(&[1, 1]).broadcast_to(&[BIG, 1]).unwrap();
    let b = Tensor::<f32>::ones(&[1, 1]).broadcast_to(&[1, BIG]).unwrap();
    let e = a.matmul(&b).unwrap_err().to_string();
    assert!(e.starts_with("matmul: element count overflows isize (shape [4294967296, 4294967296])"), "{e}");
}

#[test]
fn memory_that_cannot_be_had_is_an_error() {
    // 2^62 f32 elements: the byte count overflows; 2^48 elements: more than any address space.
    let e = Tensor::<f32>::try_full(&[1 << 31, 1 << 31], 1.0).unwrap_err().to_string();
    assert!(e.starts_with("full: 4611686018427387904 elements overflow the address space"), "{e}");
    let e = Tensor::<f32>::try_full(&[1 << 24, 1 << 24], 0.0).unwrap_err().to_string();
    assert!(e.starts_with("full: cannot allocate 1125899906842624 bytes"), "{e}");
    assert!(Tensor::<f32>::try_full(&[1 << 24, 1 << 24], 2.0).is_err());
    assert!(Tensor::<f64>::arange_step(0.0, 1e30, 1.0).unwrap_err().to_string().contains("too many"));
    assert!(Tensor::<f32>::try_linspace(0.0, 1.0, usize::MAX).is_err());
    assert!(Tensor::<u8>::try_eye(BIG).unwrap_err().to_string().starts_with("eye: "));
    // A valid view whose copy cannot be had: the infallible op panics with the reason, no abort.
    let huge = Tensor::<f32>::zeros(&[2]).broadcast_to(&[1 << 45, 2]).unwrap();
    assert!(panic_text(|| drop(huge.exp())).starts_with("map: cannot allocate"));
    assert!(huge.try_add(&huge).unwrap_err().to_string().starts_with("add: cannot allocate"));
}

#[test]
fn indices_past_isize_are_out_of_range_not_negative() {
    let t = Tensor::<f32>::arange(5);
    let e = t.slice(&[SliceArg::from(usize::MAX)]).unwrap_err().to_string();
    assert!(e.contains("out of bounds for axis 0 with size 5"), "{e}");
    assert!(
        panic_text(|| {
            let _ = t[[usize::MAX]];
        })
        .contains("out of bounds")
    );
    assert_eq!(t.slice(&[SliceArg::from(3..usize::MAX)]).unwrap().to_vec(), vec![3.0, 4.0]);
    assert_eq!(t.slice(&[SliceArg::from(usize::MAX..)]).unwrap().size(), 0);
    for step in [isize::MIN, isize::MAX, isize::MIN + 1] {
        let s = t.slice(&[SliceArg::Range { start: None, stop: None, step }]).unwrap();
        assert_eq!(s.to_vec(), if step < 0 { vec![4.0] } else { vec![0.0] }, "step {step}");
    }
}

#[test]
fn numpy_answers_for_empty_contractions() {
    // np.dot(np.ones((2, 0)), np.ones((3, 0, 4))) is zeros of shape (2, 3, 4).
    let r = Tensor::<f32>::ones(&[2, 0]).dot(&Tensor::ones(&[3, 0, 4])).unwrap();
    assert_eq!((r.shape(), r.to_vec()), (&[2usize, 3, 4][..], vec![0.0; 24]));
}

#[test]
fn composite_ops_name_themselves() {
    let empty = Tensor::<f32>::zeros(&[2, 0]);
    for (name, e) in [
        ("softmax", empty.softmax(-1).unwrap_err()),
        ("log_softmax", empty.log_softmax(-1).unwrap_err()),
        ("logsumexp", empty.logsumexp(-1, false).unwrap_err()),
    ] {
        assert!(e.to_string().starts_with(&format!("{name}: ")), "{e}");
    }
    let e = Tensor::from_vec(vec![2i32, 4], &[2]).unwrap().try_arith_scalar(2, Arith::Div).unwrap_err();
    assert!(e.to_string().starts_with("div: true division of int32"), "{e}");
    assert!(
        panic_text(|| drop(Tensor::from_vec(vec![2i32], &[1]).unwrap().arith_scalar(2, Arith::Div)))
            .starts_with("div: ")
    );
}

/// Found by fuzz/broadcast_programs: empty views whose other axes are huge. Their count is 0
/// (not an overflow), walking them does nothing, and slicing and contracting them follow NumPy.
#[test]
fn empty_views_with_huge_axes() {
    let e = Tensor::<f32>::zeros(&[1, 1, 0]).broadcast_to(&[usize::MAX, 1 << 45, 0]).unwrap();
    assert_eq!(e.size(), 0);
    assert_eq!(e.try_add(&e).unwrap().shape(), &[usize::MAX, 1 << 45, 0]);
    assert_eq!(e.transpose().size(), 0);
    assert_eq!(e.slice(&[SliceArg::Range { start: None, stop: None, step: -1 }]).unwrap().size(), 0);
    assert!(e.slice(&[SliceArg::Index(-1)]).unwrap().shape() == [1 << 45, 0]);
    // [3, 0] @ [0, 4] (batched) is zeros, as NumPy gives.
    let a = Tensor::<f32>::zeros(&[2, 3, 0]);
    let b = Tensor::<f32>::zeros(&[0, 4]).transpose().transpose();
    let z = a.matmul(&b).unwrap();
    assert_eq!((z.shape(), z.to_vec()), (&[2usize, 3, 4][..], vec![0.0; 24]));
}

/// Integer sums would wrap where NumPy widens the accumulator (u8: 60000 nines summed to 96):
/// refused with the reason, never a wrong number.
#[test]
fn integer_sums_that_may_overflow_are_refused() {
    let nines = Tensor::<u8>::full(&[60000], 9);
    let e = nines.reduce_all(tessera_tensor::ops::reduce::Reduce::Sum).unwrap_err().to_string();
    assert!(e.starts_with("sum: the sum reaches 540000, which does not fit uint8"), "{e}");
    assert!(
        panic_text(|| {
            let _ = nines.sum_all();
        })
        .starts_with("sum: ")
    );
    assert!(nines.reshape(&[200, 300]).unwrap().sum(&[1], false).is_err());
    assert_eq!(nines.astype::<i64>().sum_all(), 540000);
    // Sums that fit are computed as before.
    assert_eq!(Tensor::from_vec(vec![100u8, 50, 5], &[3]).unwrap().sum_all(), 155);
    assert_eq!(Tensor::<i32>::full(&[3, 4], 7).sum(&[0], false).unwrap().to_vec(), vec![21; 4]);
}
