//! Where a training epoch's wall time goes: each step's phases timed on the thread that runs
//! `fit` (`tessera mnist --profile` prints them). Two clock reads per phase per step, a few
//! hundred nanoseconds against a step of a millisecond, so they are always on. While a
//! timeline is recorded (`tessera_tensor::runtime::trace`), each phase of each step is a span
//! in it too.

use std::time::Instant;

/// Seconds one epoch spent in each phase of its steps, as seen by the thread that runs `fit`.
///
/// The phases add up to the epoch's training time. On several threads a phase's time includes
/// the parallel regions it starts and the waits for their other workers. The next batch is
/// gathered on another worker while this one runs the last layer, the loss and the start of
/// `backward` ([`gather_ahead`](Self::gather_ahead), not part of the sum); only a wait for it to
/// end shows, in `optimizer` (on one thread all of it does).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EpochPhases {
    /// Gathering a batch's rows when none was gathered ahead (the first step of each epoch).
    pub gather: f64,
    /// The forward pass to the logits, and the targets' conversion.
    pub forward: f64,
    /// The loss and its finiteness check.
    pub loss: f64,
    /// `backward()`: every parameter's gradient.
    pub backward: f64,
    /// The optimizer's update, and the end of the next batch's gathering if it was still running.
    pub optimizer: f64,
    /// The accuracy and the progress line.
    pub metrics: f64,
    /// Gathering the next batches' rows ahead, on whichever worker ran it (overlapping the
    /// last layer's forward pass, the loss and `backward`; not part of [`total`](Self::total)).
    pub gather_ahead: f64,
    /// The epoch's steps (batches), to turn the seconds into time per step.
    pub steps: usize,
}

impl EpochPhases {
    /// The phases with their names, in the order a step runs them.
    pub fn named(&self) -> [(&'static str, f64); 6] {
        [
            ("gather", self.gather),
            ("forward", self.forward),
            ("loss", self.loss),
            ("backward", self.backward),
            ("optimizer", self.optimizer),
            ("metrics", self.metrics),
        ]
    }

    /// Their sum: the epoch's time inside its steps.
    pub fn total(&self) -> f64 {
        self.named().iter().map(|(_, s)| s).sum()
    }
}

/// A step's clock: `lap` charges the time since the previous lap to one phase.
pub(crate) struct PhaseClock {
    last: Instant,
    /// The epoch (from 1) and the step (from 1), for the timeline's spans.
    step: [usize; 3],
}

impl PhaseClock {
    pub(crate) fn start(epoch: usize, step: usize) -> PhaseClock {
        PhaseClock { last: Instant::now(), step: [epoch, step, 0] }
    }

    /// Adds the time since the last lap to `slot` (the phase `name`) and starts the next lap.
    pub(crate) fn lap(&mut self, name: &'static str, slot: &mut f64) {
        let now = Instant::now();
        *slot += (now - self.last).as_secs_f64();
        tessera_tensor::runtime::trace::record(name, self.step, self.last, now);
        self.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_add_up_to_the_elapsed_time() {
        let mut p = EpochPhases::default();
        let begin = Instant::now();
        let mut clock = PhaseClock::start(1, 1);
        std::thread::sleep(std::time::Duration::from_millis(2));
        clock.lap("forward", &mut p.forward);
        std::thread::sleep(std::time::Duration::from_millis(1));
        clock.lap("backward", &mut p.backward);
        let elapsed = begin.elapsed().as_secs_f64();
        assert!(p.forward >= 0.002 && p.backward >= 0.001, "{p:?}");
        assert!(p.total() <= elapsed && p.total() > 0.003 - 1e-9, "{} vs {elapsed}", p.total());
        assert_eq!(p.named()[1], ("forward", p.forward));
    }
}
