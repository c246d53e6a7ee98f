//! The `.npy` layout, read with every size bounded first:
//!
//! ```text
//!  \x93NUMPY  major minor  header length (u16 LE in 1.0; u32 LE in 2.0 and 3.0)
//!  header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//!  data: Π shape elements, in C or Fortran order
//! ```

use super::element::{Array, NpyElement};
use crate::error::{NnError, Result};
use npyz::{DType, NpyFile, NpyHeader, Order, WriterBuilder};
use std::io::Read;
use std::path::Path;
use tessera_tensor::Tensor;

/// The longest header accepted (NumPy's reader refuses longer ones by default too).
pub const MAX_HEADER: usize = 10_000;

const MAGIC: &[u8; 6] = b"\x93NUMPY";

fn bad(path: &Path, reason: impl Into<String>) -> NnError {
    NnError::Format { path: path.to_path_buf(), reason: reason.into() }
}

/// Reads into `buf` until it is full or the stream ends; returns how many bytes came.
fn read_up_to(r: &mut impl Read, buf: &mut [u8], path: &Path) -> Result<usize> {
    crate::files::read_up_to(r, buf).map_err(|source| NnError::Io { path: path.to_path_buf(), source })
}

/// The shape in a header's text, with its element count checked for overflow before the
/// header reaches a parser that would multiply it unchecked. `None` if no shape tuple is found
/// (the full parse then reports what is wrong).
fn checked_shape(text: &str, path: &Path) -> Result<()> {
    let Some(at) = text.find("'shape'") else { return Ok(()) };
    let rest = &text[at..];
    let (Some(open), Some(close)) = (rest.find('('), rest.find(')')) else { return Ok(()) };
    if close < open {
        return Ok(());
    }
    let mut count: u64 = 1;
    for part in
        rest[open + 1..close].split(',').map(|p| p.trim().trim_end_matches('L')).filter(|p| !p.is_empty())
    {
        let d: u64 = part.parse().map_err(|_| bad(path, format!("shape entry {part:?} is not a length")))?;
        count = count
            .checked_mul(d)
            .ok_or_else(|| bad(path, format!("shape {} overflows", &rest[open..=close])))?;
    }
    Ok(())
}

/// A plain array's header nests at most a tuple in a dict; deeper nesting (structured dtypes,
/// or a hostile header) is refused before the literal parser, whose time grows steeply with it.
fn checked_nesting(text: &str, path: &Path) -> Result<()> {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 3 {
            return Err(bad(path, "bad .npy header: nested deeper than a plain array's"));
        }
    }
    Ok(())
}

/// Tessera's dtype for a NumPy type string (`<f4`, `>i8`, `|b1`, ...), if it has one.
fn dtype_name(descr: &DType) -> Option<(&'static str, usize)> {
    let DType::Plain(ts) = descr else { return None };
    let s = ts.to_string();
    let kind = &s[1..];
    [
        ("b1", "bool", 1),
        ("u1", "uint8", 1),
        ("i4", "int32", 4),
        ("i8", "int64", 8),
        ("f4", "float32", 4),
        ("f8", "float64", 8),
    ]
    .into_iter()
    .find(|(k, _, _)| *k == kind)
    .map(|(_, n, size)| (n, size))
}

/// Reads one `.npy` stream; `available` is how many bytes the stream holds, when known.
pub(crate) fn read_array(mut r: impl Read, available: Option<u64>, path: &Path) -> Result<Array> {
    let mut pre = [0u8; 12];
    let got = read_up_to(&mut r, &mut pre[..10], path)?;
    if got < 10 || &pre[..6] != MAGIC {
        return Err(bad(path, "not a .npy file: it does not start with \\x93NUMPY and a version"));
    }
    let (major, minor) = (pre[6], pre[7]);
    let (pre_len, header_len) = match major {
        1 => (10, u16::from_le_bytes([pre[8], pre[9]]) as usize),
        2 | 3 => {
            if read_up_to(&mut r, &mut pre[10..12], path)? < 2 {
                return Err(bad(path, "truncated .npy header length"));
            }
            (12, u32::from_le_bytes([pre[8], pre[9], pre[10], pre[11]]) as usize)
        }
        _ => return Err(bad(path, format!(".npy format version {major}.{minor} is not 1.0, 2.0 or 3.0"))),
    };
    if header_len > MAX_HEADER {
        return Err(bad(
            path,
            format!(".npy header of {header_len} bytes is longer than the {MAX_HEADER} allowed"),
        ));
    }
    let mut head = pre[..pre_len].to_vec();
    head.resize(pre_len + header_len, 0);
    if read_up_to(&mut r, &mut head[pre_len..], path)? < header_len {
        return Err(bad(path, format!("truncated .npy header: it declares {header_len} bytes")));
    }
    let text = std::str::from_utf8(&head[pre_len..]).map_err(|_| bad(path, ".npy header is not text"))?;
    checked_nesting(text, path)?;
    checked_shape(text, path)?;
    let header = NpyHeader::from_reader(&head[..]).map_err(|e| bad(path, format!("bad .npy header: {e}")))?;
    let probe = NpyFile::with_header(header.clone(), std::io::empty());
    let descr = probe.dtype();
    let Some((name, item)) = dtype_name(&descr) else {
        return Err(bad(
            path,
            format!(
                "dtype {} is not one Tessera holds (bool, uint8, int32, int64, float32, float64)",
                descr.descr()
            ),
        ));
    };
    let shape: Vec<usize> = probe.shape().iter().map(|&d| usize::try_from(d).unwrap_or(usize::MAX)).collect();
    let bytes = shape
        .iter()
        .try_fold(item, |a, &d| a.checked_mul(d))
        .filter(|&b| b <= isize::MAX as usize)
        .ok_or_else(|| bad(path, format!("shape {shape:?} of {name} overflows")))?;
    if let Some(have) = available.map(|a| a.saturating_sub(head.len() as u64)).filter(|&h| (bytes as u64) > h)
    {
        return Err(bad(
            path,
            format!("truncated .npy data: shape {shape:?} of {name} needs {bytes} bytes, file has {have}"),
        ));
    }
    let mut data = Vec::with_capacity(bytes.min(1 << 26));
    r.take(bytes as u64 + 1)
        .read_to_end(&mut data)
        .map_err(|source| NnError::Io { path: path.to_path_buf(), source })?;
    if data.len() != bytes {
        let what =
            if data.len() < bytes { "truncated .npy data" } else { "trailing bytes after the .npy data" };
        return Err(bad(path, format!("{what}: shape {shape:?} of {name} needs {bytes} bytes")));
    }
    let fortran = probe.order() == Order::Fortran;
    match name {
        "bool" => build::<bool>(header, &data, &shape, fortran, path),
        "uint8" => build::<u8>(header, &data, &shape, fortran, path),
        "int32" => build::<i32>(header, &data, &shape, fortran, path),
        "int64" => build::<i64>(header, &data, &shape, fortran, path),
        "float32" => build::<f32>(header, &data, &shape, fortran, path),
        _ => build::<f64>(header, &data, &shape, fortran, path),
    }
}

/// Decodes checked data bytes; Fortran order becomes the transposed view of the reversed shape.
fn build<T: NpyElement>(
    header: NpyHeader,
    data: &[u8],
    shape: &[usize],
    fortran: bool,
    path: &Path,
) -> Result<Array> {
    let values: Vec<T> = NpyFile::with_header(header, data)
        .into_vec()
        .map_err(|e| bad(path, format!("bad .npy data: {e}")))?;
    let t = if fortran {
        let reversed: Vec<usize> = shape.iter().rev().copied().collect();
        Tensor::from_vec(values, &reversed)?.transpose()
    } else {
        Tensor::from_vec(values, shape)?
    };
    Ok(T::into_array(t))
}

/// Appends `t` as `.npy` bytes (little-endian, C order, the oldest version that fits).
pub(crate) fn write_array<T: NpyElement>(out: &mut Vec<u8>, t: &Tensor<T>) -> std::io::Result<()> {
    let shape: Vec<u64> = t.shape().iter().map(|&d| d as u64).collect();
    let mut w = npyz::WriteOptions::new().default_dtype().shape(&shape).writer(out).begin_nd()?;
    w.extend(t.iter())?;
    w.finish()
}
