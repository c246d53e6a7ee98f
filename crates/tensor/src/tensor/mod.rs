//! `Tensor<T>`: shared flat storage plus a [`Layout`]. Cloning is cheap (the storage is shared);
//! views share storage; writes go through [`Tensor::make_writable`], which copies first when the
//! storage is shared or the layout aliases (copy-on-write), so a write never shows through another
//! tensor.

pub mod create;
pub mod display;
pub mod explain;
pub mod join;
pub mod literal;
pub mod random;
pub mod views;

use crate::dtype::{AsType, DType, Element};
use crate::error::{Result, TensorError, or_panic};
use crate::layout::Layout;
use crate::layout::shape::checked_size;
use crate::layout::strided_iter::{OffsetIter, Runs};
use crate::runtime::recycle::Storage;
use std::sync::Arc;

/// A strided N-D array of `T`.
#[derive(Clone)]
pub struct Tensor<T: Element> {
    storage: Arc<Storage<T>>,
    layout: Layout,
}

impl<T: Element> Tensor<T> {
    /// A tensor over `data` in row-major order; fails if the length does not match the shape.
    ///
    /// ```
    /// use tessera_tensor::Tensor;
    /// let t = Tensor::from_vec(vec![1, 2, 3, 4, 5, 6], &[2, 3]).unwrap();
    /// assert_eq!(t.shape(), &[2, 3]);
    /// let e = Tensor::from_vec(vec![1, 2, 3], &[2, 2]).unwrap_err();
    /// assert_eq!(e.to_string(), "from_vec: shape [2, 2] needs 4 elements but 3 were given");
    /// ```
    pub fn from_vec(data: Vec<T>, shape: &[usize]) -> Result<Tensor<T>> {
        let expected = checked_size(shape).ok_or_else(|| TensorError::Invalid {
            op: "from_vec",
            shape: shape.to_vec(),
            reason: "element count overflows isize".into(),
        })?;
        if data.len() != expected {
            return Err(TensorError::Length {
                op: "from_vec",
                shape: shape.to_vec(),
                expected,
                got: data.len(),
            });
        }
        Ok(Tensor { storage: Arc::new(Storage::new(data)), layout: Layout::contiguous(shape) })
    }

    /// A 0-D tensor holding one value.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::scalar(12u8);
    /// assert_eq!((t.ndim(), t.item().unwrap()), (0, 12));
    /// ```
    pub fn scalar(value: T) -> Tensor<T> {
        Tensor { storage: Arc::new(Storage::new(vec![value])), layout: Layout::contiguous(&[]) }
    }

    /// A tensor from storage and a layout already checked against it.
    pub(crate) fn from_parts(storage: Arc<Storage<T>>, layout: Layout) -> Tensor<T> {
        debug_assert!(
            Layout::new(layout.shape(), layout.strides(), layout.offset(), storage.len()).is_ok(),
            "layout {layout:?} escapes storage of {}",
            storage.len()
        );
        Tensor { storage, layout }
    }

    /// A tensor that views this one's storage through another layout.
    pub(crate) fn with_layout(&self, layout: Layout) -> Tensor<T> {
        Tensor::from_parts(Arc::clone(&self.storage), layout)
    }

    /// A tensor over a raw storage vector and a layout, checked against the invariants.
    pub fn from_storage(storage: Vec<T>, layout: Layout) -> Result<Tensor<T>> {
        let layout = Layout::new(layout.shape(), layout.strides(), layout.offset(), storage.len())?;
        Ok(Tensor { storage: Arc::new(Storage::new(storage)), layout })
    }

    /// The shared storage handle (for `shares_storage`).
    pub(crate) fn storage_arc(&self) -> &Arc<Storage<T>> {
        &self.storage
    }

    /// The layout (shape, strides, offset).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Size of each axis.
    pub fn shape(&self) -> &[usize] {
        self.layout.shape()
    }

    /// Strides in elements (NumPy reports bytes; multiply by `dtype().size_of()` to compare).
    pub fn strides(&self) -> &[isize] {
        self.layout.strides()
    }

    /// Number of axes (NumPy's `ndim`).
    pub fn ndim(&self) -> usize {
        self.layout.ndim()
    }

    /// Number of elements (NumPy's `size`).
    pub fn size(&self) -> usize {
        self.layout.size()
    }

    /// Length of the first axis (Python's `len`); 0-D tensors have no length and give 1, the
    /// count of their elements.
    pub fn len(&self) -> usize {
        self.shape().first().copied().unwrap_or(1)
    }

    /// True when the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// The runtime dtype, with NumPy's name.
    ///
    /// ```
    /// assert_eq!(tessera_tensor::Tensor::<u8>::zeros(&[2]).dtype().name(), "uint8");
    /// ```
    pub fn dtype(&self) -> DType {
        T::DTYPE
    }

    /// True when elements are in row-major order with no gaps.
    pub fn is_contiguous(&self) -> bool {
        self.layout.is_contiguous()
    }

    /// The whole backing storage (shared by views; not in logical order in general).
    pub fn storage(&self) -> &[T] {
        &self.storage
    }

    /// The elements as one slice in logical order, when the tensor is contiguous.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap();
    /// assert_eq!(t.as_slice(), Some(&[0, 1, 2, 3, 4, 5][..]));
    /// assert_eq!(t.transpose().as_slice(), None);
    /// ```
    pub fn as_slice(&self) -> Option<&[T]> {
        self.is_contiguous().then(|| &self.storage[self.layout.offset()..self.layout.offset() + self.size()])
    }

    /// The element at `index` (negative indices count from the end).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap();
    /// assert_eq!(t.get(&[1, -1]).unwrap(), 5);
    /// assert_eq!(
    ///     t.get(&[2, 0]).unwrap_err().to_string(),
    ///     "get: index 2 is out of bounds for axis 0 with size 2 (shape [2, 3])"
    /// );
    /// ```
    pub fn get(&self, index: &[isize]) -> Result<T> {
        Ok(self.storage[self.layout.index_offset("get", index)?])
    }

    /// Writes the element at `index`, copying the storage first if it is shared.
    pub fn set(&mut self, index: &[isize], value: T) -> Result<()> {
        self.layout.index_offset("set", index)?; // reject before any copy
        let (storage, layout) = self.writable_parts();
        let off = layout.index_offset("set", index)?;
        storage[off] = value;
        Ok(())
    }

    /// The single element of a tensor of size 1 (any rank).
    pub fn item(&self) -> Result<T> {
        if self.size() != 1 {
            return Err(TensorError::Invalid {
                op: "item",
                shape: self.shape().to_vec(),
                reason: format!("only tensors of one element have an item, this has {}", self.size()),
            });
        }
        Ok(self.storage[OffsetIter::new(&self.layout).next().unwrap_or(0)])
    }

    /// Elements in logical (row-major) order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = T> + '_ {
        OffsetIter::new(&self.layout).map(move |o| self.storage[o])
    }

    /// The elements in logical order, as a new `Vec`.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<i32>::arange(6).reshape(&[2, 3]).unwrap();
    /// assert_eq!(t.transpose().to_vec(), vec![0, 3, 1, 4, 2, 5]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        if let Some(s) = self.as_slice() {
            return s.to_vec();
        }
        let mut out = Vec::with_capacity(self.size());
        let runs = Runs::new(self.shape(), [self.strides()], [self.layout.offset()]);
        let (n, [s]) = (runs.inner_len(), runs.inner_strides());
        runs.for_each(|[o]| {
            if s == 1 {
                out.extend_from_slice(&self.storage[o..o + n]);
            } else {
                out.extend((0..n).map(|i| self.storage[(o as isize + i as isize * s) as usize]));
            }
        });
        out
    }

    /// A row-major contiguous tensor with the same elements: this one (shared) if it already is.
    pub fn to_contiguous(&self) -> Tensor<T> {
        if self.is_contiguous() {
            return self.clone();
        }
        Tensor { storage: Arc::new(Storage::new(self.to_vec())), layout: Layout::contiguous(self.shape()) }
    }

    /// Converts every element with NumPy's `astype` rules (floats truncate into integers).
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::from_vec(vec![0u8, 128, 255], &[3]).unwrap();
    /// let f = t.astype::<f32>();
    /// assert_eq!(f.dtype().name(), "float32");
    /// assert_eq!(f.to_vec(), vec![0.0, 128.0, 255.0]);
    /// ```
    pub fn astype<U: Element>(&self) -> Tensor<U>
    where
        T: AsType<U>,
    {
        // From `alloc::zeroed`: a large result (a data set's f32 copy) is fresh zero pages with
        // huge-page advice, so the random rows a training loop gathers from it cost fewer TLB
        // misses.
        let mut data = crate::error::or_panic(crate::runtime::alloc::zeroed::<U>("astype", self.shape()));
        match self.as_slice() {
            Some(s) => data.iter_mut().zip(s).for_each(|(d, &x)| *d = x.as_type()),
            None => data.iter_mut().zip(self.iter()).for_each(|(d, x)| *d = x.as_type()),
        }
        Tensor { storage: Arc::new(Storage::new(data)), layout: Layout::contiguous(self.shape()) }
    }

    /// Makes this tensor's storage safe to write: unique (not shared with another tensor) and
    /// addressed by a non-overlapping layout (Layout invariant 3). Copies into a fresh contiguous
    /// buffer only when needed; returns the storage for the kernel to write.
    pub fn make_writable(&mut self) -> &mut [T] {
        if Arc::get_mut(&mut self.storage).is_none() || !self.layout.is_non_overlapping() {
            *self = Tensor {
                storage: Arc::new(Storage::new(self.to_vec())),
                layout: Layout::contiguous(self.shape()),
            };
        }
        Arc::get_mut(&mut self.storage).expect("storage was just made unique")
    }

    /// Unique storage and layout for an in-place kernel: `(storage, layout)` after
    /// [`Tensor::make_writable`].
    pub fn writable_parts(&mut self) -> (&mut [T], &Layout) {
        self.make_writable();
        let storage = Arc::get_mut(&mut self.storage).expect("storage was just made unique");
        (storage.as_mut_slice(), &self.layout)
    }

    /// Takes the elements out as a row-major `Vec` without copying when possible.
    pub fn into_vec(self) -> Vec<T> {
        if self.is_contiguous() && self.layout.offset() == 0 && self.storage.len() == self.size() {
            match Arc::try_unwrap(self.storage) {
                Ok(v) => v.into_vec(),
                Err(arc) => arc.to_vec(),
            }
        } else {
            self.to_vec()
        }
    }
}

impl<T: Element, const N: usize> std::ops::Index<[usize; N]> for Tensor<T> {
    type Output = T;

    /// Panics with the same message `get` returns when the index is out of range.
    fn index(&self, index: [usize; N]) -> &T {
        let idx: Vec<isize> =
            index.iter().map(|&i| crate::layout::slice::saturating_isize(i as i128)).collect();
        &self.storage[or_panic(self.layout.index_offset("index", &idx))]
    }
}

impl<T: Element> PartialEq for Tensor<T> {
    /// Equal shapes and equal elements in logical order (layouts may differ).
    fn eq(&self, other: &Tensor<T>) -> bool {
        self.shape() == other.shape() && self.iter().eq(other.iter())
    }
}
