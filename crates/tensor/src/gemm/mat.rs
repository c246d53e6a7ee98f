//! `MatRef` / `MatMut`: the BLAS-style operand of every GEMM tier: a slice plus rows, columns,
//! row stride, column stride and offset. Built once with a bounds check, after which kernels may
//! index without one.

use crate::error::{Result, TensorError};
use crate::layout::Layout;
use std::marker::PhantomData;

/// A read-only strided matrix view. Invariant: every `(i, j)` with `i < rows`, `j < cols` maps to
/// `offset + i*rs + j*cs`, which lies inside `data` (checked in [`MatRef::new`]).
#[derive(Debug, Clone, Copy)]
pub struct MatRef<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    rs: isize,
    cs: isize,
    offset: usize,
}

/// A writable strided matrix view: [`MatRef`]'s invariant plus no two indices alias (so a kernel
/// may write every element exactly once). Holds a raw pointer so that disjoint sub-views (row or
/// column blocks handed to different threads) can coexist without two `&mut` to one buffer.
#[derive(Debug)]
pub struct MatMut<'a, T> {
    data: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
    rows: usize,
    cols: usize,
    rs: isize,
    cs: isize,
    offset: usize,
}

fn check(
    op: &'static str,
    len: usize,
    rows: usize,
    cols: usize,
    rs: isize,
    cs: isize,
    offset: usize,
) -> Result<Layout> {
    Layout::new(&[rows, cols], &[rs, cs], offset, len).map_err(|e| TensorError::Invalid {
        op,
        shape: vec![rows, cols],
        reason: format!("strides [{rs}, {cs}] at offset {offset} do not fit {len} elements: {e}"),
    })
}

impl<'a, T: Copy> MatRef<'a, T> {
    /// A view of `rows × cols` elements at `data[offset + i*rs + j*cs]`.
    ///
    /// ```
    /// use tessera_tensor::gemm::MatRef;
    /// let data = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// let a = MatRef::new(&data, 2, 3, 3, 1, 0).unwrap(); // row-major 2x3
    /// assert_eq!(a.at(1, 2), 6.0);
    /// let t = MatRef::new(&data, 3, 2, 1, 3, 0).unwrap(); // its transpose, no copy
    /// assert_eq!(t.at(2, 1), 6.0);
    /// assert!(MatRef::new(&data, 3, 3, 3, 1, 0).is_err());
    /// ```
    pub fn new(data: &'a [T], rows: usize, cols: usize, rs: isize, cs: isize, offset: usize) -> Result<Self> {
        check("MatRef::new", data.len(), rows, cols, rs, cs, offset)?;
        Ok(MatRef { data, rows, cols, rs, cs, offset })
    }

    /// A contiguous row-major view.
    pub fn row_major(data: &'a [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, cols as isize, 1, 0)
    }

    /// The transposed view (swaps dimensions and strides; no copy).
    #[inline]
    pub fn t(self) -> Self {
        MatRef { rows: self.cols, cols: self.rows, rs: self.cs, cs: self.rs, ..self }
    }

    /// Rows.
    #[inline]
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// Columns.
    #[inline]
    pub fn cols(&self) -> usize {
        self.cols
    }
    /// Row stride in elements.
    #[inline]
    pub fn rs(&self) -> isize {
        self.rs
    }
    /// Column stride in elements.
    #[inline]
    pub fn cs(&self) -> isize {
        self.cs
    }

    /// Element `(i, j)`; panics if out of range.
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> T {
        assert!(i < self.rows && j < self.cols, "MatRef::at: ({i}, {j}) outside {}x{}", self.rows, self.cols);
        // SAFETY: bounds asserted above; the constructor's invariant places the offset in `data`.
        unsafe { self.get_unchecked(i, j) }
    }

    /// Element `(i, j)` without a bounds check.
    ///
    /// # Safety
    /// `i < rows` and `j < cols`.
    #[inline(always)]
    pub unsafe fn get_unchecked(&self, i: usize, j: usize) -> T {
        let off = elem_offset(self.offset, self.rs, self.cs, i, j);
        // SAFETY: caller keeps (i, j) in range; the constructor checked every in-range offset.
        unsafe { *self.data.get_unchecked(off as usize) }
    }

    /// Raw pointer to element `(i, j)` (which must be in range, or `(rows, ..)` / `(.., cols)`
    /// one past the end for loop bounds; never dereferenced out of range).
    #[inline(always)]
    pub(crate) fn ptr(&self, i: usize, j: usize) -> *const T {
        let off = elem_offset(self.offset, self.rs, self.cs, i, j);
        self.data.as_ptr().wrapping_offset(off)
    }

    /// The sub-matrix of rows `r0..r0+rows`, columns `c0..c0+cols` (must lie inside).
    #[inline]
    pub(crate) fn sub(&self, r0: usize, c0: usize, rows: usize, cols: usize) -> Self {
        assert!(r0 + rows <= self.rows && c0 + cols <= self.cols, "MatRef::sub out of range");
        let offset = if rows == 0 || cols == 0 {
            self.offset
        } else {
            (self.offset as isize + r0 as isize * self.rs + c0 as isize * self.cs) as usize
        };
        MatRef { offset, rows, cols, ..*self }
    }
}

impl<'a, T: Copy> MatMut<'a, T> {
    /// A writable view; fails if any element lies outside `data` or two indices alias.
    ///
    /// ```
    /// use tessera_tensor::gemm::MatMut;
    /// let mut data = [0.0f32; 6];
    /// assert!(MatMut::new(&mut data, 2, 3, 3, 1, 0).is_ok());
    /// assert!(MatMut::new(&mut data, 2, 3, 0, 1, 0).is_err()); // rows alias
    /// ```
    pub fn new(
        data: &'a mut [T],
        rows: usize,
        cols: usize,
        rs: isize,
        cs: isize,
        offset: usize,
    ) -> Result<Self> {
        let layout = check("MatMut::new", data.len(), rows, cols, rs, cs, offset)?;
        if !layout.is_non_overlapping() {
            return Err(TensorError::Invalid {
                op: "MatMut::new",
                shape: vec![rows, cols],
                reason: format!("strides [{rs}, {cs}] make elements alias; an output must not overlap"),
            });
        }
        Ok(MatMut {
            data: data.as_mut_ptr(),
            len: data.len(),
            _borrow: PhantomData,
            rows,
            cols,
            rs,
            cs,
            offset,
        })
    }

    /// A contiguous row-major view.
    pub fn row_major(data: &'a mut [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, cols as isize, 1, 0)
    }

    /// A row-major view over `rows·cols` possibly *uninitialised* elements at `ptr`, for a GEMM
    /// with `beta = 0`, which writes every element of C and reads none (saves zero-filling a
    /// fresh output buffer).
    ///
    /// # Safety
    /// `ptr` is valid for writes of `rows·cols` elements for `'a` and nothing else accesses them
    /// meanwhile; the view must only be handed to a GEMM with `beta = 0`.
    pub(crate) unsafe fn uninit_row_major(ptr: *mut T, rows: usize, cols: usize) -> Self {
        MatMut {
            data: ptr,
            len: rows * cols,
            _borrow: PhantomData,
            rows,
            cols,
            rs: cols as isize,
            cs: 1,
            offset: 0,
        }
    }

    /// A shorter-lived view of the same elements, so C can be used again after a call that
    /// consumes a view (e.g. a product, then an epilogue pass over it).
    #[inline]
    pub(crate) fn reborrow(&mut self) -> MatMut<'_, T> {
        MatMut {
            data: self.data,
            len: self.len,
            _borrow: PhantomData,
            rows: self.rows,
            cols: self.cols,
            rs: self.rs,
            cs: self.cs,
            offset: self.offset,
        }
    }

    /// The transposed view of the same elements (no copy).
    #[inline]
    pub fn t(self) -> Self {
        MatMut { rows: self.cols, cols: self.rows, rs: self.cs, cs: self.rs, ..self }
    }

    /// Rows.
    #[inline]
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// Columns.
    #[inline]
    pub fn cols(&self) -> usize {
        self.cols
    }
    /// Row stride.
    #[inline]
    pub fn rs(&self) -> isize {
        self.rs
    }
    /// Column stride.
    #[inline]
    pub fn cs(&self) -> isize {
        self.cs
    }

    /// Element `(i, j)` without a bounds check.
    ///
    /// # Safety
    /// `i < rows` and `j < cols`.
    #[inline(always)]
    pub unsafe fn get_unchecked(&self, i: usize, j: usize) -> T {
        let off = elem_offset(self.offset, self.rs, self.cs, i, j);
        // SAFETY: caller keeps (i, j) in range; the constructor checked every in-range offset.
        unsafe { *self.data.add(off as usize) }
    }

    /// Mutable element `(i, j)` without a bounds check.
    ///
    /// # Safety
    /// `i < rows` and `j < cols`.
    #[inline(always)]
    pub unsafe fn get_unchecked_mut(&mut self, i: usize, j: usize) -> &mut T {
        let off = elem_offset(self.offset, self.rs, self.cs, i, j);
        // SAFETY: caller keeps (i, j) in range; the constructor checked every in-range offset, and
        // no other view reaches this element (non-overlap, disjoint splits).
        unsafe { &mut *self.data.add(off as usize) }
    }

    /// Raw pointer to `(i, j)`; see [`MatRef`]'s `ptr`.
    #[inline(always)]
    pub(crate) fn ptr_mut(&mut self, i: usize, j: usize) -> *mut T {
        let off = elem_offset(self.offset, self.rs, self.cs, i, j);
        self.data.wrapping_offset(off)
    }

    /// Splits the rows at `r` (the two halves are disjoint because the view does not overlap).
    pub(crate) fn split_rows(self, r: usize) -> (MatMut<'a, T>, MatMut<'a, T>) {
        assert!(r <= self.rows);
        self.split(r, true)
    }

    /// Splits the columns at `c`.
    pub(crate) fn split_cols(self, c: usize) -> (MatMut<'a, T>, MatMut<'a, T>) {
        assert!(c <= self.cols);
        self.split(c, false)
    }

    fn split(self, at: usize, rows: bool) -> (MatMut<'a, T>, MatMut<'a, T>) {
        let (r2, c2) = if rows { (self.rows - at, self.cols) } else { (self.rows, self.cols - at) };
        let second_off = if r2 == 0 || c2 == 0 {
            self.offset
        } else if rows {
            (self.offset as isize + at as isize * self.rs) as usize
        } else {
            (self.offset as isize + at as isize * self.cs) as usize
        };
        let (rows1, cols1) = if rows { (at, self.cols) } else { (self.rows, at) };
        // Both halves keep the parent's pointer: they reach disjoint elements, never each other's.
        let half = |rows, cols, offset| MatMut {
            data: self.data,
            len: self.len,
            _borrow: PhantomData,
            rows,
            cols,
            rs: self.rs,
            cs: self.cs,
            offset,
        };
        (half(rows1, cols1, self.offset), half(r2, c2, second_off))
    }
}

// SAFETY: a MatMut is an exclusive borrow of a `[T]` (like `&mut [T]`, which is Send when T is);
// split views reach disjoint elements, so moving one to another thread cannot create a data race.
unsafe impl<T: Send> Send for MatMut<'_, T> {}

/// Storage offset of element `(i, j)`: `offset + i·rs + j·cs` (the one formula both views use).
#[inline(always)]
fn elem_offset(offset: usize, rs: isize, cs: isize, i: usize, j: usize) -> isize {
    offset as isize + i as isize * rs + j as isize * cs
}

impl<T: super::scalar::GemmScalar> MatMut<'_, T> {
    /// Stores into `(i, j)` through a raw pointer, never a reference: with `beta = 0` C may be
    /// uninitialised (`uninit_row_major`), so it is written without being read; otherwise it
    /// becomes `beta·C[i, j] + v` (one fused multiply-add when `fused`).
    ///
    /// # Safety
    /// `i < rows` and `j < cols`; when `beta != 0` the element is initialised.
    #[inline(always)]
    pub(crate) unsafe fn merge_unchecked(&mut self, i: usize, j: usize, beta: T, v: T, fused: bool) {
        let p = self.ptr_mut(i, j);
        // SAFETY: (i, j) in range (caller), so p is an element the constructor checked and only
        // this view reaches; it is read only when beta != 0, when it is initialised (caller).
        unsafe {
            if beta == T::zero() {
                p.write(v);
            } else if fused {
                p.write(beta.mul_add(p.read(), v));
            } else {
                p.write(beta * p.read() + v);
            }
        }
    }
}

/// Checks `A: m×k`, `B: k×n`, `C: m×n`, naming all three shapes on failure.
#[inline]
pub(crate) fn check_dims<T: Copy>(
    op: &'static str,
    a: &MatRef<T>,
    b: &MatRef<T>,
    c: &MatMut<T>,
) -> Result<()> {
    if a.cols() != b.rows() || c.rows() != a.rows() || c.cols() != b.cols() {
        return Err(TensorError::Shape {
            op,
            shapes: vec![vec![a.rows(), a.cols()], vec![b.rows(), b.cols()], vec![c.rows(), c.cols()]],
            reason: "need A (m, k), B (k, n), C (m, n)".into(),
        });
    }
    Ok(())
}

/// C <- beta·C, writing zeros (not reading C) when `beta == 0`.
#[inline]
pub(crate) fn scale_c<T: super::scalar::GemmScalar>(c: &mut MatMut<T>, beta: T) {
    if beta == T::one() {
        return;
    }
    for i in 0..c.rows() {
        for j in 0..c.cols() {
            let p = c.ptr_mut(i, j);
            // SAFETY: i < rows, j < cols, so p is an element of C; written through the pointer
            // (C may be uninitialised when beta = 0), read only when beta != 0.
            unsafe { p.write(if beta == T::zero() { T::zero() } else { beta * p.read() }) };
        }
    }
}
