//! Printing like NumPy's `repr`: `array([[ 5, 78,  2], ...], dtype=uint8)`.
//!
//! Elements share one width; floats print with at most 8 fractional digits, trailing zeros dropped
//! and the fractions padded with spaces (NumPy's `floatmode='maxprec'`), switching to scientific
//! notation when the magnitudes call for it; above 1000 elements each long axis shows its first and
//! last 3 entries around `...`; rows wrap at 75 characters. `float64` and `int64` omit the dtype.

use crate::dtype::{DType, Element};
use crate::tensor::Tensor;
use std::fmt;

const THRESHOLD: usize = 1000;
const EDGE: usize = 3;
const LINE_WIDTH: usize = 75;

/// How one dtype's elements turn into equal-width strings.
struct ElementFormat {
    sci: bool,
    /// Digits after the point of every mantissa in scientific notation (NumPy pads them with zeros).
    sci_digits: usize,
    int_width: usize,
    frac_width: usize,
    width: usize,
}

fn raw(v: f64, dtype: DType, sci: bool) -> String {
    match dtype {
        DType::Bool => (if v != 0.0 { "True" } else { "False" }).to_string(),
        DType::U8 | DType::I32 | DType::I64 => format!("{}", v as i64),
        DType::F32 | DType::F64 => {
            if v.is_nan() {
                return "nan".into();
            }
            if v.is_infinite() {
                return (if v > 0.0 { "inf" } else { "-inf" }).into();
            }
            if sci {
                let s = format!("{v:.8e}");
                let (mant, exp) = s.split_once('e').expect("`e` formatting has an exponent");
                let mant = mant.trim_end_matches('0');
                let exp: i32 = exp.parse().expect("exponent is an integer");
                format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
            } else {
                let s = format!("{v:.8}");
                s.trim_end_matches('0').to_string()
            }
        }
    }
}

/// Splits a float string at '.', giving (integer part with '.', fraction/exponent part).
fn split_point(s: &str) -> (&str, &str) {
    match s.find('.') {
        Some(i) => (&s[..=i], &s[i + 1..]),
        None => (s, ""),
    }
}

impl ElementFormat {
    fn new(values: &[f64], dtype: DType) -> ElementFormat {
        let is_float = matches!(dtype, DType::F32 | DType::F64);
        let finite: Vec<f64> =
            values.iter().filter(|v| v.is_finite() && **v != 0.0).map(|v| v.abs()).collect();
        let sci = is_float && !finite.is_empty() && {
            let max = finite.iter().cloned().fold(0.0, f64::max);
            let min = finite.iter().cloned().fold(f64::INFINITY, f64::min);
            max >= 1e8 || min < 1e-4 || max / min > 1e3
        };
        let sci_digits = values
            .iter()
            .map(|&v| raw(v, dtype, sci))
            .filter_map(|s| Some(split_point(s.split_once('e')?.0).1.len()))
            .max()
            .unwrap_or(0);
        let mut f = ElementFormat { sci, sci_digits, int_width: 0, frac_width: 0, width: 0 };
        let strs: Vec<String> = values.iter().map(|&v| f.padded(v, dtype)).collect();
        for s in &strs {
            if is_float && s.contains('.') {
                let (i, fr) = split_point(s);
                f.int_width = f.int_width.max(i.len());
                f.frac_width = f.frac_width.max(fr.len());
            }
        }
        for s in &strs {
            f.width =
                f.width.max(if is_float && s.contains('.') { f.int_width + f.frac_width } else { s.len() });
        }
        if dtype == DType::Bool {
            f.width = 5; // NumPy always leaves room for "False"
        }
        f
    }

    /// The element's digits, with scientific mantissas padded to `sci_digits`.
    fn padded(&self, v: f64, dtype: DType) -> String {
        let s = raw(v, dtype, self.sci);
        match s.split_once('e') {
            Some((mant, exp)) if self.sci => {
                let (int, frac) = split_point(mant);
                format!("{int}{frac:0<w$}e{exp}", w = self.sci_digits)
            }
            _ => s,
        }
    }

    fn format(&self, v: f64, dtype: DType) -> String {
        let s = self.padded(v, dtype);
        if matches!(dtype, DType::F32 | DType::F64) && s.contains('.') {
            let (i, fr) = split_point(&s);
            format!("{i:>iw$}{fr:<fw$}", iw = self.int_width, fw = self.frac_width)
        } else {
            format!("{s:>w$}", w = self.width)
        }
    }
}

/// Indices shown along an axis of length `d` (`None` marks the `...`).
fn shown(d: usize, summarize: bool) -> Vec<Option<usize>> {
    if summarize && d > 2 * EDGE {
        let mut v: Vec<Option<usize>> = (0..EDGE).map(Some).collect();
        v.push(None);
        v.extend((d - EDGE..d).map(Some));
        v
    } else {
        (0..d).map(Some).collect()
    }
}

fn collect<T: Element>(t: &Tensor<T>, summarize: bool, prefix: &mut Vec<isize>, out: &mut Vec<f64>) {
    if prefix.len() == t.ndim() {
        out.push(t.get(prefix).expect("index in range").to_f64());
        return;
    }
    for i in shown(t.shape()[prefix.len()], summarize).into_iter().flatten() {
        prefix.push(i as isize);
        collect(t, summarize, prefix, out);
        prefix.pop();
    }
}

fn render<T: Element>(
    t: &Tensor<T>,
    f: &ElementFormat,
    summarize: bool,
    prefix: &mut Vec<isize>,
    indent: usize,
) -> String {
    let axis = prefix.len();
    let d = t.shape()[axis];
    let last = axis + 1 == t.ndim();
    let mut s = String::from("[");
    if last {
        let mut line_len = indent + 1;
        for (n, i) in shown(d, summarize).into_iter().enumerate() {
            let word = match i {
                Some(i) => {
                    prefix.push(i as isize);
                    let v = t.get(prefix).expect("index in range").to_f64();
                    prefix.pop();
                    f.format(v, T::DTYPE)
                }
                None => "...".to_string(),
            };
            if n > 0 {
                s.push(',');
                line_len += 1;
                if line_len + 1 + word.len() + 1 > LINE_WIDTH {
                    s.push('\n');
                    s.push_str(&" ".repeat(indent + 1));
                    line_len = indent + 1;
                } else {
                    s.push(' ');
                    line_len += 1;
                }
            }
            line_len += word.len();
            s.push_str(&word);
        }
    } else {
        let blank_lines = t.ndim() - axis - 1;
        for (n, i) in shown(d, summarize).into_iter().enumerate() {
            if n > 0 {
                s.push(',');
                s.push_str(&"\n".repeat(blank_lines));
                s.push_str(&" ".repeat(indent + 1));
            }
            match i {
                Some(i) => {
                    prefix.push(i as isize);
                    s.push_str(&render(t, f, summarize, prefix, indent + 1));
                    prefix.pop();
                }
                None => s.push_str("..."),
            }
        }
    }
    s.push(']');
    s
}

impl<T: Element> fmt::Display for Tensor<T> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summarize = self.size() > THRESHOLD;
        let mut values = Vec::new();
        collect(self, summarize, &mut Vec::new(), &mut values);
        let f = ElementFormat::new(&values, T::DTYPE);
        let body = if self.ndim() == 0 {
            f.format(values[0], T::DTYPE).trim().to_string()
        } else if self.size() == 0 {
            "[]".to_string()
        } else {
            render(self, &f, summarize, &mut Vec::new(), "array(".len())
        };
        write!(out, "array({body}")?;
        if self.size() == 0 && self.ndim() != 1 {
            write!(out, ", shape={}", self.shape_tuple())?;
        }
        let implicit = matches!(T::DTYPE, DType::F64 | DType::I64 | DType::Bool) && self.size() > 0;
        if !implicit {
            write!(out, ", dtype={}", T::DTYPE.name())?;
        }
        write!(out, ")")
    }
}

/// A shape printed as a Python tuple, as NumPy's `x.shape` prints: `(60000, 28, 28)`, `(5,)`, `()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShapeTuple<'a>(pub &'a [usize]);

impl fmt::Display for ShapeTuple<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [d] => write!(out, "({d},)"),
            dims => {
                write!(out, "(")?;
                for (i, d) in dims.iter().enumerate() {
                    if i > 0 {
                        write!(out, ", ")?;
                    }
                    write!(out, "{d}")?;
                }
                write!(out, ")")
            }
        }
    }
}

impl<T: Element> Tensor<T> {
    /// The shape as NumPy prints `x.shape`: `(60000, 28, 28)`; `(5,)` for one axis, `()` for none.
    pub fn shape_tuple(&self) -> ShapeTuple<'_> {
        ShapeTuple(self.shape())
    }
}

impl<T: Element> fmt::Debug for Tensor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use crate::tensor::Tensor;

    // Expected strings are NumPy 2.x's repr of the same arrays.
    #[test]
    fn integers_align_right() {
        let t = Tensor::from_vec(vec![5u8, 78, 2, 34, 0, 6, 79, 3], &[2, 4]).unwrap();
        assert_eq!(t.to_string(), "array([[ 5, 78,  2, 34],\n       [ 0,  6, 79,  3]], dtype=uint8)");
    }

    #[test]
    fn floats_pad_fractions() {
        let t = Tensor::from_vec(vec![0.0f64, 0.5, 1.0], &[3]).unwrap();
        assert_eq!(t.to_string(), "array([0. , 0.5, 1. ])");
        let t = Tensor::from_vec(vec![-1.0f32, 10.25], &[2]).unwrap();
        assert_eq!(t.to_string(), "array([-1.  , 10.25], dtype=float32)");
    }

    #[test]
    fn scientific_when_spread() {
        let t = Tensor::from_vec(vec![1e-5f64, 1.0], &[2]).unwrap();
        assert_eq!(t.to_string(), "array([1.e-05, 1.e+00])");
        let t = Tensor::from_vec(vec![6.123234e-17f64, 1.0, -0.5], &[3]).unwrap();
        assert_eq!(t.to_string(), "array([ 6.123234e-17,  1.000000e+00, -5.000000e-01])");
    }

    #[test]
    fn three_d_has_blank_line() {
        let t = Tensor::<i64>::arange(8).reshape(&[2, 2, 2]).unwrap();
        assert_eq!(t.to_string(), "array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]])");
    }

    #[test]
    fn summarised_above_threshold() {
        let t = Tensor::<i64>::arange(2000);
        assert_eq!(t.to_string(), "array([   0,    1,    2, ..., 1997, 1998, 1999])");
    }

    #[test]
    fn shapes_print_as_python_tuples() {
        assert_eq!(Tensor::<u8>::zeros(&[60000, 28, 28]).shape_tuple().to_string(), "(60000, 28, 28)");
        assert_eq!(Tensor::<u8>::zeros(&[5]).shape_tuple().to_string(), "(5,)");
        assert_eq!(Tensor::scalar(1u8).shape_tuple().to_string(), "()");
    }

    #[test]
    fn scalars_bools_and_empties() {
        assert_eq!(Tensor::scalar(5u8).to_string(), "array(5, dtype=uint8)");
        assert_eq!(Tensor::from_vec(vec![true, false], &[2]).unwrap().to_string(), "array([ True, False])");
        assert_eq!(Tensor::<f32>::zeros(&[0]).to_string(), "array([], dtype=float32)");
        assert_eq!(Tensor::<f64>::zeros(&[0, 3]).to_string(), "array([], shape=(0, 3), dtype=float64)");
    }
}
