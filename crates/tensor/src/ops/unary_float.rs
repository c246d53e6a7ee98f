//! The float unary ops by name ([`UnaryFloat`]): what `Tensor::exp`, `relu`, `sigmoid`, ... and
//! `unary_out` apply. The scalar definition each SIMD path is tested against is
//! [`UnaryFloat::scalar`], next to the element traits it needs (`element.rs`).

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
}
