//! Runs the parts of one parallel region (a GEMM's blocks of C, an element-wise op's pieces) on
//! the current rayon pool, the first part on the calling thread, and waits for the others
//! awake.
//!
//! Why not `rayon::scope` alone: a thread that finishes its own part and waits in the scope
//! yields for a few tens of µs, then sleeps, and waking it when the last part ends costs about
//! as long again (35 µs between the last part's end and the caller's next step, on a 2-vCPU VM
//! in a training step: docs/mnist.md). A training step's parts finish within tens of µs of each
//! other, so the caller here spins instead, running any queued job meanwhile (its own parts too,
//! if no other worker took them), and stops spinning as soon as they are done. The spinning ends
//! with the region: nothing keeps running after the call returns. The split and each part's work
//! are unchanged, so results do not depend on which thread runs which part.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The smallest work worth splitting, from where the call comes: `inside` on a worker of a
/// rayon pool (the caller runs its part at once, and workers that poll or wake pick up the
/// rest), `outside` from any other thread, such as a downstream crate's main thread. From
/// there every parallel region is injected into the global pool and the caller sleeps until it
/// ends: about 25-35 µs per call on a 2-vCPU VM (`cargo bench --bench waking` in `benches/`),
/// so only larger work gains from the second core.
pub(crate) fn min_work(inside: usize, outside: usize) -> usize {
    if rayon::current_thread_index().is_some() { inside } else { outside }
}

/// After this many rounds without a job to run, the waiting thread also yields its core to the
/// OS between rounds: a pool with more threads than cores must let the part's thread run.
const SPIN_ROUNDS: u32 = 1 << 12;

/// Runs every part, the first on this thread and the rest as jobs of the current pool, and
/// returns when all have finished (a part's panic is resumed here, as `rayon::scope` does).
pub fn run_parts<F: FnOnce() + Send>(parts: impl IntoIterator<Item = F>) {
    let mut parts: Vec<F> = parts.into_iter().collect();
    if parts.is_empty() {
        return;
    }
    let first = parts.remove(0);
    let pending = AtomicUsize::new(0);
    rayon::scope(|s| {
        for part in parts {
            pending.fetch_add(1, Ordering::Relaxed);
            let pending = &pending;
            s.spawn(move |_| {
                // Counted down even if the part panics, so the wait below ends (the scope then
                // resumes the panic).
                let _done = Done(pending);
                part();
            });
        }
        first();
        let _span = super::trace::span("wait");
        wait_awake(&pending);
    });
}

/// Decrements the pending count when dropped.
struct Done<'a>(&'a AtomicUsize);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
}

/// Spins until `pending` reaches zero, running queued jobs of the pool meanwhile.
fn wait_awake(pending: &AtomicUsize) {
    let mut idle = 0u32;
    while pending.load(Ordering::Acquire) != 0 {
        match rayon::yield_now() {
            Some(rayon::Yield::Executed) => idle = 0,
            _ if idle < SPIN_ROUNDS => {
                idle += 1;
                std::hint::spin_loop();
            }
            _ => std::thread::yield_now(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_part_runs_once_on_any_pool() {
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let hits: Vec<AtomicUsize> = (0..17).map(|_| AtomicUsize::new(0)).collect();
            pool.install(|| {
                super::run_parts(hits.iter().map(|h| {
                    move || {
                        h.fetch_add(1, Ordering::Relaxed);
                    }
                }))
            });
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1), "{threads} threads");
        }
    }

    #[test]
    fn nested_regions_and_calls_from_outside_a_pool_finish() {
        let total = AtomicUsize::new(0);
        super::run_parts((0..4).map(|_| {
            let total = &total;
            move || super::run_parts((0..4).map(|_| move || _ = total.fetch_add(1, Ordering::Relaxed)))
        }));
        assert_eq!(total.load(Ordering::Relaxed), 16);
    }

    #[test]
    fn a_part_that_panics_panics_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| {
                super::run_parts((0..3).map(|i| {
                    move || {
                        if i == 2 {
                            panic!("part {i}");
                        }
                    }
                }))
            })
        }));
        assert!(caught.is_err());
    }
}
