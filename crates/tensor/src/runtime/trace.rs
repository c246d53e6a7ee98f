//! A timeline of what each thread of the pool runs: named spans (a GEMM and its packing, a
//! wait for the other threads, the phases of a training step) with their start and end, kept
//! while tracing is on. `tessera mnist --trace FILE` turns it on for `fit` and writes the spans
//! in Chrome's trace-event format, for Perfetto or `chrome://tracing`.
//!
//! ```
//! use tessera_tensor::runtime::trace;
//! use tessera_tensor::Tensor;
//!
//! trace::start(1 << 16);
//! let a = Tensor::<f32>::ones(&[300, 300]);
//! let c = a.matmul(&a).unwrap();
//! let timeline = trace::finish();
//! assert_eq!(c.shape(), &[300, 300]);
//! // Each thread's part of the product is a span, with its shape (m, k, n).
//! let parts: Vec<_> = timeline.spans.iter().filter(|s| s.name == "gemm").collect();
//! assert!(!parts.is_empty() && parts.iter().all(|s| s.detail[1] == 300 && s.end_ns >= s.start_ns));
//! ```
//!
//! Off, a span costs one relaxed atomic load. On, each span takes a lock to be recorded, so
//! spans mark units of work of a few microseconds or more (a GEMM's thread part, a packing
//! block), never an inner loop. One timeline at a time: `start` clears the last one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// One span: a named piece of work on one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// What ran: `gemm`, `pack A`, `wait`, `forward`, ...
    pub name: &'static str,
    /// The rayon pool's index of the thread that ran it, `None` outside any pool.
    pub thread: Option<usize>,
    /// Nanoseconds from [`start`] to the span's start.
    pub start_ns: u64,
    /// Nanoseconds from [`start`] to the span's end.
    pub end_ns: u64,
    /// The shape it worked on where it has one (a GEMM's m, k, n; a step's index), else zeros.
    pub detail: [usize; 3],
}

/// The spans recorded between [`start`] and [`finish`].
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Every span recorded, by start time.
    pub spans: Vec<Span>,
    /// Spans not kept because the timeline was full.
    pub dropped: usize,
}

struct Recorder {
    origin: Option<Instant>,
    spans: Vec<Span>,
    capacity: usize,
    dropped: usize,
}

static ON: AtomicBool = AtomicBool::new(false);
static RECORDER: Mutex<Recorder> =
    Mutex::new(Recorder { origin: None, spans: Vec::new(), capacity: 0, dropped: 0 });

fn recorder() -> MutexGuard<'static, Recorder> {
    // A panic while holding the lock leaves plain data behind: keep using it.
    RECORDER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Starts a new timeline that keeps at most `capacity` spans (later ones are counted in
/// [`Timeline::dropped`]); its memory grows with the spans actually recorded.
pub fn start(capacity: usize) {
    let mut r = recorder();
    r.origin = Some(Instant::now());
    r.spans = Vec::new();
    r.capacity = capacity;
    r.dropped = 0;
    ON.store(true, Ordering::Release);
}

/// Stops recording and returns the timeline (empty if [`start`] was not called).
pub fn finish() -> Timeline {
    ON.store(false, Ordering::Release);
    let mut r = recorder();
    let mut spans = std::mem::take(&mut r.spans);
    spans.sort_by_key(|s| (s.start_ns, s.thread));
    Timeline { spans, dropped: std::mem::take(&mut r.dropped) }
}

/// Whether a timeline is being recorded.
#[inline]
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Records a span named `name` from now until the returned guard drops.
#[inline]
#[must_use = "the span ends when the guard drops"]
pub fn span(name: &'static str) -> SpanGuard {
    span_with(name, [0; 3])
}

/// [`span`] with a shape (a GEMM's m, k, n; a step's index).
#[inline]
#[must_use = "the span ends when the guard drops"]
pub fn span_with(name: &'static str, detail: [usize; 3]) -> SpanGuard {
    SpanGuard(is_on().then(|| (name, Instant::now(), detail)))
}

/// Ends its span when dropped.
#[derive(Debug)]
pub struct SpanGuard(Option<(&'static str, Instant, [usize; 3])>);

impl Drop for SpanGuard {
    fn drop(&mut self) {
        if let Some((name, began, detail)) = self.0.take() {
            record(name, detail, began, Instant::now());
        }
    }
}

/// Records a span that ran from `began` to `ended` on this thread, for code that times its
/// work itself (a training step's phases); nothing if no timeline is on or it began before
/// the timeline started.
pub fn record(name: &'static str, detail: [usize; 3], began: Instant, ended: Instant) {
    if !is_on() {
        return;
    }
    let thread = rayon::current_thread_index();
    let mut r = recorder();
    // Recording stopped, or restarted after this span began: it belongs to no timeline.
    let Some(origin) = r.origin.filter(|&o| o <= began && is_on()) else { return };
    if r.spans.len() >= r.capacity {
        r.dropped += 1;
        return;
    }
    let ns = |t: Instant| u64::try_from(t.duration_since(origin).as_nanos()).unwrap_or(u64::MAX);
    let span = Span { name, thread, start_ns: ns(began), end_ns: ns(ended), detail };
    r.spans.push(span);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The timeline is global: tests that start one take turns.
    static TURN: Mutex<()> = Mutex::new(());

    fn named<'a>(t: &'a Timeline, name: &str) -> Vec<&'a Span> {
        t.spans.iter().filter(|s| s.name == name).collect()
    }

    #[test]
    fn records_spans_of_each_thread_with_their_times() {
        let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        start(1000);
        pool.install(|| {
            let _outer = span_with("trace test outer", [1, 2, 3]);
            crate::runtime::fork::run_parts((0..2).map(|_| {
                || {
                    let _inner = span("trace test inner");
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
            }));
        });
        let t = finish();
        let outer = named(&t, "trace test outer");
        let inner = named(&t, "trace test inner");
        assert_eq!((outer.len(), inner.len()), (1, 2), "{t:?}");
        assert_eq!(outer[0].detail, [1, 2, 3]);
        for s in &inner {
            assert!(s.thread.is_some_and(|i| i < 2), "{s:?}");
            assert!(s.end_ns - s.start_ns >= 2_000_000, "{s:?}");
            assert!(
                outer[0].start_ns <= s.start_ns && s.end_ns <= outer[0].end_ns,
                "{s:?} in {:?}",
                outer[0]
            );
        }
        assert!(t.spans.windows(2).all(|w| w[0].start_ns <= w[1].start_ns));
    }

    #[test]
    fn nothing_is_recorded_before_start_or_after_finish() {
        let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        drop(span("trace test before"));
        start(1000);
        let open = span("trace test open at finish");
        let t = finish();
        drop(open);
        drop(span("trace test after"));
        start(1000);
        let again = finish();
        for name in ["trace test before", "trace test open at finish", "trace test after"] {
            assert!(named(&t, name).is_empty() && named(&again, name).is_empty(), "{name}");
        }
        assert_eq!(finish().spans.len(), 0);
    }

    #[test]
    fn a_full_timeline_counts_what_it_drops() {
        let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        start(3);
        for _ in 0..5 {
            drop(span("trace test full"));
        }
        let t = finish();
        // Other tests' GEMMs may take slots too: at most 3 kept, every other span counted.
        let kept = named(&t, "trace test full").len();
        assert!(t.spans.len() <= 3 && kept + t.dropped >= 5, "{t:?}");
    }
}
