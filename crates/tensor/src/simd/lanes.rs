//! What the element-wise kernels need of a vector type on top of [`Vector`]: the rest of the
//! arithmetic, NumPy's NaN-propagating `maximum`/`minimum`, bit tricks for `abs` and signs, a
//! streaming store, and ([`ExpLanes`]) the two steps of `exp` that are not arithmetic.
//! The kernels are written once against [`Lanes`] (`ops/lanes.rs`, `ops/simd_exp.rs`,
//! `ops/simd_tanh.rs`); `lanes_x86.rs` and `lanes_neon.rs` implement it.

use super::vector::Vector;

/// One SIMD vector of `T` for the element-wise kernels. Every method is lane-wise and rounds as
/// the scalar operation does (IEEE add, sub, mul, div, sqrt; `mul_add` fused).
///
/// # Safety
/// As [`Vector`]: callers run inside a `#[target_feature]` function of this vector's ISA;
/// `store_stream` writes exactly `LANES` values.
pub(crate) unsafe trait Lanes<T: Copy>: Vector<T> {
    /// `self + b`.
    ///
    /// # Safety
    /// The CPU has this ISA (as for every method here).
    unsafe fn add(self, b: Self) -> Self;
    /// `self - b`.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn sub(self, b: Self) -> Self;
    /// `self / b`.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn div(self, b: Self) -> Self;
    /// `np.maximum`: `self` where `self > b` or `self` is NaN, else `b`.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn max_nan(self, b: Self) -> Self;
    /// `np.minimum`: `self` where `self < b` or `self` is NaN, else `b`.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn min_nan(self, b: Self) -> Self;
    /// Square root (IEEE, correctly rounded).
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn sqrt(self) -> Self;
    /// `|self|`: the sign bit cleared (so NaN stays NaN, -0 becomes +0).
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn abs(self) -> Self;
    /// `-self`: the sign bit flipped.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn neg(self) -> Self;
    /// `self` with the sign bit of `sign` or-ed in (for a non-negative `self`: `copysign`).
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn or_sign_of(self, sign: Self) -> Self;
    /// `then` where `self < b`, else `otherwise` (false for NaN).
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn select_lt(self, b: Self, then: Self, otherwise: Self) -> Self;
    /// `self` where `self` is NaN, else `y`.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn nan_or(self, y: Self) -> Self;
    /// The lanes to `p` past the caches (a non-temporal store where the ISA has one).
    ///
    /// # Safety
    /// The CPU has this ISA; `p` is writable for `LANES` values and aligned to the vector's size.
    unsafe fn store_stream(self, p: *mut T);
}

/// The two steps of the f32 `exp` (`ops/simd_exp.rs`) that are not arithmetic. f64 `exp` runs
/// the platform's per lane, so only f32 vectors implement this.
///
/// # Safety
/// As [`Lanes`].
pub(crate) unsafe trait ExpLanes: Lanes<f32> {
    /// To the nearest integer, ties to even (for `|self| < 2^22` as `exp` uses it).
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn round(self) -> Self;
    /// `self · 2^h · 2^(n - h)` with `h = n >> 1` (arithmetic shift), `n` an integer-valued
    /// float with each power inside the normal range: `exp`'s last step, scaled in two halves so
    /// that subnormal results stay exact.
    ///
    /// # Safety
    /// As [`Lanes::add`].
    unsafe fn scale_pow2(self, n: Self) -> Self;
}

/// A vector type's [`Lanes`] from a table of its intrinsics (`lanes_x86.rs`, `lanes_neon.rs`).
/// `gt`, `lt` and `unord` compare into the ISA's mask (a mask register on AVX-512, all-ones
/// lanes elsewhere), `either` ors two masks, `blend(mask, then, otherwise)` selects; `abs`,
/// `neg` and `or_sign` act on the sign bit; `stream` is the ISA's non-temporal store, or its
/// plain store where it has none.
macro_rules! lanes_table {
    (vector: $v:ty, element: $t:ty, add: $add:expr, sub: $sub:expr, div: $div:expr, sqrt: $sqrt:expr,
     gt: $gt:expr, lt: $lt:expr, unord: $unord:expr, either: $either:expr, blend: $blend:expr,
     abs: $abs:expr, neg: $neg:expr, or_sign: $or_sign:expr, stream: $stream:expr) => {
        // SAFETY: every method is lane-wise on this vector type; `store_stream` writes exactly
        // its lanes, with the alignment the caller guarantees.
        unsafe impl Lanes<$t> for $v {
            #[inline(always)]
            unsafe fn add(self, b: Self) -> Self {
                // SAFETY: the caller runs on a CPU with this ISA (so for every method).
                unsafe { ($add)(self, b) }
            }
            #[inline(always)]
            unsafe fn sub(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($sub)(self, b) }
            }
            #[inline(always)]
            unsafe fn div(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($div)(self, b) }
            }
            #[inline(always)]
            unsafe fn max_nan(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($blend)(($either)(($gt)(self, b), ($unord)(self, self)), self, b) }
            }
            #[inline(always)]
            unsafe fn min_nan(self, b: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($blend)(($either)(($lt)(self, b), ($unord)(self, self)), self, b) }
            }
            #[inline(always)]
            unsafe fn sqrt(self) -> Self {
                // SAFETY: as above.
                unsafe { ($sqrt)(self) }
            }
            #[inline(always)]
            unsafe fn abs(self) -> Self {
                // SAFETY: as above.
                unsafe { ($abs)(self) }
            }
            #[inline(always)]
            unsafe fn neg(self) -> Self {
                // SAFETY: as above.
                unsafe { ($neg)(self) }
            }
            #[inline(always)]
            unsafe fn or_sign_of(self, sign: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($or_sign)(self, sign) }
            }
            #[inline(always)]
            unsafe fn select_lt(self, b: Self, then: Self, otherwise: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($blend)(($lt)(self, b), then, otherwise) }
            }
            #[inline(always)]
            unsafe fn nan_or(self, y: Self) -> Self {
                // SAFETY: as above.
                unsafe { ($blend)(($unord)(self, self), self, y) }
            }
            #[inline(always)]
            unsafe fn store_stream(self, p: *mut $t) {
                // SAFETY: as above, and p is writable and aligned (caller).
                unsafe { ($stream)(p, self) }
            }
        }
    };
}
pub(crate) use lanes_table;
