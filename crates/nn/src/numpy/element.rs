//! The element types NumPy files carry, and [`Array`]: a tensor of whichever one a file holds.

use super::read;
use crate::error::{NnError, Result};
use std::path::Path;
use tessera_tensor::{DType, Element, Tensor};

/// A Tessera element type that `.npy` files can hold.
pub trait NpyElement: Element + npyz::Deserialize + npyz::AutoSerialize {
    /// Wraps a tensor of this type.
    fn into_array(t: Tensor<Self>) -> Array;
    /// Unwraps an [`Array`] of this type.
    fn from_array(a: Array) -> Option<Tensor<Self>>;
}

/// A tensor of any dtype NumPy files carry.
#[derive(Debug, Clone, PartialEq)]
pub enum Array {
    /// `bool`
    Bool(Tensor<bool>),
    /// `uint8`
    U8(Tensor<u8>),
    /// `int32`
    I32(Tensor<i32>),
    /// `int64`
    I64(Tensor<i64>),
    /// `float32`
    F32(Tensor<f32>),
    /// `float64`
    F64(Tensor<f64>),
}

macro_rules! each {
    ($a:expr, $t:ident => $body:expr) => {
        match $a {
            Array::Bool($t) => $body,
            Array::U8($t) => $body,
            Array::I32($t) => $body,
            Array::I64($t) => $body,
            Array::F32($t) => $body,
            Array::F64($t) => $body,
        }
    };
}

impl Array {
    /// Reads a `.npy` file, whatever its dtype.
    pub fn read(path: impl AsRef<Path>) -> Result<Array> {
        let path = path.as_ref();
        let io = |source| NnError::Io { path: path.to_path_buf(), source };
        let meta = std::fs::metadata(path).map_err(io)?;
        let file = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
        read::read_array(file, Some(meta.len()), path)
    }

    /// Reads the bytes of a `.npy` file already in memory; `name` only names the source in errors.
    pub fn from_bytes(bytes: &[u8], name: &Path) -> Result<Array> {
        read::read_array(bytes, Some(bytes.len() as u64), name)
    }

    /// The dtype.
    pub fn dtype(&self) -> DType {
        each!(self, t => t.dtype())
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        each!(self, t => t.shape())
    }

    /// The values as `float32`, converted as NumPy's `astype("float32")` does.
    pub fn to_f32(&self) -> Tensor<f32> {
        match self {
            Array::Bool(t) => t.astype::<f32>(),
            Array::U8(t) => t.astype::<f32>(),
            Array::I32(t) => t.astype::<f32>(),
            Array::I64(t) => t.astype::<f32>(),
            Array::F32(t) => t.clone(),
            Array::F64(t) => t.astype::<f32>(),
        }
    }

    /// Appends the `.npy` bytes of this array to `out`.
    pub(crate) fn write_to(&self, out: &mut Vec<u8>) -> std::io::Result<()> {
        each!(self, t => read::write_array(out, t))
    }
}

macro_rules! npy_element {
    ($($t:ty => $v:ident),*) => {$(
        impl NpyElement for $t {
            fn into_array(t: Tensor<$t>) -> Array {
                Array::$v(t)
            }
            fn from_array(a: Array) -> Option<Tensor<$t>> {
                match a {
                    Array::$v(t) => Some(t),
                    _ => None,
                }
            }
        }
        impl From<Tensor<$t>> for Array {
            fn from(t: Tensor<$t>) -> Array {
                Array::$v(t)
            }
        }
    )*};
}

npy_element!(bool => Bool, u8 => U8, i32 => I32, i64 => I64, f32 => F32, f64 => F64);
