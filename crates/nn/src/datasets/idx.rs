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
//!
//! Files are read as a stream: the header first, then no more than the data it declares (plus one
//! byte, to tell an over-long file), so a gzip bomb is stopped after the bytes its header allows
//! and memory grows with the data actually present, never with what a header claims.

use crate::error::{NnError, Result};
use flate2::read::GzDecoder;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use tessera_tensor::Tensor;

/// The most data bytes [`read_idx`] accepts from one file (1 GiB; MNIST's largest has 47 MB).
pub const MAX_IDX_BYTES: usize = 1 << 30;

/// Checks a complete header (`bytes` holds exactly `4 + 4·d` bytes) and returns the dimensions
/// and the element count.
fn header(bytes: &[u8], path: &Path) -> Result<(Vec<usize>, usize)> {
    let bad = |reason: String| NnError::Format { path: path.to_path_buf(), reason };
    let dims: Vec<usize> =
        bytes[4..].chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    let count = dims
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| bad(format!("IDX dimensions {dims:?} overflow")))?;
    Ok((dims, count))
}

/// Checks the fixed first four bytes and returns the number of dimensions.
fn magic(bytes: &[u8], path: &Path) -> Result<usize> {
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
    Ok(bytes[3] as usize)
}

fn truncated_header(ndim: usize, have: usize, path: &Path) -> NnError {
    NnError::Format {
        path: path.to_path_buf(),
        reason: format!(
            "truncated IDX header: {ndim} dimensions need {} bytes, file has {have}",
            4 + 4 * ndim
        ),
    }
}

fn check_length(dims: &[usize], count: usize, len: usize, path: &Path) -> Result<()> {
    let bad = |reason: String| NnError::Format { path: path.to_path_buf(), reason };
    if len < count {
        return Err(bad(format!("truncated IDX data: header {dims:?} needs {count} bytes, file has {len}")));
    }
    if len > count {
        return Err(bad(format!(
            "IDX data has {} bytes past the {count} that header {dims:?} describes",
            len - count
        )));
    }
    Ok(())
}

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
    let ndim = magic(&bytes, path)?;
    let head = 4 + 4 * ndim;
    if bytes.len() < head {
        return Err(truncated_header(ndim, bytes.len(), path));
    }
    let (dims, count) = header(&bytes[..head], path)?;
    check_length(&dims, count, bytes.len() - head, path)?;
    bytes.drain(..head);
    Ok(Tensor::from_vec(bytes, &dims)?)
}

/// Reads as many bytes as `buf` holds, or fewer at the end of the stream; returns how many.
fn read_full(r: &mut impl Read, buf: &mut [u8], path: &Path) -> Result<usize> {
    crate::files::read_up_to(r, buf).map_err(|e| stream_error(e, path))
}

fn stream_error(e: std::io::Error, path: &Path) -> NnError {
    match e.kind() {
        std::io::ErrorKind::InvalidInput
        | std::io::ErrorKind::InvalidData
        | std::io::ErrorKind::UnexpectedEof => {
            NnError::Format { path: path.to_path_buf(), reason: format!("corrupt gzip stream: {e}") }
        }
        _ => NnError::Io { path: path.to_path_buf(), source: e },
    }
}

/// Reads one IDX file from a stream of its (uncompressed) bytes: the header, then at most the
/// data it declares, refusing a header that declares more than `max_bytes` of data.
pub fn read_idx_stream(mut r: impl Read, path: &Path, max_bytes: usize) -> Result<Tensor<u8>> {
    let mut head = [0u8; 4 + 4 * 255];
    let got = read_full(&mut r, &mut head[..4], path)?;
    let ndim = magic(&head[..got], path)?;
    let want = 4 + 4 * ndim;
    let got = 4 + read_full(&mut r, &mut head[4..want], path)?;
    if got < want {
        return Err(truncated_header(ndim, got, path));
    }
    let (dims, count) = header(&head[..want], path)?;
    if count > max_bytes {
        return Err(NnError::Format {
            path: path.to_path_buf(),
            reason: format!("IDX header {dims:?} declares {count} bytes, more than the {max_bytes} allowed"),
        });
    }
    // Grow with the data that really arrives: a header alone reserves at most 64 MiB.
    let mut data = Vec::with_capacity(count.min(1 << 26));
    r.by_ref().take(count as u64 + 1).read_to_end(&mut data).map_err(|e| stream_error(e, path))?;
    check_length(&dims, count, data.len(), path)?;
    Ok(Tensor::from_vec(data, &dims)?)
}

/// Opens `path` as a stream of IDX bytes, decompressing it when it starts with gzip's magic
/// bytes (whatever its name).
pub fn open_idx(path: &Path) -> Result<Box<dyn Read>> {
    let io = |source| NnError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(NnError::Format { path: path.to_path_buf(), reason: "not a regular file".into() });
    }
    let mut file = BufReader::new(std::fs::File::open(path).map_err(io)?);
    let gzip = file.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip { Box::new(GzDecoder::new(file)) } else { Box::new(file) })
}

/// Reads an IDX file (raw or gzipped) of at most
/// [`MAX_IDX_BYTES`] of data.
pub fn read_idx(path: &Path) -> Result<Tensor<u8>> {
    read_idx_stream(open_idx(path)?, path, MAX_IDX_BYTES)
}
