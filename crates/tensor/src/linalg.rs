//! `dot` (np.dot) and `matmul` (np.matmul, the `@` operator) on tensors, for f32 and f64. Every
//! matrix product goes to [`crate::gemm::gemm`], which reads operands through their strides:
//! transposed, sliced and broadcast inputs are never copied first.

use crate::broadcast::broadcast_shapes;
use crate::error::{Result, TensorError};
use crate::gemm::{GemmScalar, MatMut, MatRef, gemm};
use crate::layout::Layout;
use crate::ops::NumElement;
use crate::strided_iter::OffsetIter;
use crate::tensor::Tensor;

fn mismatch(op: &'static str, a: &[usize], b: &[usize], reason: String) -> TensorError {
    TensorError::Shape { op, shapes: vec![a.to_vec(), b.to_vec()], reason }
}

/// A 2-D view (the last two axes of `l`) at `offset` as a GEMM operand.
pub(crate) fn mat<'a, T: GemmScalar>(data: &'a [T], l: &Layout, offset: usize) -> Result<MatRef<'a, T>> {
    let nd = l.ndim();
    let (rows, cols) = (l.shape()[nd - 2], l.shape()[nd - 1]);
    // An empty matrix reaches no element; its batch offset may point past an empty buffer.
    let offset = if rows == 0 || cols == 0 { 0 } else { offset };
    MatRef::new(data, rows, cols, l.strides()[nd - 2], l.strides()[nd - 1], offset)
}

/// Offsets of every batch position: the layout restricted to its leading (batch) axes.
fn batch_offsets(l: &Layout) -> Vec<usize> {
    let nd = l.ndim();
    let batch = Layout::new(&l.shape()[..nd - 2], &l.strides()[..nd - 2], l.offset(), isize::MAX as usize)
        .expect("a sub-layout of a checked layout");
    OffsetIter::new(&batch).collect()
}

impl<T: GemmScalar + NumElement> Tensor<T> {
    /// NumPy's `matmul` (`a @ b`): stacks of matrices in the last two axes, batch axes
    /// broadcast, a 1-D operand promoted to a matrix and its axis removed afterwards; 0-D
    /// operands are an error.
    ///
    /// ```
    /// use tessera_tensor::{tensor, Tensor};
    /// let a = tensor![[1.0f32, 2.0], [3.0, 4.0]];
    /// assert_eq!(a.matmul(&a).unwrap().to_vec(), vec![7.0, 10.0, 15.0, 22.0]);
    /// let batch = Tensor::<f32>::ones(&[5, 1, 3, 4]).matmul(&Tensor::ones(&[2, 4, 6])).unwrap();
    /// assert_eq!(batch.shape(), &[5, 2, 3, 6]);
    /// let e = a.matmul(&Tensor::ones(&[3, 2])).unwrap_err();
    /// assert_eq!(e.to_string(), "matmul: shapes [2, 2], [3, 2] do not fit: contracted axes a[-1] = 2 vs b[-2] = 3");
    /// ```
    pub fn matmul(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        let op = "matmul";
        if self.ndim() == 0 || other.ndim() == 0 {
            return Err(mismatch(
                op,
                self.shape(),
                other.shape(),
                "matmul does not take 0-D operands (use *)".into(),
            ));
        }
        let a = if self.ndim() == 1 { self.expand_dims(0)? } else { self.clone() };
        let b = if other.ndim() == 1 { other.expand_dims(-1)? } else { other.clone() };
        let (ad, bd) = (a.ndim(), b.ndim());
        let (m, k, k2, n) = (a.shape()[ad - 2], a.shape()[ad - 1], b.shape()[bd - 2], b.shape()[bd - 1]);
        if k != k2 {
            return Err(mismatch(
                op,
                self.shape(),
                other.shape(),
                format!("contracted axes a[-1] = {k} vs b[-2] = {k2}"),
            ));
        }
        let batch = broadcast_shapes(op, &a.shape()[..ad - 2], &b.shape()[..bd - 2])
            .map_err(|_| mismatch(op, self.shape(), other.shape(), "batch axes do not broadcast".into()))?;
        let full = |mut s: Vec<usize>, r, c| {
            s.push(r);
            s.push(c);
            s
        };
        let la = a.layout().broadcast_to(&full(batch.clone(), m, k))?;
        let lb = b.layout().broadcast_to(&full(batch.clone(), k, n))?;
        let out_shape = full(batch.clone(), m, n);
        let mut shape = out_shape.clone();
        if other.ndim() == 1 {
            shape.pop();
        }
        if self.ndim() == 1 {
            shape.remove(shape.len() - if other.ndim() == 1 { 1 } else { 2 });
        }
        let total = crate::alloc::output_len::<T>(op, &out_shape)?;
        if total == 0 {
            // Nothing to compute (the operands' other axes may be huge: no walk over them).
            return Tensor::from_vec(Vec::new(), &shape);
        }
        if k == 0 {
            // Empty sums: zeros, as NumPy gives. (An empty operand's batch axes need not be a
            // valid layout on their own, so they are not walked.)
            return Tensor::from_vec(crate::alloc::zeroed(op, &out_shape)?, &shape);
        }
        // Not zero-filled: each GEMM below runs with beta = 0, which writes every element of its
        // C block and reads none, and the blocks tile the buffer.
        let mut out: Vec<T> = crate::alloc::with_capacity(op, &out_shape)?;
        for (i, (oa, ob)) in batch_offsets(&la).into_iter().zip(batch_offsets(&lb)).enumerate() {
            let (am, bm) = (mat(a.storage(), &la, oa)?, mat(b.storage(), &lb, ob)?);
            // SAFETY: block i is inside the allocated capacity, written only by this GEMM, which
            // has beta = 0 (see `uninit_row_major`).
            let c = unsafe { MatMut::uninit_row_major(out.as_mut_ptr().add(i * m * n), m, n) };
            gemm(T::one(), am, bm, T::zero(), c)?;
        }
        // SAFETY: every block, hence every element of 0..total, was written by a beta = 0 GEMM
        // (an error above returned before this point, leaving the length at 0).
        unsafe { out.set_len(total) };
        Tensor::from_vec(out, &shape)
    }

    /// NumPy's `dot`: 0-D operands multiply; 1-D·1-D is the inner product (a 0-D tensor); 2-D·2-D
    /// is a matrix product; N-D·1-D sums over the last axis of both; N-D·M-D (M ≥ 2) sums over the
    /// last axis of `a` and the second-to-last of `b`, giving `a.shape[:-1] + b.shape[:-2] +
    /// b.shape[-1:]`.
    ///
    /// ```
    /// use tessera_tensor::{tensor, Tensor};
    /// assert_eq!(tensor![1.0f64, 2.0, 3.0].dot(&tensor![4.0, 5.0, 6.0]).unwrap().item().unwrap(), 32.0);
    /// let r = Tensor::<f32>::ones(&[2, 3, 4]).dot(&Tensor::ones(&[5, 4, 6])).unwrap();
    /// assert_eq!(r.shape(), &[2, 3, 5, 6]);
    /// assert_eq!(r.get(&[1, 2, 4, 5]).unwrap(), 4.0);
    /// ```
    pub fn dot(&self, other: &Tensor<T>) -> Result<Tensor<T>> {
        let op = "dot";
        if self.ndim() == 0 || other.ndim() == 0 {
            return self.try_mul(other);
        }
        let k = self.shape()[self.ndim() - 1];
        let kb = if other.ndim() == 1 { other.shape()[0] } else { other.shape()[other.ndim() - 2] };
        if k != kb {
            return Err(mismatch(
                op,
                self.shape(),
                other.shape(),
                format!(
                    "contracted axes a[-1] = {k} vs b[{}] = {kb}",
                    if other.ndim() == 1 { -1 } else { -2 }
                ),
            ));
        }
        if other.ndim() <= 2 {
            return self.matmul(other);
        }
        // N-D · M-D: rows of a (flattened) times each matrix of b, written where np.dot puts them.
        // (rows is counted, not inferred with -1, so that k = 0 works as in NumPy.)
        let bn = other.ndim();
        let n = other.shape()[bn - 1];
        let mut shape = self.shape()[..self.ndim() - 1].to_vec();
        shape.extend_from_slice(&other.shape()[..bn - 2]);
        shape.push(n);
        let mut out = crate::alloc::zeroed::<T>(op, &shape)?;
        if out.is_empty() || k == 0 {
            return Tensor::from_vec(out, &shape);
        }
        // The output is not empty, so these factors of its count are not 0 and fit.
        let rows: usize = self.shape()[..self.ndim() - 1].iter().product();
        let b_batch: usize = other.shape()[..bn - 2].iter().product();
        let a2 = self.reshape(&[rows as isize, k as isize])?;
        let lb = other.layout();
        for (j, ob) in batch_offsets(lb).into_iter().enumerate() {
            // Output viewed as [rows, b_batch, n]: block j is rows × n with row stride b_batch·n.
            let c = MatMut::new(&mut out, rows, n, (b_batch * n) as isize, 1, j * n)?;
            gemm(
                T::one(),
                mat(a2.storage(), a2.layout(), a2.layout().offset())?,
                mat(other.storage(), lb, ob)?,
                T::zero(),
                c,
            )?;
        }
        Tensor::from_vec(out, &shape)
    }
}
