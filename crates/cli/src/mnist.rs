//! `tessera mnist`: the chapter-2 listing, line for line, with the book's defaults.

use crate::pictures::{Curves, save_chart};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Instant;
use tessera_nn::datasets::mnist;
use tessera_nn::{
    Activation, Adam, Dense, FitOptions, Loss, Metric, Optimizer, RMSprop, SGD, Sequential, to_categorical,
};
use tessera_nn::{EpochPhases, History};
use tessera_tensor::runtime::trace;
use tessera_tensor::{Tensor, s};

/// Flags of `tessera mnist` (defaults are the book's).
#[derive(Args, Debug)]
pub struct MnistArgs {
    /// Passes over the training set.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    epochs: u32,
    /// Samples per gradient update.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(1..=60_000))]
    batch_size: u32,
    /// Units of the hidden Dense layer.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    hidden: u32,
    /// Optimizer.
    #[arg(long, value_enum, default_value_t = Opt::Rmsprop)]
    optimizer: Opt,
    /// Learning rate (default: the optimizer's Keras default); a finite number above 0.
    #[arg(long, value_parser = positive_finite, allow_hyphen_values = true)]
    lr: Option<f32>,
    /// Seed for initialisation and shuffling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: all cores; at most 4 per core).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Fraction of the training set (its last samples) held out for validation after each
    /// epoch, as Keras' `validation_split`; from 0 (none) up to, not including, 1.
    #[arg(long, default_value_t = 0.0, value_parser = unit_fraction)]
    validation_split: f64,
    /// Directory with the MNIST files (default: $MNIST_DIR, the repository's data/mnist, the
    /// user cache, else a download into it).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Save the trained model here (safetensors; `tessera predict`, `evaluate` and `weights`
    /// read it, as does Python's `safetensors`).
    #[arg(long)]
    save: Option<PathBuf>,
    /// Write loss and accuracy per epoch as CSV.
    #[arg(long)]
    history: Option<PathBuf>,
    /// Draw loss and accuracy per epoch (`.png` or `.svg`).
    #[arg(long)]
    plot: Option<PathBuf>,
    /// Dense data: map each pixel x (after /255) to 0.05 + 0.9·x, so that none is zero. Same
    /// shapes and FLOPs as any dense data set; the GEMM's zero-skipping has nothing to skip
    /// (benches/compare_mnist.sh with DENSE=1 does the same to the peers' data).
    #[arg(long)]
    dense: bool,
    /// After training, print where an epoch's time went: gathering the batch, forward pass, loss,
    /// backward pass, optimizer, metrics (each phase's median over the epochs: seconds per epoch
    /// and per step, and its share).
    #[arg(long)]
    profile: bool,
    /// Record a timeline of the training run and write it here in Chrome's trace-event format
    /// (JSON, for ui.perfetto.dev or chrome://tracing): what each thread ran and when (the
    /// step's phases, autograd's backward rules, each GEMM with its packing, the waits for the
    /// other threads, the optimizer's parts); prints its sums per thread. About 50 spans per
    /// step: an epoch of the chapter's run makes ~2 MB.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Fail (exit 2) if the test accuracy ends below this (for CI smoke runs); from 0 to 1.
    #[arg(long, value_parser = unit_interval)]
    min_accuracy: Option<f64>,
}

/// A learning rate: finite and above zero.
fn positive_finite(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|e| format!("{s:?} is not a number ({e})"))?;
    if v.is_finite() && v > 0.0 { Ok(v) } else { Err(format!("{s} must be a finite number above 0")) }
}

/// A fraction in [0, 1).
fn unit_fraction(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{s:?} is not a number ({e})"))?;
    if (0.0..1.0).contains(&v) { Ok(v) } else { Err(format!("{s} must be at least 0 and below 1")) }
}

/// A number in [0, 1].
fn unit_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{s:?} is not a number ({e})"))?;
    if (0.0..=1.0).contains(&v) { Ok(v) } else { Err(format!("{s} must be from 0 to 1")) }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Opt {
    Rmsprop,
    Sgd,
    Adam,
}

/// Labels as NumPy prints a long `uint8` array: the first and last three.
fn labels_preview(y: &Tensor<u8>) -> String {
    let v: Vec<String> = y.iter().map(|l| l.to_string()).collect();
    let shown = if v.len() > 6 {
        format!("{}, ..., {}", v[..3].join(", "), v[v.len() - 3..].join(", "))
    } else {
        v.join(", ")
    };
    format!("array([{shown}], dtype=uint8)")
}

/// Where the epochs' time went, phase by phase (each phase's median over the epochs).
fn phase_table(phases: &[EpochPhases]) -> String {
    let Some(steps) = phases.first().map(|p| p.steps) else { return String::new() };
    let median = |of: &dyn Fn(&EpochPhases) -> f64| {
        let mut v: Vec<f64> = phases.iter().map(of).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let rows: Vec<(&str, f64)> = (0..phases[0].named().len())
        .map(|i| (phases[0].named()[i].0, median(&|p: &EpochPhases| p.named()[i].1)))
        .collect();
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let per_step = |secs: f64| 1e6 * secs / steps.max(1) as f64;
    let mut out = String::from(
        "phase        s/epoch  µs/step   share  (median of the epochs, on the thread running fit)",
    );
    for (name, secs) in rows {
        let share = 100.0 * secs / total.max(f64::MIN_POSITIVE);
        out += &format!("\n{name:<12} {secs:>7.3}  {:>7.0}  {share:>5.1}%", per_step(secs));
    }
    out += &format!("\n{:<12} {total:>7.3}  {:>7.0}", "sum", per_step(total));
    let ahead = median(&|p: &EpochPhases| p.gather_ahead);
    out += &format!(
        "\nand on another worker while the step runs its last layer, loss and `backward` (on one thread: inside `optimizer`):\n{:<12} {ahead:>7.3}  {:>7.0}",
        "gather ahead",
        per_step(ahead)
    );
    out
}

/// `epoch,loss,accuracy,val_loss,val_accuracy,seconds`, one row per epoch (empty cells where a
/// figure was not measured).
fn history_csv(h: &History) -> String {
    let cell = |v: &[f64], i: usize| v.get(i).map_or(String::new(), |x| format!("{x:.6}"));
    let mut s = String::from("epoch,loss,accuracy,val_loss,val_accuracy,seconds\n");
    for i in 0..h.loss.len() {
        s += &format!(
            "{},{},{},{},{},{}\n",
            i + 1,
            cell(&h.loss, i),
            cell(&h.accuracy, i),
            cell(&h.val_loss, i),
            cell(&h.val_accuracy, i),
            cell(&h.epoch_seconds, i)
        );
    }
    s
}

/// Runs the chapter.
pub fn run(args: &MnistArgs) -> crate::CliResult {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.map_or(cores, |t| t as usize);
    if threads > 4 * cores {
        return Err(format!(
            "--threads {threads} is more than 4 per core ({cores} cores here): pass at most {}",
            4 * cores
        )
        .into());
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    pool.install(|| chapter(args, threads))
}

fn chapter(args: &MnistArgs, threads: usize) -> crate::CliResult {
    let start = Instant::now();
    let ((train_images, train_labels), (test_images, test_labels)) =
        mnist::load_data(args.data_dir.as_deref())?;
    crate::out!(">>> train_images.shape\n{:?}", train_images.shape());
    crate::out!(">>> len(train_labels)\n{}", train_labels.len());
    crate::out!(">>> train_labels\n{}", labels_preview(&train_labels));
    crate::out!(">>> test_images.shape\n{:?}", test_images.shape());
    crate::out!(">>> len(test_labels)\n{}", test_labels.len());
    crate::out!(">>> test_labels\n{}", labels_preview(&test_labels));

    // train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
    // In place (`/=`) and dropping the uint8 copies keeps the peak at one f32 copy of the data.
    let prepare = |x: Tensor<u8>| -> Result<Tensor<f32>, tessera_tensor::TensorError> {
        let mut f = x.reshape(&[x.shape()[0] as isize, 28 * 28])?.astype::<f32>();
        f /= 255.0;
        if args.dense {
            f *= 0.9;
            f += 0.05;
        }
        Ok(f)
    };
    let (x_train, x_test) = (prepare(train_images)?, prepare(test_images)?);
    let (y_train, y_test) = (to_categorical(&train_labels, 10)?, to_categorical(&test_labels, 10)?);

    let mut model = Sequential::new(args.seed);
    model.add(Dense::new(args.hidden as usize, Activation::Relu).input_dim(28 * 28));
    model.add(Dense::new(10, Activation::Softmax));
    let optimizer: Box<dyn Optimizer> = match args.optimizer {
        Opt::Rmsprop => Box::new(RMSprop::new(args.lr.unwrap_or(0.001))),
        Opt::Sgd => Box::new(SGD::new(args.lr.unwrap_or(0.01))),
        Opt::Adam => Box::new(Adam::new(args.lr.unwrap_or(0.001))),
    };
    model.compile(optimizer, Loss::CategoricalCrossentropy, &[Metric::Accuracy])?;
    crate::out!("{}", model.summary());
    crate::out!("threads: {threads}, seed: {}", args.seed);
    if args.dense {
        crate::out!("dense: every pixel mapped to 0.05 + 0.9·x (no zeros)");
    }

    let opts = FitOptions {
        epochs: args.epochs as usize,
        batch_size: args.batch_size as usize,
        validation_split: args.validation_split,
        verbose: true,
        ..FitOptions::default()
    };
    if args.trace.is_some() {
        trace::start(crate::timeline::MAX_SPANS);
    }
    let fit_start = Instant::now();
    let history = model.fit(&x_train, &y_train, &opts);
    let fit_secs = fit_start.elapsed().as_secs_f64();
    let timeline = trace::finish();
    let history = history?;
    let (test_loss, test_acc) = model.evaluate(&x_test, &y_test, 128)?;
    crate::out!(">>> test_acc\n{test_acc:.4}   (test_loss {test_loss:.4})");
    let first = model.predict(&x_test.slice(&s![0..10])?, 10)?;
    crate::out!(
        ">>> predictions[0].argmax(), test_labels[0]\n{} {}",
        first.argmax(Some(-1))?.to_vec()[0],
        test_labels.to_vec()[0]
    );
    let mut epochs = history.epoch_seconds.clone();
    epochs.sort_by(f64::total_cmp);
    let median = epochs.get(epochs.len() / 2).copied().unwrap_or(0.0);
    crate::out!(
        "fit {fit_secs:.2}s, median epoch {median:.3}s, total {:.2}s ({threads} threads)",
        start.elapsed().as_secs_f64()
    );
    if args.profile {
        crate::out!("{}", phase_table(&history.phases));
    }
    if let Some(path) = &args.trace {
        crate::timeline::write_chrome_trace(&timeline, path)?;
        crate::out!("wrote {} ({} spans)", path.display(), timeline.spans.len());
        crate::out!("{}", crate::timeline::summary(&timeline));
    }
    let checksum: f64 = model.params().iter().map(|p| p.value().iter().map(|v| v as f64).sum::<f64>()).sum();
    crate::out!("weights checksum {checksum:.9e}");
    if let Some(path) = &args.save {
        model.save(path)?;
        crate::out!("saved the model to {}", path.display());
    }
    if let Some(path) = &args.history {
        std::fs::write(path, history_csv(&history)).map_err(|e| format!("{}: {e}", path.display()))?;
        crate::out!("wrote {}", path.display());
    }
    if let Some(path) = &args.plot {
        let title = format!(
            "Dense({}, relu) + Dense(10, softmax), {}, batch {}, seed {}: test accuracy {test_acc:.4}",
            args.hidden,
            format!("{:?}", args.optimizer).to_lowercase(),
            args.batch_size,
            args.seed
        );
        let curves = Curves {
            loss: history.loss.clone(),
            accuracy: history.accuracy.clone(),
            val_loss: history.val_loss.clone(),
            val_accuracy: history.val_accuracy.clone(),
            title,
        };
        save_chart(&curves, path)?;
        crate::out!("wrote {}", path.display());
    }
    if let Some(min) = args.min_accuracy.filter(|&m| test_acc < m) {
        eprintln!("test accuracy {test_acc:.4} is below the required {min}");
        std::process::exit(2);
    }
    Ok(())
}
