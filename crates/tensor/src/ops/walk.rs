//! The element-wise executor: one strided walk over (out, a, b), with the fast path picked per
//! run by the inner strides, and rayon above a measured size.
//!
//! ```text
//!  inner strides (out, a, b)   path
//!  (1, 1, 1)                   contiguous run -> SIMD slice kernel (wide) + scalar tail
//!  (1, 1, 0) / (1, 0, 1)       one side broadcast -> the same kernel with a splatted scalar
//!  anything else               general strided loop, one element at a time
//! ```
//!
//! Parallel split: above [`PARALLEL_MIN_ELEMENTS`] the runs (or, for one long run, pieces of it)
//! are divided among the pool's threads. Each output element is computed by exactly one task
//! with the same instructions, so results never depend on the thread count.

use super::arith::Operand;
use crate::layout::strided_iter::Runs;
use crate::runtime::fork::{min_work, run_parts};

/// Below this many output elements the walk stays on one thread: at 2^16 f32 an add is a few
/// times the work of waking a second thread. The MNIST step's element-wise ops are 128×512 = 2^16.
pub const PARALLEL_MIN_ELEMENTS: usize = 1 << 16;

/// The same threshold for a call from outside any rayon pool (`runtime::fork::min_work`): an
/// add of 2^17 f32 takes 21 µs on one thread and 45 µs split from there, of 2^18 110 µs and 68.
pub const PARALLEL_MIN_ELEMENTS_OUTSIDE: usize = 1 << 18;

/// A strided input: its storage, strides (already broadcast to the walk's shape) and offset.
#[derive(Clone, Copy)]
pub(crate) struct Src<'a, T> {
    /// Start of the storage (a raw pointer: an in-place op's input is also its output).
    pub data: *const T,
    pub strides: &'a [isize],
    pub offset: usize,
}

/// The output: raw storage pointer (it may alias an input exactly, for in-place ops), strides
/// and offset. The layout is non-overlapping and inside the storage (Layout invariants 1 and 3).
pub(crate) struct Dst<'a, U> {
    pub ptr: *mut U,
    pub strides: &'a [isize],
    pub offset: usize,
}

#[derive(Clone, Copy)]
struct SendPtr<U>(*mut U);
// SAFETY: tasks write disjoint output elements (non-overlapping layout, disjoint run ranges).
unsafe impl<U> Send for SendPtr<U> {}
// SAFETY: as above; the pointer itself is only copied between tasks.
unsafe impl<U> Sync for SendPtr<U> {}

/// Walks `shape`, computing `out = f(a, b)` element-wise.
///
/// `run(a, b, out, n)` handles a contiguous output run whose inputs are contiguous or broadcast;
/// `one(a, b)` computes a single element for the strided path.
///
/// # Safety
/// `dst` describes a non-overlapping layout of `shape` whose every offset is a valid, writable
/// element of the buffer at `dst.ptr`, reached by no other thread; `a` and `b` describe valid
/// layouts of `shape` over their data. An input may share the output's storage only with the
/// identical layout (in-place ops).
pub(crate) unsafe fn zip<T, U>(
    shape: &[usize],
    dst: Dst<'_, U>,
    a: Src<'_, T>,
    b: Src<'_, T>,
    run: impl Fn(Operand<T>, Operand<T>, *mut U, usize) + Sync,
    one: impl Fn(T, T) -> U + Sync,
) where
    T: Copy + Send + Sync,
    U: Copy + Send + Sync,
{
    let runs = Runs::new(shape, [dst.strides, a.strides, b.strides], [dst.offset, a.offset, b.offset]);
    let n = runs.inner_len();
    let [so, sa, sb] = runs.inner_strides();
    let out = SendPtr(dst.ptr);
    let (ad, bd) = (SendPtr(a.data as *mut T), SendPtr(b.data as *mut T));
    // One piece of work: part [lo, hi) of the run starting at offsets `o`.
    let piece = |[oo, oa, ob]: [usize; 3], lo: usize, hi: usize| {
        let (out, ad, bd) = (out, ad, bd);
        let len = hi - lo;
        let at = |base: usize, s: isize, i: usize| (base as isize + (lo + i) as isize * s) as usize;
        if so == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1) {
            // Offsets come from the checked layouts, so every run element is in bounds.
            let opa = if sa == 1 {
                // SAFETY: oa + lo is a run element of a's checked layout.
                Operand::Run(unsafe { ad.0.add(oa + lo) } as *const T)
            } else {
                // SAFETY: oa is an element of a's checked layout.
                Operand::Scalar(unsafe { *ad.0.add(oa) })
            };
            let opb = if sb == 1 {
                // SAFETY: ob + lo is a run element of b's checked layout.
                Operand::Run(unsafe { bd.0.add(ob + lo) } as *const T)
            } else {
                // SAFETY: ob is an element of b's checked layout.
                Operand::Scalar(unsafe { *bd.0.add(ob) })
            };
            // SAFETY: the output run [oo+lo, oo+hi) is inside the storage and owned by this task.
            run(opa, opb, unsafe { out.0.add(oo + lo) }, len);
        } else {
            for i in 0..len {
                // SAFETY: each offset is reachable through its checked layout; the output element
                // belongs to this task alone.
                unsafe {
                    let v = one(*ad.0.add(at(oa, sa, i)), *bd.0.add(at(ob, sb, i)));
                    *out.0.add(at(oo, so, i)) = v;
                }
            }
        }
    };
    let total = runs.outer_count() * n;
    let threads = rayon::current_num_threads();
    if total < min_work(PARALLEL_MIN_ELEMENTS, PARALLEL_MIN_ELEMENTS_OUTSIDE) || threads == 1 {
        runs.for_each(|o| piece(o, 0, n));
        return;
    }
    let outer = runs.outer_count();
    if outer >= threads * 4 {
        // Many runs: hand out ranges of whole runs.
        let chunks = threads * 4;
        let (runs, piece) = (&runs, &piece);
        run_parts((0..chunks).map(|c| {
            move || runs.for_each_in(outer * c / chunks..outer * (c + 1) / chunks, |o| piece(o, 0, n))
        }));
    } else {
        // Few long runs: split each run into pieces.
        let pieces = (threads * 4).div_ceil(outer);
        let mut starts = Vec::with_capacity(outer);
        runs.for_each(|o| starts.push(o));
        let piece = &piece;
        let each = |o| (0..pieces).map(move |p| move || piece(o, n * p / pieces, n * (p + 1) / pieces));
        run_parts(starts.iter().flat_map(|&o| each(o)));
    }
}

/// The walker's run callback for a one-input op: `run` on a contiguous run of the input, `one`
/// on each output element of a broadcast (stride-0) input. The second operand is ignored.
pub(crate) fn unary_runs<T: Copy>(
    run: impl Fn(*const T, *mut T, usize) + Sync,
    one: impl Fn(T) -> T + Sync,
) -> impl Fn(Operand<T>, Operand<T>, *mut T, usize) + Sync {
    move |a, _, o, n| match a {
        Operand::Run(p) => run(p, o, n),
        Operand::Scalar(v) => (0..n).for_each(|i| {
            // SAFETY: `zip` hands its run callback n writable output elements at o.
            unsafe { o.add(i).write(one(v)) }
        }),
    }
}
