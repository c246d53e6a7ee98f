//! The tensor examples of "Deep Learning with Python", chapter 2, with the values NumPy gives.

use tessera_tensor::{NEW_AXIS, Tensor, concatenate, s, stack, tensor};

#[test]
fn ranks_zero_to_three() {
    let x = Tensor::scalar(12i64);
    assert_eq!(x.ndim(), 0);
    let x = tensor![12i64, 3, 6, 14, 7];
    assert_eq!((x.ndim(), x.shape()), (1, &[5usize][..]));
    let x = tensor![[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]];
    assert_eq!(x.ndim(), 2);
    let x = tensor![
        [[5i64, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]],
        [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]]
    ];
    assert_eq!((x.ndim(), x.shape()), (3, &[3usize, 3, 5][..]));
    let five_d = Tensor::<f32>::zeros(&[2, 1, 3, 1, 2]);
    assert_eq!(five_d.ndim(), 5);
}

#[test]
fn mnist_shaped_slices_are_views() {
    let n = 1000usize;
    let images =
        Tensor::<u8>::from_vec((0..n * 784).map(|i| (i % 251) as u8).collect(), &[n, 28, 28]).unwrap();
    let my_slice = images.slice(&s![10..100]).unwrap();
    assert_eq!(my_slice.shape(), &[90, 28, 28]);
    assert!(my_slice.shares_storage(&images));
    assert_eq!(images.slice(&s![10..100, .., ..]).unwrap(), my_slice);
    assert_eq!(images.slice(&s![10..100, 0..28, 0..28]).unwrap(), my_slice);
    let corner = images.slice(&s![.., 14.., 14..]).unwrap();
    assert_eq!(corner.shape(), &[n, 14, 14]);
    assert_eq!(corner.get(&[0, 0, 0]).unwrap(), images.get(&[0, 14, 14]).unwrap());
    let center = images.slice(&s![.., 7..-7, 7..-7]).unwrap();
    assert_eq!(center.shape(), &[n, 14, 14]);
    assert_eq!(center.get(&[3, 13, 13]).unwrap(), images.get(&[3, 20, 20]).unwrap());
    let batch_n = 2;
    let batch = images.slice(&s![128 * batch_n..128 * (batch_n + 1)]).unwrap();
    assert_eq!(batch.shape(), &[128, 28, 28]);
    assert_eq!(batch.get(&[0, 0, 5]).unwrap(), images.get(&[256, 0, 5]).unwrap());
}

#[test]
fn single_index_drops_axis_and_newaxis_adds_one() {
    let t = Tensor::<i64>::arange(24).reshape(&[2, 3, 4]).unwrap();
    let row = t.slice(&s![1, 2]).unwrap();
    assert_eq!(row.to_vec(), vec![20, 21, 22, 23]);
    let col = t.slice(&s![.., NEW_AXIS, -1, ..;-2]).unwrap();
    assert_eq!(col.shape(), &[2, 1, 2]);
    assert_eq!(col.to_vec(), vec![11, 9, 23, 21]);
}

#[test]
fn reshape_like_the_chapter() {
    let x = tensor![[0.0f64, 1.0], [2.0, 3.0], [4.0, 5.0]];
    assert_eq!(x.shape(), &[3, 2]);
    let y = x.reshape(&[6, 1]).unwrap();
    assert_eq!(y.to_vec(), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    let y = x.reshape(&[2, 3]).unwrap();
    assert_eq!(y.to_string(), "array([[0., 1., 2.],\n       [3., 4., 5.]])");
    let x = Tensor::<f64>::zeros(&[300, 20]);
    assert_eq!(x.transpose().shape(), &[20, 300]);
}

#[test]
fn reshape_of_a_transpose_copies_and_says_so() {
    let x = Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap().transpose();
    let flat = x.reshape(&[-1]).unwrap();
    assert_eq!(flat.to_vec(), vec![0, 3, 1, 4, 2, 5]);
    assert!(!flat.shares_storage(&x));
    assert!(x.reshape_view(&[-1]).is_err());
    // A step-sliced view still reshapes as a view when its axes nest.
    let y = Tensor::<i32>::arange(24).reshape(&[4, 6]).unwrap().slice(&s![.., ..;2]).unwrap();
    let z = y.reshape(&[4, 3, 1]).unwrap();
    assert!(z.shares_storage(&y));
    assert_eq!(z.to_vec(), y.to_vec());
}

#[test]
fn errors_name_the_numbers() {
    let x = Tensor::<u8>::zeros(&[60000, 28, 28]);
    assert_eq!(
        x.reshape(&[60000, 785]).unwrap_err().to_string(),
        "reshape: cannot reshape [60000, 28, 28] into [60000, 785]: 47040000 elements cannot fill 47100000"
    );
    assert_eq!(
        x.reshape(&[-1, -1]).unwrap_err().to_string(),
        "reshape: cannot reshape [60000, 28, 28] into [-1, -1]: only one dimension can be -1"
    );
    assert_eq!(
        x.slice(&s![60000]).unwrap_err().to_string(),
        "slice: index 60000 is out of bounds for axis 0 with size 60000 (shape [60000, 28, 28])"
    );
    assert_eq!(
        x.permute(&[0, 1]).unwrap_err().to_string(),
        "permute: permutation [0, 1] has 2 axes, tensor has 3 (shape [60000, 28, 28])"
    );
    assert_eq!(
        x.permute(&[0, 1, 1]).unwrap_err().to_string(),
        "permute: axis 1 is invalid for shape [60000, 28, 28]: repeated axis"
    );
    assert_eq!(
        x.slice(&s![..;0]).unwrap_err().to_string(),
        "slice: slice step cannot be zero (axis 0) (shape [60000, 28, 28])"
    );
}

#[test]
#[should_panic(expected = "index: index 3 is out of bounds for axis 1 with size 3 (shape [2, 3])")]
fn index_operator_panics_with_the_same_message() {
    let t = Tensor::<i32>::zeros(&[2, 3]);
    let _ = t[[0, 3]];
}

#[test]
fn index_operator_reads_views() {
    let t = Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap().transpose();
    assert_eq!(t[[2, 1]], 5);
}

#[test]
fn join_and_split() {
    let a = Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap();
    let b = Tensor::<i32>::arange(3).reshape(&[1, 3]).unwrap();
    let c = concatenate(&[&a, &b], 0).unwrap();
    assert_eq!(c.shape(), &[3, 3]);
    let e = concatenate(&[&a, &b], 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "concatenate: shapes [2, 3], [1, 3] do not fit: all axes but axis 1 must match"
    );
    let s2 = stack(&[&a, &a], 0).unwrap();
    assert_eq!(s2.shape(), &[2, 2, 3]);
    let parts = c.split_at(&[1, 2], 0).unwrap();
    assert_eq!(parts.iter().map(|p| p.shape()[0]).collect::<Vec<_>>(), vec![1, 1, 1]);
    assert_eq!(parts[2].to_vec(), vec![0, 1, 2]);
}

#[test]
fn writes_never_show_through_views() {
    let a = Tensor::<i32>::arange(4);
    let mut b = a.slice(&s![1..]).unwrap();
    b.set(&[0], 99).unwrap();
    assert_eq!(a.to_vec(), vec![0, 1, 2, 3]);
    assert_eq!(b.to_vec(), vec![99, 2, 3]);
    let mut bc = Tensor::<i32>::arange(2).broadcast_to(&[2, 2]).unwrap();
    bc.set(&[0, 0], 7).unwrap();
    assert_eq!(bc.to_vec(), vec![7, 1, 0, 1]);
}

#[test]
fn dtypes_and_astype() {
    let t = tensor![0.9f32, -1.5, 255.0];
    assert_eq!(t.dtype().name(), "float32");
    let u = t.astype::<i32>();
    assert_eq!((u.dtype().name(), u.to_vec()), ("int32", vec![0, -1, 255]));
    let m = t.astype::<bool>();
    assert_eq!(m.to_string(), "array([ True,  True,  True])");
}

#[test]
fn astype_of_views_and_of_large_arrays() {
    // A transposed, sliced view converts in its reading order.
    let x = Tensor::from_vec((0..12u8).collect(), &[3, 4]).unwrap();
    let v = x.transpose().slice(&s![.., ..;-1]).unwrap();
    let f = v.astype::<f32>();
    assert!(f.is_contiguous());
    assert_eq!(f.to_vec(), v.to_vec().iter().map(|&b| b as f32).collect::<Vec<_>>());
    // A result above the huge-page size (4 MiB of f32) takes the other allocation path.
    let n = (5 << 20) / 4;
    let big = Tensor::from_vec((0..n).map(|i| (i % 251) as u8).collect(), &[n / 16, 16]).unwrap();
    let bf = big.astype::<f32>();
    assert_eq!(bf.shape(), &[n / 16, 16]);
    assert!(bf.to_vec().iter().enumerate().all(|(i, &v)| v == (i % 251) as f32));
}
