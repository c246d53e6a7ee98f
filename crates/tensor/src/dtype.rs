//! Element types and their NumPy names.
//!
//! A tensor's element type is a Rust type parameter (`Tensor<f32>`); [`DType`] is its runtime name,
//! spelled as NumPy spells it (`"float32"`, `"uint8"`, ...). [`AsType`] is the conversion table behind
//! `astype`, with NumPy's `astype` rules: floats truncate toward zero into integers, integers wrap,
//! anything non-zero is `true`.

use crate::ops::arith::{Arith, Operand, Store};
use crate::ops::simd_math::SimdExp;
use crate::ops::unary_float::UnaryFloat;
use std::fmt;

/// The runtime name of an element type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    /// `bool`, NumPy's `bool`.
    Bool,
    /// `u8`, NumPy's `uint8`.
    U8,
    /// `i32`, NumPy's `int32`.
    I32,
    /// `i64`, NumPy's `int64`.
    I64,
    /// `f32`, NumPy's `float32`.
    F32,
    /// `f64`, NumPy's `float64`.
    F64,
}

impl DType {
    /// The NumPy name.
    ///
    /// ```
    /// assert_eq!(tessera_tensor::DType::U8.name(), "uint8");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "uint8",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// Bytes per element.
    pub fn size_of(self) -> usize {
        match self {
            DType::Bool | DType::U8 => 1,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

mod sealed {
    /// Closes [`super::Element`] to the six types below: kernels and allocators rely on their
    /// layouts (all-zero bytes are `ZERO`, no padding, no invalid bit patterns but bool's).
    pub trait Sealed {}
    impl Sealed for bool {}
    impl Sealed for u8 {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A type a tensor can hold: `bool`, `u8`, `i32`, `i64`, `f32`, `f64` (sealed: no others).
pub trait Element:
    sealed::Sealed + Copy + Default + PartialEq + PartialOrd + fmt::Debug + Send + Sync + 'static
{
    /// The runtime dtype.
    const DTYPE: DType;
    /// The additive identity (`false` for bool).
    const ZERO: Self;
    /// The multiplicative identity (`true` for bool).
    const ONE: Self;
    /// Converts from f64 the way `astype` does (used by `arange` and printing helpers).
    fn from_f64(v: f64) -> Self;
    /// Converts to f64 (exact for all but the largest i64).
    fn to_f64(self) -> f64;
}

macro_rules! impl_element {
    ($t:ty, $d:expr, $z:expr, $o:expr) => {
        impl Element for $t {
            const DTYPE: DType = $d;
            const ZERO: Self = $z;
            const ONE: Self = $o;
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    };
}
impl_element!(u8, DType::U8, 0, 1);
impl_element!(i32, DType::I32, 0, 1);
impl_element!(i64, DType::I64, 0, 1);
impl_element!(f32, DType::F32, 0.0, 1.0);
impl_element!(f64, DType::F64, 0.0, 1.0);

impl Element for bool {
    const DTYPE: DType = DType::Bool;
    const ZERO: Self = false;
    const ONE: Self = true;
    fn from_f64(v: f64) -> Self {
        v != 0.0
    }
    fn to_f64(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
}

/// Element conversion `Self -> U` with NumPy's `astype` rules.
pub trait AsType<U: Element>: Element {
    /// Converts one element.
    fn as_type(self) -> U;
}

macro_rules! impl_as_numeric {
    ($($from:ty),*) => {$(
        impl AsType<u8> for $from { fn as_type(self) -> u8 { self as u8 } }
        impl AsType<i32> for $from { fn as_type(self) -> i32 { self as i32 } }
        impl AsType<i64> for $from { fn as_type(self) -> i64 { self as i64 } }
        impl AsType<f32> for $from { fn as_type(self) -> f32 { self as f32 } }
        impl AsType<f64> for $from { fn as_type(self) -> f64 { self as f64 } }
        impl AsType<bool> for $from {
            #[allow(clippy::float_cmp)]
            fn as_type(self) -> bool { self != (0 as $from) }
        }
        impl AsType<$from> for bool { fn as_type(self) -> $from { self as u8 as $from } }
    )*};
}
impl_as_numeric!(u8, i32, i64, f32, f64);

impl AsType<bool> for bool {
    fn as_type(self) -> bool {
        self
    }
}

/// Element types with arithmetic: `u8`, `i32`, `i64`, `f32`, `f64`. NumPy's rules: integers
/// wrap, `maximum` / `minimum` propagate NaN. The `arith_run` / `unary_run` hooks process one
/// contiguous run: the default is a plain loop (which LLVM auto-vectorises for integers); f32 and
/// f64 override them with SIMD vectors plus a scalar tail (`ops/element_impls.rs`).
pub trait NumElement: Element {
    /// One element of `a op b`.
    fn arith(op: Arith, a: Self, b: Self) -> Self;
    /// `|x|` (wrapping for the minimum integer, as NumPy).
    fn abs(self) -> Self;
    /// `-x` (wrapping for integers, as NumPy does for unsigned types).
    fn neg(self) -> Self;
    /// -1, 0 or 1 (NaN stays NaN).
    fn sign(self) -> Self;

    /// `out[i] = a[i] op b[i]` for `i < n`, written as `store` says (a hint: the integer
    /// default ignores it).
    ///
    /// # Safety
    /// `out` is valid for `n` writes; each `Run` operand for `n` reads. An operand may alias
    /// `out` exactly (same pointer, for in-place ops), never partially.
    unsafe fn arith_run(
        op: Arith,
        a: Operand<Self>,
        b: Operand<Self>,
        out: *mut Self,
        n: usize,
        store: Store,
    ) {
        let _ = store;
        for i in 0..n {
            // SAFETY: i < n; element i is read before it is written.
            unsafe { *out.add(i) = Self::arith(op, a.at(i), b.at(i)) };
        }
    }
}

/// `f32` and `f64`: float math with SIMD runs.
pub trait FloatElement: NumElement + SimdExp + num_traits::Float {
    /// `out[i] = op(x[i])` for `i < n`, written as `store` says.
    ///
    /// # Safety
    /// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer.
    unsafe fn unary_run(op: UnaryFloat, x: *const Self, out: *mut Self, n: usize, store: Store);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_follow_numpy() {
        assert_eq!(AsType::<i32>::as_type(-2.7f32), -2);
        assert_eq!(AsType::<u8>::as_type(300i32), 44);
        assert!(AsType::<bool>::as_type(0.5f64));
        assert_eq!(AsType::<f32>::as_type(true), 1.0);
        assert_eq!(f32::DTYPE.name(), "float32");
    }

    /// `alloc::zeroed` hands out all-zero bytes as `ZERO`: true for every Element type.
    #[test]
    fn zero_is_all_zero_bytes() {
        fn check<T: Element>() {
            let bytes = vec![0u8; std::mem::size_of::<T>()];
            // SAFETY: bytes holds size_of::<T>() zero bytes, a valid T for every sealed type;
            // read_unaligned accepts any alignment.
            let t: T = unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<T>()) };
            assert!(t == T::ZERO, "{:?}", T::DTYPE);
        }
        check::<bool>();
        check::<u8>();
        check::<i32>();
        check::<i64>();
        check::<f32>();
        check::<f64>();
    }
}
