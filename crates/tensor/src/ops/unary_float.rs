//! The float unary ops by name ([`UnaryFloat`]): what `Tensor::exp`, `relu`, `sigmoid`, ... and
//! `unary_out` apply, with the scalar definition each SIMD path is tested against.

use super::element::{Arith, FloatElement, NumElement};

/// Float unary ops (the ones with SIMD paths are listed in `unary_run`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UnaryFloat {
    /// `-x`
    Neg,
    /// `|x|`
    Abs,
    /// `e^x` (SIMD, see `simd_exp.rs` for its error bound)
    Exp,
    /// natural log
    Ln,
    /// `ln(1 + x)`, accurate near 0
    Log1p,
    /// square root
    Sqrt,
    /// `x²`
    Square,
    /// `1/x`
    Recip,
    /// `max(x, 0)`, NaN kept
    Relu,
    /// `1 / (1 + e^-x)`
    Sigmoid,
    /// hyperbolic tangent
    Tanh,
    /// sine
    Sin,
    /// cosine
    Cos,
    /// -1, 0, 1 (NaN kept)
    Sign,
    /// `min(max(x, lo), hi)`
    Clip(f64, f64),
}

impl UnaryFloat {
    /// The NumPy name.
    pub fn name(self) -> &'static str {
        match self {
            UnaryFloat::Neg => "negative",
            UnaryFloat::Abs => "abs",
            UnaryFloat::Exp => "exp",
            UnaryFloat::Ln => "log",
            UnaryFloat::Log1p => "log1p",
            UnaryFloat::Sqrt => "sqrt",
            UnaryFloat::Square => "square",
            UnaryFloat::Recip => "reciprocal",
            UnaryFloat::Relu => "relu",
            UnaryFloat::Sigmoid => "sigmoid",
            UnaryFloat::Tanh => "tanh",
            UnaryFloat::Sin => "sin",
            UnaryFloat::Cos => "cos",
            UnaryFloat::Sign => "sign",
            UnaryFloat::Clip(..) => "clip",
        }
    }

    /// One element (libm for the transcendental functions; the SIMD formulas for `Exp`,
    /// `Sigmoid` and `Tanh`, so that every path gives the same bits).
    #[inline(always)]
    pub fn scalar<T: FloatElement>(self, x: T) -> T {
        match self {
            UnaryFloat::Neg => -x,
            UnaryFloat::Abs => num_traits::Float::abs(x),
            UnaryFloat::Exp => T::exp_s(x),
            UnaryFloat::Ln => x.ln(),
            UnaryFloat::Log1p => x.ln_1p(),
            UnaryFloat::Sqrt => x.sqrt(),
            UnaryFloat::Square => x * x,
            UnaryFloat::Recip => x.recip(),
            UnaryFloat::Relu => {
                if x > T::zero() || x.is_nan() {
                    x
                } else {
                    T::zero()
                }
            }
            UnaryFloat::Sigmoid => T::one() / (T::one() + T::exp_s(-x)),
            UnaryFloat::Tanh => T::tanh_s(x),
            UnaryFloat::Sin => x.sin(),
            UnaryFloat::Cos => x.cos(),
            UnaryFloat::Sign => NumElement::sign(x),
            UnaryFloat::Clip(lo, hi) => {
                let (lo, hi) = (T::from(lo).unwrap(), T::from(hi).unwrap());
                // NumPy: clip(x) = minimum(maximum(x, lo), hi), NaN propagates.
                T::arith(Arith::Min, T::arith(Arith::Max, x, lo), hi)
            }
        }
    }
}
