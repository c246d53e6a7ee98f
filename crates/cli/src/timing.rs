//! Wall-clock timing for benchmarks: warm up, then repeat until a time budget is spent, and
//! report the median (robust on this shared, noisy machine).

use std::time::Instant;

/// Median seconds per call of `f`, after one warm-up call, over at least `min_reps` calls and
/// about `budget_s` seconds.
pub fn median_secs(mut f: impl FnMut(), min_reps: usize, budget_s: f64) -> f64 {
    f();
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < min_reps || (start.elapsed().as_secs_f64() < budget_s && samples.len() < 1000) {
        let t = Instant::now();
        f();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
