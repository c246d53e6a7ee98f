//! `fit`: epochs of shuffled mini-batches, each a forward pass, a loss, `backward`, and an
//! optimizer step; Keras' running averages of loss and accuracy per epoch.

use super::batches::gather_rows;
use super::phases::{EpochPhases, PhaseClock};
use super::progress::Progress;
use super::sequential::Sequential;
use crate::error::{NnError, Result};
use crate::metrics::{Metric, correct};
use tessera_autograd::Var;
use tessera_tensor::Tensor;
use tessera_tensor::runtime::warm::WarmWorkers;

/// Options of [`Sequential::fit`], with Keras' defaults.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// Passes over the data (Keras default 1; the chapter uses 5).
    pub epochs: usize,
    /// Samples per update (Keras default 32; the chapter uses 128).
    pub batch_size: usize,
    /// Reshuffle the sample order every epoch (seeded).
    pub shuffle: bool,
    /// Held-out data evaluated after each epoch.
    pub validation_data: Option<(Tensor<f32>, Tensor<f32>)>,
    /// Fraction of the *last* samples held out instead (Keras' `validation_split`), if > 0.
    pub validation_split: f64,
    /// Print the progress line.
    pub verbose: bool,
    /// Worker threads: `None` trains on rayon's global pool (one thread per core, or
    /// `RAYON_NUM_THREADS`), `Some(n)` on a pool of `n` built for this call. Either way the loop
    /// runs on one of the pool's threads, as inside `ThreadPool::install`, so each parallel
    /// region starts without waking the calling thread; weights are the same for any count.
    pub threads: Option<usize>,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            epochs: 1,
            batch_size: 32,
            shuffle: true,
            validation_data: None,
            validation_split: 0.0,
            verbose: true,
            threads: None,
        }
    }
}

/// Per-epoch figures, like Keras' `History.history`.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Mean training loss of each epoch (averaged over its batches, weighted by batch size).
    pub loss: Vec<f64>,
    /// Training accuracy of each epoch (if the accuracy metric was compiled).
    pub accuracy: Vec<f64>,
    /// Validation loss after each epoch (if validation was requested).
    pub val_loss: Vec<f64>,
    /// Validation accuracy after each epoch.
    pub val_accuracy: Vec<f64>,
    /// Wall time of each epoch, seconds (training only).
    pub epoch_seconds: Vec<f64>,
    /// Where each epoch's time went, phase by phase (see [`EpochPhases`]).
    pub phases: Vec<EpochPhases>,
}

/// The rows `idx` of `x` and `y`: one mini-batch.
///
/// Gathering 128 random rows of the 188 MB training set is mostly memory latency (docs/mnist.md
/// has its share of a step). `fit` overlaps it with the serial middle of the previous step (the
/// last layer, the loss, the start of the backward pass): the same rows, copied by another
/// thread, so results do not change.
fn gather_batch(x: &Tensor<f32>, y: &Tensor<f32>, idx: &[usize]) -> Result<(Tensor<f32>, Tensor<f32>)> {
    Ok((gather_rows(x, idx)?, gather_rows(y, idx)?))
}

impl Sequential {
    /// Trains on `x` `[n, features]` and `y` (one-hot `[n, classes]` or labels `[n]`).
    ///
    /// Stops with [`NnError::NonFiniteLoss`] naming the epoch and step if the loss becomes NaN
    /// or infinite.
    ///
    /// Runs on the current rayon pool (`pool.install(|| model.fit(..))` chooses the thread
    /// count; the weights come out the same for any count). While it trains, the pool's other
    /// threads poll for work instead of sleeping, so they show as busy even between parallel
    /// steps (see `tessera_tensor::runtime::warm`).
    pub fn fit(&mut self, x: &Tensor<f32>, y: &Tensor<f32>, opts: &FitOptions) -> Result<History> {
        match opts.threads {
            Some(0) => Err(NnError::Model("fit: threads must be at least 1".into())),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| NnError::Model(format!("fit: cannot start {n} threads: {e}")))?
                .install(|| self.fit_on_this_thread(x, y, opts)),
            // Called from a thread outside any pool (a plain `main`): move onto a worker of the
            // global pool, as the `tessera` binary does with its own.
            None if rayon::current_thread_index().is_none() => {
                rayon::scope(|_| self.fit_on_this_thread(x, y, opts))
            }
            None => self.fit_on_this_thread(x, y, opts),
        }
    }

    /// [`Sequential::fit`] on the calling thread.
    fn fit_on_this_thread(&mut self, x: &Tensor<f32>, y: &Tensor<f32>, opts: &FitOptions) -> Result<History> {
        let loss_fn = self.loss.ok_or_else(|| NnError::Model("compile the model before fit".into()))?;
        if x.ndim() != 2 || y.shape().first() != x.shape().first() {
            return Err(NnError::Model(format!(
                "fit: x {:?} and y {:?} must have the same number of rows",
                x.shape(),
                y.shape()
            )));
        }
        if !(0.0..1.0).contains(&opts.validation_split) {
            return Err(NnError::Model(format!(
                "fit: validation_split must be at least 0 and below 1, got {}",
                opts.validation_split
            )));
        }
        if opts.batch_size == 0 {
            return Err(NnError::Model("fit: batch_size must be at least 1".into()));
        }
        let (x, y) = (x.to_contiguous(), y.to_contiguous());
        let n_all = x.shape()[0];
        let n_val = (n_all as f64 * opts.validation_split).floor() as usize;
        let n = n_all - n_val;
        if n == 0 {
            return Err(NnError::Model(format!(
                "fit: no training samples: {n_all} rows with validation_split {} leaves none",
                opts.validation_split
            )));
        }
        let validation = match (&opts.validation_data, n_val) {
            (Some(v), _) => Some(v.clone()),
            (None, 0) => None,
            (None, _) => {
                let tail: Vec<usize> = (n..n_all).collect();
                Some((gather_rows(&x, &tail)?, gather_rows(&y, &tail)?))
            }
        };
        let classes = self.layers.last().map_or(0, |l| l.units);
        let want_acc = self.metrics.contains(&Metric::Accuracy);
        let batch = opts.batch_size;
        let steps = n.div_ceil(batch);
        let params = self.params();
        let mut history = History::default();
        let mut order: Vec<usize> = (0..n).collect();
        // The pool's other workers poll instead of sleeping between parallel regions (see
        // `tessera_tensor::runtime::warm`); they stop when `fit` returns.
        let _warm = WarmWorkers::start();
        for epoch in 1..=opts.epochs {
            if opts.verbose {
                println!("Epoch {epoch}/{}", opts.epochs);
            }
            if opts.shuffle {
                self.rng.shuffle(&mut order);
            }
            let progress = Progress::new(steps, opts.verbose);
            let (mut loss_sum, mut right, mut seen) = (0.0f64, 0usize, 0usize);
            let batches: Vec<&[usize]> = order.chunks(batch).collect();
            let mut prefetched = None;
            let mut phases = EpochPhases { steps, ..EpochPhases::default() };
            for (step, &idx) in batches.iter().enumerate() {
                let mut clock = PhaseClock::start(epoch, step + 1);
                let (xb, yb) = match prefetched.take() {
                    Some(pair) => pair,
                    None => gather_batch(&x, &y, idx)?,
                };
                clock.lap("gather", &mut phases.gather);
                let xb = Var::constant(xb);
                let t = Var::constant(loss_fn.dense_targets(&yb, classes)?);
                let h = self.hidden(&xb)?;
                // The next batch is gathered by another worker from here on, while this thread
                // runs the serial middle of the step: the last layer's forward product, the loss
                // and the start of the backward pass (see `gather_batch`).
                let next = batches.get(step + 1).copied();
                let mut gathered = None;
                let mut optimizer = self.optimizer.take().expect("compiled");
                let this = &*self;
                let stepped = rayon::in_place_scope(|s| -> Result<f64> {
                    if let Some(next) = next {
                        let (x, y, slot) = (&x, &y, &mut gathered);
                        s.spawn(move |_| {
                            let _span = tessera_tensor::runtime::trace::span("gather next batch");
                            let begin = std::time::Instant::now();
                            *slot = Some((gather_batch(x, y, next), begin.elapsed().as_secs_f64()));
                        });
                    }
                    // Logits only: the output softmax is not needed for the fused loss or the
                    // accuracy.
                    let z = this.last_logits(&h)?;
                    clock.lap("forward", &mut phases.forward);
                    let loss = this.batch_loss(&z, None, &t)?;
                    let lv = loss.value().item()? as f64;
                    if !lv.is_finite() {
                        return Err(NnError::NonFiniteLoss { epoch, step: step + 1, loss: lv });
                    }
                    clock.lap("loss", &mut phases.loss);
                    // The batch's accuracy needs only the logits: counted while they are in cache.
                    if want_acc {
                        right += correct(&z.value(), &yb)?;
                    }
                    clock.lap("metrics", &mut phases.metrics);
                    for p in &params {
                        p.zero_grad();
                    }
                    loss.backward()?;
                    clock.lap("backward", &mut phases.backward);
                    optimizer.step(&params)?;
                    Ok(lv)
                });
                self.optimizer = Some(optimizer);
                let lv = stepped?;
                clock.lap("optimizer", &mut phases.optimizer);
                if let Some((_, secs)) = &gathered {
                    phases.gather_ahead += secs;
                }
                prefetched = gathered.map(|(batch, _)| batch).transpose()?;
                loss_sum += lv * idx.len() as f64;
                seen += idx.len();
                progress.update(
                    step + 1,
                    loss_sum / seen as f64,
                    want_acc.then(|| right as f64 / seen as f64),
                );
                clock.lap("metrics", &mut phases.metrics);
            }
            history.phases.push(phases);
            let (loss, acc) = (loss_sum / seen.max(1) as f64, right as f64 / seen.max(1) as f64);
            let mut extra = String::new();
            if let Some((vx, vy)) = &validation {
                let (vl, va) = self.evaluate(vx, vy, batch)?;
                history.val_loss.push(vl);
                history.val_accuracy.push(va);
                extra = format!(" - val_accuracy: {va:.4} - val_loss: {vl:.4}");
            }
            history.epoch_seconds.push(progress.finish(loss, want_acc.then_some(acc), &extra));
            history.loss.push(loss);
            if want_acc {
                history.accuracy.push(acc);
            }
        }
        self.epochs_trained += opts.epochs;
        self.batch_size = Some(opts.batch_size);
        Ok(history)
    }
}
