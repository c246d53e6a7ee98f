//! `dot` (np.dot) and `matmul` (np.matmul, the `@` operator) on tensors, for f32 and f64. Every
//! matrix product goes to [`crate::gemm::gemm`], which reads operands through their strides:
//! transposed, sliced and broadcast inputs are never copied first.

mod linear;

use crate::error::{Result, TensorError};
use crate::gemm::{GemmScalar, MatMut, MatRef, gemm};
use crate::layout::Layout;
use crate::layout::broadcast::broadcast_shapes;
use crate::layout::strided_iter::OffsetIter;
use crate::ops::NumElement;
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

/// The shapes of one `matmul`: the operands as broadcast stacks of matrices and the result.
struct MatmulPlan<T: GemmScalar> {
    a: Tensor<T>,
    b: Tensor<T>,
    la: Layout,
    lb: Layout,
    m: usize,
    k: usize,
    n: usize,
    /// The result with every axis (batch, m, n).
    out_shape: Vec<usize>,
    /// The result as NumPy shapes it (a 1-D operand's axis removed).
    shape: Vec<usize>,
}

impl<T: GemmScalar> MatmulPlan<T> {
    fn new(x: &Tensor<T>, y: &Tensor<T>) -> Result<Self> {
        let op = "matmul";
        if x.ndim() == 0 || y.ndim() == 0 {
            return Err(mismatch(
                op,
                x.shape(),
                y.shape(),
                "matmul does not take 0-D operands (use *)".into(),
            ));
        }
        let a = if x.ndim() == 1 { x.expand_dims(0)? } else { x.clone() };
        let b = if y.ndim() == 1 { y.expand_dims(-1)? } else { y.clone() };
        let (ad, bd) = (a.ndim(), b.ndim());
        let (m, k, k2, n) = (a.shape()[ad - 2], a.shape()[ad - 1], b.shape()[bd - 2], b.shape()[bd - 1]);
        if k != k2 {
            return Err(mismatch(
                op,
                x.shape(),
                y.shape(),
                format!("contracted axes a[-1] = {k} vs b[-2] = {k2}"),
            ));
        }
        let batch = broadcast_shapes(op, &a.shape()[..ad - 2], &b.shape()[..bd - 2])
            .map_err(|_| mismatch(op, x.shape(), y.shape(), "batch axes do not broadcast".into()))?;
        let full = |mut s: Vec<usize>, r, c| {
            s.push(r);
            s.push(c);
            s
        };
        let la = a.layout().broadcast_to(&full(batch.clone(), m, k))?;
        let lb = b.layout().broadcast_to(&full(batch.clone(), k, n))?;
        let out_shape = full(batch, m, n);
        let mut shape = out_shape.clone();
        if y.ndim() == 1 {
            shape.pop();
        }
        if x.ndim() == 1 {
            shape.remove(shape.len() - if y.ndim() == 1 { 1 } else { 2 });
        }
        Ok(MatmulPlan { a, b, la, lb, m, k, n, out_shape, shape })
    }

    /// The (A, B) matrices of every batch position, in the result's row-major order.
    fn blocks(&self) -> Result<Vec<(MatRef<'_, T>, MatRef<'_, T>)>> {
        batch_offsets(&self.la)
            .into_iter()
            .zip(batch_offsets(&self.lb))
            .map(|(oa, ob)| Ok((mat(self.a.storage(), &self.la, oa)?, mat(self.b.storage(), &self.lb, ob)?)))
            .collect()
    }
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
        let plan = MatmulPlan::new(self, other)?;
        let total = crate::runtime::alloc::output_len::<T>("matmul", &plan.out_shape)?;
        if total == 0 || plan.k == 0 {
            // Empty sums are zeros, as NumPy gives (and an empty operand's batch axes need not
            // be a valid layout on their own, so they are not walked).
            return Tensor::from_vec(crate::runtime::alloc::zeroed("matmul", &plan.out_shape)?, &plan.shape);
        }
        // Each GEMM runs with beta = 0, which writes every element of its C block and reads
        // none, and the blocks tile the buffer: it is not cleared first. A large one is a
        // recycled result of the same size, or zero pages with huge-page advice
        // (`runtime::alloc`), so that a fresh result costs a few page faults, not one per 4 KiB.
        let mut out: Vec<T> = crate::runtime::alloc::for_overwrite("matmul", &plan.out_shape)?;
        for (i, (am, bm)) in plan.blocks()?.into_iter().enumerate() {
            // SAFETY: block i is inside the allocated capacity, written only by this GEMM, which
            // has beta = 0 (see `uninit_row_major`).
            let c = unsafe {
                MatMut::uninit_row_major(out.as_mut_ptr().add(i * plan.m * plan.n), plan.m, plan.n)
            };
            gemm(T::one(), am, bm, T::zero(), c)?;
        }
        // SAFETY: every block, hence every element of 0..total, was written by a beta = 0 GEMM
        // (an error above returned before this point, leaving the length at 0).
        unsafe { out.set_len(total) };
        Tensor::from_vec(out, &plan.shape)
    }

    /// [`Tensor::matmul`] into an existing contiguous tensor of the result's shape (NumPy's
    /// `np.matmul(a, b, out=c)`): no allocation, so a loop of products reuses one output and
    /// does not fault in fresh pages at every call. If `out` shares its storage, it is copied
    /// first (copy-on-write), as any write to a tensor is.
    ///
    /// ```
    /// use tessera_tensor::{tensor, Tensor};
    /// let a = tensor![[1.0f32, 2.0], [3.0, 4.0]];
    /// let mut c = Tensor::<f32>::zeros(&[2, 2]);
    /// a.matmul_into(&a, &mut c).unwrap();
    /// assert_eq!(c.to_vec(), vec![7.0, 10.0, 15.0, 22.0]);
    /// let e = a.matmul_into(&a, &mut Tensor::zeros(&[2, 3])).unwrap_err();
    /// assert_eq!(e.to_string(), "matmul_into: shapes [2, 2], [2, 3] do not fit: out must have the result's shape [2, 2] and be contiguous");
    /// ```
    pub fn matmul_into(&self, other: &Tensor<T>, out: &mut Tensor<T>) -> Result<()> {
        let plan = MatmulPlan::new(self, other).map_err(|e| e.with_op("matmul_into"))?;
        if out.shape() != plan.shape.as_slice() || !out.is_contiguous() {
            return Err(mismatch(
                "matmul_into",
                &plan.shape,
                out.shape(),
                format!("out must have the result's shape {:?} and be contiguous", plan.shape),
            ));
        }
        let len = out.size();
        let (storage, layout) = out.writable_parts();
        let start = layout.offset();
        let buf = &mut storage[start..start + len];
        if plan.k == 0 {
            buf.fill(T::zero());
            return Ok(());
        }
        if buf.is_empty() {
            return Ok(());
        }
        for ((am, bm), c) in plan.blocks()?.into_iter().zip(buf.chunks_exact_mut(plan.m * plan.n)) {
            gemm(T::one(), am, bm, T::zero(), MatMut::row_major(c, plan.m, plan.n)?)?;
        }
        Ok(())
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
        let mut out = crate::runtime::alloc::zeroed::<T>(op, &shape)?;
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
