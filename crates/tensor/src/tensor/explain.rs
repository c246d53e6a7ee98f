//! A layout explainer for teaching: what a view's shape, strides and offset mean, and where
//! each element lives in storage.

use crate::dtype::Element;
use crate::tensor::Tensor;
use std::fmt::Write;

impl<T: Element> Tensor<T> {
    /// A multi-line description of the layout: shape, strides in elements and bytes, offset,
    /// contiguity, broadcast axes, and the storage position of the first elements.
    ///
    /// ```
    /// let t = tessera_tensor::Tensor::<f32>::arange(6).reshape(&[2, 3]).unwrap().transpose();
    /// let text = t.explain();
    /// assert!(text.contains("shape   [3, 2]"));
    /// assert!(text.contains("strides [1, 3] elements = [4, 12] bytes"));
    /// assert!(text.contains("contiguous: no"));
    /// ```
    pub fn explain(&self) -> String {
        let l = self.layout();
        let bytes: Vec<isize> = l.strides().iter().map(|s| s * T::DTYPE.size_of() as isize).collect();
        let mut s = String::new();
        let _ = writeln!(s, "dtype   {}", T::DTYPE.name());
        let _ = writeln!(s, "shape   {:?}", l.shape());
        let _ = writeln!(s, "strides {:?} elements = {:?} bytes", l.strides(), bytes);
        let _ = writeln!(s, "offset  {}", l.offset());
        let _ = writeln!(
            s,
            "contiguous: {}   storage: {} elements shared by this view",
            if l.is_contiguous() { "yes" } else { "no" },
            self.storage().len()
        );
        let broadcast: Vec<usize> =
            (0..l.ndim()).filter(|&i| l.strides()[i] == 0 && l.shape()[i] > 1).collect();
        if !broadcast.is_empty() {
            let _ = writeln!(s, "broadcast axes (stride 0, read-only): {broadcast:?}");
        }
        let (run, stride) = l.inner_run();
        let _ = writeln!(s, "innermost run: {run} elements at stride {stride}");
        let formula: Vec<String> =
            l.strides().iter().enumerate().map(|(i, st)| format!("{st}*i{i}")).collect();
        let _ =
            writeln!(s, "element [i0, i1, ...] lives at storage[{} + {}]", l.offset(), formula.join(" + "));
        let offsets: Vec<usize> = crate::layout::strided_iter::OffsetIter::new(l).take(12).collect();
        let _ = writeln!(s, "first offsets in logical order: {offsets:?}");
        s
    }
}
