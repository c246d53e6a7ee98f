//! The Keras-style progress line: `469/469 ━━━━━━━━━━━━━━━━━━━━ 1s 2ms/step - accuracy: 0.9245 -
//! loss: 0.2570`, redrawn in place on a terminal (indicatif), one plain line per epoch otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::time::Instant;

/// One epoch's progress display.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    steps: usize,
    start: Instant,
    verbose: bool,
}

impl Progress {
    pub(crate) fn new(steps: usize, verbose: bool) -> Progress {
        let bar = (verbose && std::io::stdout().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(Some(steps as u64), ProgressDrawTarget::stdout());
            b.set_style(
                ProgressStyle::with_template("{pos}/{len} {bar:20} {elapsed} {msg}")
                    .expect("valid template")
                    .progress_chars("━━ "),
            );
            b
        });
        Progress { bar, steps, start: Instant::now(), verbose }
    }

    fn metrics(loss: f64, acc: Option<f64>) -> String {
        match acc {
            Some(a) => format!("accuracy: {a:.4} - loss: {loss:.4}"),
            None => format!("loss: {loss:.4}"),
        }
    }

    pub(crate) fn update(&self, step: usize, loss: f64, acc: Option<f64>) {
        if let Some(b) = &self.bar {
            b.set_position(step as u64);
            b.set_message(format!("- {}", Self::metrics(loss, acc)));
        }
    }

    /// Ends the line; returns the epoch's wall time in seconds.
    pub(crate) fn finish(&self, loss: f64, acc: Option<f64>, extra: &str) -> f64 {
        let secs = self.start.elapsed().as_secs_f64();
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if self.verbose {
            let per_step = secs * 1e3 / self.steps.max(1) as f64;
            let (steps, metrics) = (self.steps, Self::metrics(loss, acc));
            // A closed stdout (`| head`) must not stop training: the line is dropped.
            let _ = writeln!(
                std::io::stdout().lock(),
                "{steps}/{steps} ━━━━━━━━━━━━━━━━━━━━ {secs:.2}s {per_step:.1}ms/step - {metrics}{extra}"
            );
        }
        secs
    }
}
