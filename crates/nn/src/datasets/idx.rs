//! The IDX file format (LeCun's MNIST files), raw or gzip-compressed.
//!
//! ```text
//!  offset  bytes  meaning
//!  0       2      0x00 0x00
//!  2       1      element type: 0x08 = u8 (the only one MNIST uses; others are rejected)
//!  3       1      number of dimensions d
//!  4       4·d    each dimension, big-endian u32
//!  4+4d    ...    the data, row-major: exactly Π dims bytes
//! ```
//!
//! The parser checks the magic bytes, the element type, that the header is complete, that the
//! element count does not overflow, and that the data is exactly as long as the header says
//! (truncated and over-long files are both errors naming the file and the byte counts).

use crate::error::{NnError, Result};
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;
use tessera_tensor::Tensor;

/// Parses IDX bytes into a `u8` tensor, reusing the buffer for the data (no copy); `path` only
/// names the source in errors.
///
/// ```
/// use tessera_nn::datasets::idx::parse_idx;
/// let bytes = vec![0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6];
/// let t = parse_idx(bytes.clone(), "demo".as_ref()).unwrap();
/// assert_eq!((t.shape(), t.to_vec()), (&[2usize, 3][..], vec![1, 2, 3, 4, 5, 6]));
/// let e = parse_idx(bytes[..15].to_vec(), "demo".as_ref()).unwrap_err();
/// assert_eq!(e.to_string(), "demo: truncated IDX data: header [2, 3] needs 6 bytes, file has 3");
/// ```
pub fn parse_idx(mut bytes: Vec<u8>, path: &Path) -> Result<Tensor<u8>> {
    let bad = |reason: String| NnError::Format { path: path.to_path_buf(), reason };
    if bytes.len() < 4 {
        return Err(bad(format!("too short for an IDX header: {} bytes", bytes.len())));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err(bad(format!("bad IDX magic {:02x} {:02x} (expected 00 00)", bytes[0], bytes[1])));
    }
    if bytes[2] != 0x08 {
        return Err(bad(format!("IDX element type 0x{:02x} is not u8 (0x08)", bytes[2])));
    }
    let ndim = bytes[3] as usize;
    let header = 4 + 4 * ndim;
    if bytes.len() < header {
        return Err(bad(format!(
            "truncated IDX header: {ndim} dimensions need {header} bytes, file has {}",
            bytes.len()
        )));
    }
    let dims: Vec<usize> = (0..ndim)
        .map(|i| u32::from_be_bytes(bytes[4 + 4 * i..8 + 4 * i].try_into().expect("4 bytes")) as usize)
        .collect();
    let count = dims
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| bad(format!("IDX dimensions {dims:?} overflow")))?;
    let len = bytes.len() - header;
    if len < count {
        return Err(bad(format!("truncated IDX data: header {dims:?} needs {count} bytes, file has {len}")));
    }
    if len > count {
        return Err(bad(format!(
            "IDX data has {} bytes past the {count} that header {dims:?} describes",
            len - count
        )));
    }
    bytes.drain(..header);
    Ok(Tensor::from_vec(bytes, &dims)?)
}

/// Reads an IDX file, decompressing it first when its name ends in `.gz`.
pub fn read_idx(path: &Path) -> Result<Tensor<u8>> {
    let io = |source| NnError::Io { path: path.to_path_buf(), source };
    let raw = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        GzDecoder::new(&raw[..]).read_to_end(&mut out).map_err(|e| NnError::Format {
            path: path.to_path_buf(),
            reason: format!("corrupt gzip stream: {e}"),
        })?;
        out
    } else {
        raw
    };
    parse_idx(bytes, path)
}
