//! Numeric element traits for the element-wise kernels, and the SIMD slice kernels behind them.
//!
//! [`NumElement`] (u8, i32, i64, f32, f64) gives NumPy's arithmetic: integers wrap, `maximum` /
//! `minimum` propagate NaN. Its `arith_run` / `unary_run` hooks process one contiguous run: the
//! default is a plain loop (which LLVM auto-vectorises for integers); f32 and f64 override them
//! with `wide` SIMD vectors plus a scalar tail.

use crate::dtype::Element;
use crate::gemm::GemmScalar;
use wide::{f32x8, f64x4};

/// One side of a binary run: a contiguous slice (inner stride 1) or one broadcast value (stride 0).
#[derive(Debug, Clone, Copy)]
pub enum Operand<T> {
    /// `n` elements at this pointer, unit stride.
    Run(*const T),
    /// The same value for all `n` positions.
    Scalar(T),
}

impl<T: Copy> Operand<T> {
    /// Element `i`.
    ///
    /// # Safety
    /// For `Run`, `i` is below the run length the caller was given.
    #[inline(always)]
    pub unsafe fn at(self, i: usize) -> T {
        match self {
            // SAFETY: i < n (caller's contract).
            Operand::Run(p) => unsafe { *p.add(i) },
            Operand::Scalar(v) => v,
        }
    }
}

/// Binary arithmetic with NumPy semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// `a + b` (integers wrap).
    Add,
    /// `a - b` (integers wrap).
    Sub,
    /// `a * b` (integers wrap).
    Mul,
    /// `a / b` (floats only).
    Div,
    /// `np.maximum`: NaN if either is NaN.
    Max,
    /// `np.minimum`: NaN if either is NaN.
    Min,
}

impl Arith {
    /// The NumPy name, used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Arith::Add => "add",
            Arith::Sub => "sub",
            Arith::Mul => "mul",
            Arith::Div => "div",
            Arith::Max => "maximum",
            Arith::Min => "minimum",
        }
    }
}

/// How a run kernel writes its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// Ordinary stores: the output was just allocated (its pages are being faulted in, and the
    /// kernel's zeroing already brought them into cache) or is read again right away.
    Cached,
    /// Runs longer than [`super::stream::STREAM_MIN_BYTES`] use streaming stores: the output is
    /// an existing buffer (`out=`, in place) that would otherwise be read from memory first.
    StreamLong,
}

/// Element types with arithmetic: `u8`, `i32`, `i64`, `f32`, `f64`.
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

macro_rules! int_element {
    ($($t:ty),*) => {$(
        impl NumElement for $t {
            #[inline(always)]
            fn arith(op: Arith, a: $t, b: $t) -> $t {
                match op {
                    Arith::Add => a.wrapping_add(b),
                    Arith::Sub => a.wrapping_sub(b),
                    Arith::Mul => a.wrapping_mul(b),
                    // Integer true division is refused before any kernel runs (see `Tensor::div`).
                    Arith::Div => if b == 0 { 0 } else { a.wrapping_div(b) },
                    Arith::Max => if a >= b { a } else { b },
                    Arith::Min => if a <= b { a } else { b },
                }
            }
            #[allow(unused_comparisons)] // u8 is never negative; the same code serves i32/i64
            fn abs(self) -> $t { if self < 0 { (0 as $t).wrapping_sub(self) } else { self } }
            fn neg(self) -> $t { (0 as $t).wrapping_sub(self) }
            fn sign(self) -> $t { if self > 0 { 1 } else if self == 0 { 0 } else { (0 as $t).wrapping_sub(1) } }
        }
    )*};
}
int_element!(u8, i32, i64);

/// A `wide` vector type and the lane operations the slice kernels need.
pub(crate) trait Lanes<T: Copy>: Copy {
    const N: usize;
    fn splat(x: T) -> Self;
    /// # Safety
    /// `p` is valid for `N` reads.
    unsafe fn load(p: *const T) -> Self;
    /// # Safety
    /// `p` is valid for `N` writes.
    unsafe fn store(self, p: *mut T);
    /// A streaming store (see [`super::stream`]).
    /// # Safety
    /// `p` is valid for `N` writes and 32-byte aligned.
    unsafe fn store_stream(self, p: *mut T);
    fn arith(op: Arith, a: Self, b: Self) -> Self;
}

macro_rules! float_element {
    ($t:ty, $v:ty, $n:expr) => {
        impl Lanes<$t> for $v {
            const N: usize = $n;
            #[inline(always)]
            fn splat(x: $t) -> Self {
                <$v>::splat(x)
            }
            #[inline(always)]
            unsafe fn load(p: *const $t) -> Self {
                // SAFETY: p is valid for N reads (caller's contract); unaligned read.
                <$v>::from(unsafe { (p as *const [$t; $n]).read_unaligned() })
            }
            #[inline(always)]
            unsafe fn store(self, p: *mut $t) {
                // SAFETY: p is valid for N writes (caller's contract); unaligned write.
                unsafe { (p as *mut [$t; $n]).write_unaligned(self.to_array()) }
            }
            #[inline(always)]
            unsafe fn store_stream(self, p: *mut $t) {
                // SAFETY: p is valid for N writes and aligned (caller's contract).
                unsafe { super::stream::store_stream::<$t, $n>(self.to_array(), p) }
            }
            #[inline(always)]
            fn arith(op: Arith, a: Self, b: Self) -> Self {
                match op {
                    Arith::Add => a + b,
                    Arith::Sub => a - b,
                    Arith::Mul => a * b,
                    Arith::Div => a / b,
                    // Pick a where a > b or a is NaN; else b (which is NaN if b is).
                    Arith::Max => (a.simd_gt(b) | a.is_nan()).select(a, b),
                    Arith::Min => (a.simd_lt(b) | a.is_nan()).select(a, b),
                }
            }
        }

        impl NumElement for $t {
            #[inline(always)]
            fn arith(op: Arith, a: $t, b: $t) -> $t {
                match op {
                    Arith::Add => a + b,
                    Arith::Sub => a - b,
                    Arith::Mul => a * b,
                    Arith::Div => a / b,
                    Arith::Max => {
                        if a > b || a.is_nan() {
                            a
                        } else {
                            b
                        }
                    }
                    Arith::Min => {
                        if a < b || a.is_nan() {
                            a
                        } else {
                            b
                        }
                    }
                }
            }
            fn abs(self) -> $t {
                <$t>::abs(self)
            }
            fn neg(self) -> $t {
                -self
            }
            fn sign(self) -> $t {
                if self > 0.0 {
                    1.0
                } else if self < 0.0 {
                    -1.0
                } else {
                    self
                }
            }

            unsafe fn arith_run(
                op: Arith,
                a: Operand<$t>,
                b: Operand<$t>,
                out: *mut $t,
                n: usize,
                store: Store,
            ) {
                // Monomorphise the loop per (op, operand kinds) so each inner loop is branch-free.
                macro_rules! go {
                    ($f:expr) => {{
                        // SAFETY: forwarded contract of arith_run.
                        unsafe {
                            zip_lanes::<$t, $v>(a, b, out, n, store, $f, |x, y| {
                                <$t as NumElement>::arith(op, x, y)
                            })
                        }
                    }};
                }
                match op {
                    Arith::Add => go!(|x: $v, y: $v| x + y),
                    Arith::Sub => go!(|x: $v, y: $v| x - y),
                    Arith::Mul => go!(|x: $v, y: $v| x * y),
                    Arith::Div => go!(|x: $v, y: $v| x / y),
                    Arith::Max => go!(|x: $v, y: $v| <$v as Lanes<$t>>::arith(Arith::Max, x, y)),
                    Arith::Min => go!(|x: $v, y: $v| <$v as Lanes<$t>>::arith(Arith::Min, x, y)),
                }
            }
        }

        impl FloatElement for $t {
            unsafe fn unary_run(op: UnaryFloat, x: *const $t, out: *mut $t, n: usize, store: Store) {
                // exp and sigmoid are compute-bound: take the AVX-512 kernel when the CPU has it.
                #[cfg(target_arch = "x86_64")]
                if <$t as SimdExp>::HAS_AVX512_RUN
                    && matches!(op, UnaryFloat::Exp | UnaryFloat::Sigmoid)
                    && std::is_x86_feature_detected!("avx512f")
                {
                    // SAFETY: the feature was just detected; the pointers satisfy unary_run's
                    // contract, which is exp_run's; the cast is the identity (HAS_AVX512_RUN is
                    // only true for f32).
                    unsafe {
                        super::simd_exp::avx512::exp_run(
                            x as *const f32,
                            out as *mut f32,
                            n,
                            op == UnaryFloat::Sigmoid,
                            store,
                        )
                    };
                    return;
                }
                macro_rules! go {
                    ($fv:expr, $fs:expr) => {{
                        // SAFETY: forwarded contract of unary_run.
                        unsafe { map_lanes::<$t, $v>(x, out, n, store, $fv, $fs) }
                    }};
                }
                match op {
                    UnaryFloat::Relu => {
                        go!(|v: $v| (v.simd_gt(<$v>::ZERO) | v.is_nan()).select(v, <$v>::ZERO), |s: $t| if s
                            > 0.0
                            || s.is_nan()
                        {
                            s
                        } else {
                            0.0
                        })
                    }
                    UnaryFloat::Neg => go!(|v: $v| -v, |s: $t| -s),
                    UnaryFloat::Abs => go!(|v: $v| v.abs(), |s: $t| s.abs()),
                    UnaryFloat::Square => go!(|v: $v| v * v, |s: $t| s * s),
                    UnaryFloat::Sqrt => go!(|v: $v| v.sqrt(), |s: $t| s.sqrt()),
                    UnaryFloat::Recip => go!(|v: $v| <$v>::ONE / v, |s: $t| 1.0 / s),
                    UnaryFloat::Exp => {
                        go!(|v: $v| <$t as SimdExp>::exp_v(v), |s: $t| <$t as SimdExp>::exp_s(s))
                    }
                    UnaryFloat::Sigmoid => {
                        go!(|v: $v| <$v>::ONE / (<$v>::ONE + <$t as SimdExp>::exp_v(-v)), |s: $t| 1.0
                            / (1.0 + <$t as SimdExp>::exp_s(-s)))
                    }
                    _ => {
                        for i in 0..n {
                            // SAFETY: i < n; element i is read before it is written.
                            unsafe { *out.add(i) = op.scalar(*x.add(i)) };
                        }
                    }
                }
            }
        }
    };
}

/// `out = f(a, b)` over a run: `N`-lane vectors, then a scalar tail; with [`Store::StreamLong`]
/// a long run streams its output (see [`super::stream`]) after a scalar head that aligns it.
///
/// # Safety
/// As [`NumElement::arith_run`].
#[inline(always)]
unsafe fn zip_lanes<T: Copy, V: Lanes<T>>(
    a: Operand<T>,
    b: Operand<T>,
    out: *mut T,
    n: usize,
    store: Store,
    fv: impl Fn(V, V) -> V,
    fs: impl Fn(T, T) -> T,
) {
    let head = if store == Store::StreamLong { super::stream::stream_head(out, n) } else { None };
    let start = head.unwrap_or(0);
    let body = start + (n - start) / V::N * V::N;
    let load = |o: Operand<T>, i: usize| match o {
        // SAFETY: start <= i and i + N <= body <= n, so N reads are in the run.
        Operand::Run(p) => unsafe { V::load(p.add(i)) },
        Operand::Scalar(s) => V::splat(s),
    };
    let scalar = |j: usize| {
        // SAFETY: j < n.
        unsafe { *out.add(j) = fs(a.at(j), b.at(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    if head.is_some() {
        while i < body {
            // SAFETY: i + N <= n; out + start is 64-byte aligned and i - start is a multiple of
            // N elements (32 bytes), so out + i is 32-byte aligned, as `store_stream` needs.
            unsafe { fv(load(a, i), load(b, i)).store_stream(out.add(i)) };
            i += V::N;
        }
        super::stream::fence();
    } else {
        while i < body {
            // SAFETY: i + N <= n writes are in the run; inputs at i were loaded first.
            unsafe { fv(load(a, i), load(b, i)).store(out.add(i)) };
            i += V::N;
        }
    }
    (body..n).for_each(scalar);
}

/// `out = f(x)` over a run: vectors, then a scalar tail; long runs stream as in [`zip_lanes`].
///
/// # Safety
/// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer.
#[inline(always)]
unsafe fn map_lanes<T: Copy, V: Lanes<T>>(
    x: *const T,
    out: *mut T,
    n: usize,
    store: Store,
    fv: impl Fn(V) -> V,
    fs: impl Fn(T) -> T,
) {
    let head = if store == Store::StreamLong { super::stream::stream_head(out, n) } else { None };
    let start = head.unwrap_or(0);
    let body = start + (n - start) / V::N * V::N;
    let scalar = |j: usize| {
        // SAFETY: j < n; element j is read before it is written.
        unsafe { *out.add(j) = fs(*x.add(j)) };
    };
    (0..start).for_each(scalar);
    let mut i = start;
    if head.is_some() {
        while i < body {
            // SAFETY: i + N <= n; out + i is 32-byte aligned as in `zip_lanes`.
            unsafe { fv(V::load(x.add(i))).store_stream(out.add(i)) };
            i += V::N;
        }
        super::stream::fence();
    } else {
        while i < body {
            // SAFETY: i + N <= n.
            unsafe { fv(V::load(x.add(i))).store(out.add(i)) };
            i += V::N;
        }
    }
    (body..n).for_each(scalar);
}

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

    /// One element (libm for the transcendental functions; the SIMD exp for `Exp`).
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
            UnaryFloat::Tanh => x.tanh(),
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

/// `f32` and `f64`: float math with SIMD runs.
pub trait FloatElement: NumElement + GemmScalar + SimdExp {
    /// `out[i] = op(x[i])` for `i < n`, written as `store` says.
    ///
    /// # Safety
    /// `x` valid for `n` reads, `out` for `n` writes; they may be the same pointer.
    unsafe fn unary_run(op: UnaryFloat, x: *const Self, out: *mut Self, n: usize, store: Store);
}

pub use super::simd_exp::SimdExp;

float_element!(f32, f32x8, 8);
float_element!(f64, f64x4, 4);
