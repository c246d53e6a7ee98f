//! Keeps the rayon pool's other workers polling for work, for a loop of many short parallel
//! calls (a training loop: `tessera-nn`'s `fit` holds one while it runs).
//!
//! A training step alternates short serial stretches (small GEMMs, the loss, bias gradients)
//! with parallel regions (the two large GEMMs, the big element-wise ops, the optimizer update).
//! An idle rayon worker sleeps after a few tens of µs, and waking it costs about as long again
//! (docs/gemm.md, "Two threads on this machine", has the measurements), against well under a µs
//! while it still spins. That is paid at every parallel region. While a [`WarmWorkers`] lives, each other worker instead runs a
//! *poller*: a job that calls `rayon::yield_now()` (run any pending job: steal, or take an
//! injected one) in a loop until the guard is dropped. The work and its split are unchanged, so
//! results stay bit-identical; the price is a core that spins during the serial stretches, as
//! OpenBLAS's threads do after each call (its default).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

/// While alive, the current pool's other workers poll for work instead of sleeping.
///
/// ```
/// use tessera_tensor::{Tensor, runtime::warm::WarmWorkers};
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let a = Tensor::<f32>::ones(&[256, 256]);
/// let total: f32 = pool.install(|| {
///     let _warm = WarmWorkers::start(); // the other worker polls until this is dropped
///     (0..3).map(|_| a.matmul(&a).unwrap().sum_all()).sum()
/// });
/// assert_eq!(total, 3.0 * 256.0 * 256.0 * 256.0);
/// ```
#[derive(Debug)]
pub struct WarmWorkers {
    stop: Arc<AtomicBool>,
}

impl WarmWorkers {
    /// Starts a poller on each other worker of the current rayon pool (none on a 1-thread pool).
    /// Call it from inside the pool (`pool.install`) or from outside it; drop the guard to stop.
    #[must_use = "the workers stop polling when the guard is dropped"]
    pub fn start() -> WarmWorkers {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = rayon::current_num_threads();
        // Called from a worker (inside `pool.install`), that worker runs `fit` itself; called from
        // outside the pool, the caller's own thread takes a core too. Either way one poller fewer
        // than threads, so that pollers and caller never outnumber the pool's cores.
        let me = rayon::current_thread_index();
        let pollers = threads - 1;
        for _ in 0..pollers {
            let stop = Arc::clone(&stop);
            rayon::spawn(move || {
                // `spawn` from a worker queues the job on that worker's own deque; if the `fit`
                // thread itself picks it up (while waiting inside a join), polling there would
                // never return, so that thread declines it.
                if me.is_some() && rayon::current_thread_index() == me {
                    return;
                }
                while !stop.load(Ordering::Relaxed) {
                    match rayon::yield_now() {
                        Some(rayon::Yield::Executed) => {}
                        Some(rayon::Yield::Idle) => std::hint::spin_loop(),
                        None => return,
                    }
                }
            });
        }
        WarmWorkers { stop }
    }
}

impl Drop for WarmWorkers {
    /// Lets the pollers return (each within one `yield_now`); never blocks.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// How long the other workers keep polling after a parallel GEMM (`linger`, in this module).
pub const LINGER: Duration = Duration::from_millis(1);

/// When the lingering pollers stop, in nanoseconds since [`EPOCH`].
static LINGER_UNTIL: AtomicU64 = AtomicU64::new(0);
/// How many lingering pollers are running or queued.
static LINGERING: AtomicUsize = AtomicUsize::new(0);
/// The clock's origin for [`LINGER_UNTIL`].
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

fn nanos_now() -> u64 {
    EPOCH.elapsed().as_nanos() as u64
}

/// After a parallel GEMM, when the `linger` layer is on (`gemm::Layers`; off by default): the
/// current pool's other workers keep polling for work for [`LINGER`]
/// (a poller each, as in [`WarmWorkers`], with a deadline that each call pushes back), so that
/// the next call of a loop finds them awake, as OpenBLAS's threads wait after each call (the gain
/// on back-to-back calls is in docs/gemm.md, "Lingering workers"). The price is a core that spins
/// for at most 1 ms after the last call. One set of pollers per process: a second pool used at
/// the same moment may find its workers asleep (slower, never wrong).
pub(crate) fn linger() {
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return;
    }
    LINGER_UNTIL.fetch_max(nanos_now() + LINGER.as_nanos() as u64, Ordering::Relaxed);
    let me = rayon::current_thread_index();
    // The caller does not poll (it returns to its own work, on a core of its own): one poller
    // fewer than threads, as in `WarmWorkers::start`.
    let want = threads - 1;
    let Ok(had) =
        LINGERING.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| (n < want).then_some(want))
    else {
        return; // enough pollers already: the new deadline keeps them going
    };
    for _ in had..want {
        rayon::spawn(move || {
            // A job queued on the caller's own deque may come back to the caller (when it waits
            // in a later join): polling there would hold it up, so it declines.
            if me.is_none() || rayon::current_thread_index() != me {
                while nanos_now() < LINGER_UNTIL.load(Ordering::Relaxed) {
                    match rayon::yield_now() {
                        Some(rayon::Yield::Executed) => {}
                        Some(rayon::Yield::Idle) => std::hint::spin_loop(),
                        None => break,
                    }
                }
            }
            LINGERING.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::WarmWorkers;

    /// Lingering pollers run the next call's jobs and stop by themselves after the deadline.
    #[test]
    fn lingering_pollers_run_jobs_then_stop() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let sum: u64 = pool.install(|| {
            (0..50u64)
                .map(|i| {
                    let (a, b) = rayon::join(|| i * 2, || i + 1);
                    super::linger();
                    a + b
                })
                .sum()
        });
        assert_eq!(sum, (0..50u64).map(|i| 3 * i + 1).sum());
        std::thread::sleep(super::LINGER * 5);
        assert_eq!(super::LINGERING.load(std::sync::atomic::Ordering::Relaxed), 0);
    }

    /// Parallel work still completes (on both workers) while the pollers run, and they stop.
    #[test]
    fn pool_runs_jobs_while_warm_and_pollers_stop() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let sum: u64 = pool.install(|| {
            let _warm = WarmWorkers::start();
            (0..200)
                .map(|i| {
                    let (a, b) = rayon::join(|| i * 2, || i + 1);
                    a + b
                })
                .sum()
        });
        assert_eq!(sum, (0..200u64).map(|i| 3 * i + 1).sum());
        // The pollers have returned: the pool can run a job on each worker again.
        let both = pool.install(|| {
            let seen = std::sync::Mutex::new(std::collections::HashSet::new());
            rayon::scope(|s| {
                for _ in 0..64 {
                    s.spawn(|_| {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        seen.lock().unwrap().insert(rayon::current_thread_index());
                    });
                }
            });
            seen.into_inner().unwrap().len()
        });
        assert_eq!(both, 2);
    }
}
