//! The strides explorer: a view expression applied to `x = arange(n).reshape(shape)` by
//! Tessera's own layout code, and everything the page draws about the result.

use crate::view_expr::{self, Item, Op};
use serde_json::{Value, json};
use tessera_tensor::layout::strided_iter::OffsetIter;
use tessera_tensor::{SliceArg, Tensor};

/// The most elements `x` may have: the page draws one cell per element.
pub const MAX_ELEMENTS: usize = 1024;
/// The most elements a result may have (a broadcast can be larger than its storage).
pub const MAX_RESULT: usize = 4096;

/// What the page shows for one expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The result's shape, strides (elements) and offset.
    pub shape: Vec<usize>,
    /// Strides in elements (negative for reversed axes, 0 for broadcast ones).
    pub strides: Vec<isize>,
    /// Where element `[0, 0, ...]` lives in the storage.
    pub offset: usize,
    /// True when the result reads `x`'s storage (no element was copied).
    pub is_view: bool,
    /// The storage the result reads: `x`'s for a view, its own for a copy.
    pub storage: Vec<f32>,
    /// The storage position of each element, in logical (row-major) order.
    pub offsets: Vec<usize>,
    /// [`Tensor::explain`]'s text.
    pub explain: String,
}

impl Report {
    /// The report as the JSON object the page reads.
    pub fn to_json(&self) -> Value {
        json!({
            "shape": self.shape,
            "strides": self.strides,
            "offset": self.offset,
            "is_view": self.is_view,
            "storage": self.storage,
            "offsets": self.offsets,
            "explain": self.explain,
        })
    }
}

/// `x = arange(prod(shape)).reshape(shape)`, bounded by [`MAX_ELEMENTS`].
pub fn base(shape: &[usize]) -> Result<Tensor<f32>, String> {
    let n = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d)).filter(|&n| n <= MAX_ELEMENTS);
    let n = n.ok_or_else(|| format!("shape {shape:?} has more than {MAX_ELEMENTS} elements"))?;
    if shape.is_empty() || shape.len() > 6 {
        return Err(format!("shape {shape:?}: give 1 to 6 axes"));
    }
    let dims: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    Tensor::arange(n).reshape(&dims).map_err(|e| e.to_string())
}

/// Parses `expr` and applies it to `x`.
pub fn evaluate(x: &Tensor<f32>, expr: &str) -> Result<Tensor<f32>, String> {
    let mut t = x.clone();
    for op in view_expr::parse(expr)? {
        t = apply(&t, &op)?;
    }
    Ok(t)
}

/// Parses `expr`, applies it to `x = arange(..).reshape(shape)` and describes the result.
///
/// ```
/// let r = tessera_web::explorer::explore(&[3, 4], "x[:, ::-2]").unwrap();
/// assert_eq!((r.shape, r.strides, r.offset, r.is_view), (vec![3, 2], vec![4, -2], 3, true));
/// assert_eq!(r.offsets, [3, 1, 7, 5, 11, 9]);
/// ```
pub fn explore(shape: &[usize], expr: &str) -> Result<Report, String> {
    let x = base(shape)?;
    let t = evaluate(&x, expr)?;
    let is_view = t.shares_storage(&x);
    let offsets: Vec<usize> = OffsetIter::new(t.layout()).collect();
    Ok(Report {
        shape: t.shape().to_vec(),
        strides: t.strides().to_vec(),
        offset: t.layout().offset(),
        is_view,
        storage: t.storage().to_vec(),
        offsets,
        explain: t.explain(),
    })
}

fn apply(t: &Tensor<f32>, op: &Op) -> Result<Tensor<f32>, String> {
    let out = match op {
        Op::Index(items) => t.slice(&slice_args(items, t.ndim())?),
        Op::T => Ok(t.transpose()),
        Op::Permute(axes) => t.permute(axes),
        Op::Reshape(dims) => t.reshape(dims),
        Op::SwapAxes(a, b) => t.swap_axes(*a, *b),
        Op::ExpandDims(axis) => t.expand_dims(*axis),
        Op::Squeeze(axis) => t.squeeze(*axis),
        Op::BroadcastTo(dims) => {
            let dims: Vec<usize> = dims
                .iter()
                .map(|&d| usize::try_from(d).map_err(|_| format!("broadcast_to: negative dimension {d}")))
                .collect::<Result<_, _>>()?;
            let n = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
            if n.is_none_or(|n| n > MAX_RESULT) {
                return Err(format!("broadcast_to {dims:?}: more than {MAX_RESULT} elements to draw"));
            }
            t.broadcast_to(&dims)
        }
        Op::Ravel => Ok(t.flatten()),
        Op::Copy => Tensor::from_vec(t.to_vec(), t.shape()),
    };
    out.map_err(|e| e.to_string())
}

/// `x[items]` as Tessera's slice arguments: `...` becomes as many full slices as the axes the
/// other entries leave.
fn slice_args(items: &[Item], ndim: usize) -> Result<Vec<SliceArg>, String> {
    let ellipses = items.iter().filter(|i| **i == Item::Ellipsis).count();
    if ellipses > 1 {
        return Err("an index can only have a single ellipsis ('...')".into());
    }
    let used = items.iter().filter(|i| matches!(i, Item::Int(_) | Item::Slice(..))).count();
    let mut args = Vec::new();
    for item in items {
        match *item {
            Item::Int(i) => args.push(SliceArg::Index(i)),
            Item::Slice(start, stop, step) => {
                if step == Some(0) {
                    return Err("slice step cannot be zero".into());
                }
                args.push(SliceArg::Range { start, stop, step: step.unwrap_or(1) });
            }
            Item::NewAxis => args.push(SliceArg::NewAxis),
            Item::Ellipsis => {
                let full = SliceArg::Range { start: None, stop: None, step: 1 };
                args.extend(std::iter::repeat_n(full, ndim.saturating_sub(used)));
            }
        }
    }
    Ok(args)
}

/// The JSON the page reads: the report, or `{"error": ...}`.
pub fn explore_json(shape: &[usize], expr: &str) -> String {
    match explore(shape, expr) {
        Ok(r) => r.to_json().to_string(),
        Err(e) => json!({ "error": e }).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::explore;

    #[test]
    fn views_match_numpy() {
        // numpy: np.arange(60).reshape(4, 15)[:, 7:-7:2] -> shape (4, 1), strides (15, 2) in elements.
        let r = explore(&[4, 15], "x[:, 7:-7:2]").unwrap();
        assert_eq!((r.shape, r.strides, r.offset, r.is_view), (vec![4, 1], vec![15, 2], 7, true));
        let r = explore(&[3, 4], "x.T").unwrap();
        assert_eq!((r.shape.clone(), r.strides.clone()), (vec![4, 3], vec![1, 4]));
        assert_eq!(&r.offsets[..4], &[0, 4, 8, 1]);
        let r = explore(&[4], "np.broadcast_to(x, (3, 4))").unwrap();
        assert_eq!((r.strides, r.is_view), (vec![0, 1], true));
        let r = explore(&[3, 4], "x[None, ..., ::-1]").unwrap();
        assert_eq!((r.shape, r.strides, r.offset), (vec![1, 3, 4], vec![0, 4, -1], 3));
        let r = explore(&[12], "x.reshape(4, 3).T[::-2]").unwrap();
        assert_eq!((r.shape, r.strides, r.offset), (vec![2, 4], vec![-2, 3], 2));
    }

    #[test]
    fn copies_are_reported_as_copies() {
        let r = explore(&[3, 4], "x.T.reshape(12)").unwrap();
        assert!(!r.is_view);
        assert_eq!(r.offsets, (0..12).collect::<Vec<_>>());
        assert_eq!(&r.storage[..4], &[0.0, 4.0, 8.0, 1.0]);
        assert!(explore(&[3, 4], "x.reshape(2, 6)").unwrap().is_view);
        assert!(!explore(&[3, 4], "x.copy()").unwrap().is_view);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(explore(&[3, 4], "x[5]").unwrap_err().contains("out of"));
        assert!(explore(&[3, 4], "x[::0]").unwrap_err().contains("zero"));
        assert!(explore(&[3, 4], "x[..., ...]").unwrap_err().contains("single ellipsis"));
        assert!(explore(&[3, 4], "x.reshape(5, 5)").is_err());
        assert!(explore(&[3, 4], "np.broadcast_to(x, (100000, 100000))").unwrap_err().contains("4096"));
        assert!(explore(&[3, 4], "np.broadcast_to(x, (2, -4))").is_err());
        assert!(explore(&[100, 100], "x").unwrap_err().contains("1024"));
        assert!(explore(&[usize::MAX, 2], "x").is_err());
        assert!(explore(&[3, 4], "x[1, 2, 3]").is_err());
    }
}
