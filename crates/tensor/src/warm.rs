//! Keeps the rayon pool's other workers polling for work, for a loop of many short parallel
//! calls (a training loop: `tessera-nn`'s `fit` holds one while it runs).
//!
//! A training step alternates short serial stretches (small GEMMs, the loss, bias gradients)
//! with parallel regions (the two large GEMMs, the big element-wise ops, the optimizer update).
//! An idle rayon worker sleeps after ~30 µs, and waking it took 18-40 µs on this machine
//! (measured with a `join` after a serial gap; 0.6 µs while it still spins; inside a parallel
//! GEMM of 784×128·128×512, the second half started 13-22 µs after the first). That is paid at
//! every parallel region. While a [`WarmWorkers`] lives, each other worker instead runs a
//! *poller*: a job that calls `rayon::yield_now()` (run any pending job: steal, or take an
//! injected one) in a loop until the guard is dropped. The work and its split are unchanged, so
//! results stay bit-identical; the price is a core that spins during the serial stretches, as
//! OpenBLAS's threads do after each call (its default).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// While alive, the current pool's other workers poll for work instead of sleeping.
///
/// ```
/// use tessera_tensor::{Tensor, warm::WarmWorkers};
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
        // Called from a worker (inside `pool.install`), that worker runs `fit` itself.
        let me = rayon::current_thread_index();
        let pollers = if me.is_some() { threads - 1 } else { threads };
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

#[cfg(test)]
mod tests {
    use super::WarmWorkers;

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
