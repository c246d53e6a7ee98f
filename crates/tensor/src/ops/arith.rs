//! The vocabulary of the element-wise kernels: which binary op ([`Arith`]), the two kinds of
//! operand a run reads ([`Operand`]), and how it writes its output ([`Store`]).

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
    /// an existing buffer (`out=`, in place, or a recycled result buffer) that would otherwise
    /// be read from memory first.
    StreamLong,
}
