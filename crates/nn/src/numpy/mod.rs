//! NumPy interop: `.npy` files (format versions 1.0 to 3.0) and `.npz` archives (stored or
//! deflated), for `bool`, `uint8`, `int32`, `int64`, `float32` and `float64`, little- or
//! big-endian, C or Fortran order.
//!
//! A Fortran-order file becomes a transposed view of its data (no copy), exactly as NumPy holds
//! it: `np.asfortranarray(a)` saved and read back prints like `a`. Writing always produces a
//! version-1.0 (2.0 if the header needs it), little-endian, C-order file of the logical values.
//!
//! Every size read from a file is checked before anything is allocated: the header's length
//! (at most [`MAX_HEADER`] bytes, as NumPy's own reader limits it), the element count (no
//! overflow), and the data length against what the file really holds.
//!
//! ```
//! use tessera_nn::numpy::{Array, read_npy, write_npy};
//! use tessera_tensor::Tensor;
//! let p = std::env::temp_dir().join(format!("doc-{}.npy", std::process::id()));
//! let x = Tensor::from_vec(vec![1.5f32, -2.0, 3.25, 4.0], &[2, 2]).unwrap();
//! write_npy(&p, &x).unwrap();
//! assert_eq!(read_npy::<f32>(&p).unwrap(), x);
//! assert!(matches!(Array::read(&p).unwrap(), Array::F32(_)));
//! ```

mod element;
mod npz;
mod read;

pub use element::{Array, NpyElement};
pub use npz::{read_npz, write_npz};
pub use read::MAX_HEADER;

use crate::error::{NnError, Result};
use std::path::Path;
use tessera_tensor::Tensor;

/// Reads a `.npy` file whose dtype is `T` (a different dtype is an error naming both; use
/// [`Array::read`] to take whatever the file holds).
pub fn read_npy<T: NpyElement>(path: impl AsRef<Path>) -> Result<Tensor<T>> {
    let path = path.as_ref();
    let a = Array::read(path)?;
    let found = a.dtype();
    T::from_array(a).ok_or_else(|| NnError::Format {
        path: path.to_path_buf(),
        reason: format!("holds {found}, not {}", T::DTYPE),
    })
}

/// Writes `t` as a `.npy` file (little-endian, C order). The file is written beside `path` and
/// renamed into place.
pub fn write_npy<T: NpyElement>(path: impl AsRef<Path>, t: &Tensor<T>) -> Result<()> {
    let path = path.as_ref();
    let mut bytes = Vec::new();
    read::write_array(&mut bytes, t).map_err(|source| NnError::Io { path: path.to_path_buf(), source })?;
    crate::files::write_atomically(path, &bytes)
}
