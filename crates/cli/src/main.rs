//! `tessera`: the chapter-2 MNIST run (`tessera mnist`), a saved model used and looked at
//! (`predict`, `evaluate`, `weights`), digits (`show`) and kernel benchmarks (`bench`).

/// Prints a line to stdout; when stdout is closed (`tessera show | head -1`) the command ends
/// quietly with success, as Unix tools do, instead of panicking.
macro_rules! out {
    ($($t:tt)*) => {
        $crate::print_line(format_args!($($t)*))
    };
}
pub(crate) use out;

mod bench_elementwise;
mod bench_gemm;
mod bench_kernel;
mod bench_layers;
mod data;
mod evaluate;
mod image_input;
mod info;
mod mnist;
mod peak;
mod pictures;
mod predict;
mod show;
mod timeline;
mod timing;
mod walkthrough;
mod weights;

/// What a command returns: nothing, or an error to print.
pub type CliResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Writes one line to stdout; exits 0 if the reader has gone away.
pub fn print_line(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("tessera: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

use clap::{Parser, Subcommand, ValueEnum};
use tessera_tensor::gemm::Tier;

#[derive(Parser)]
#[command(name = "tessera", version, about = "Tessera: a teaching-grade tensor engine")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reproduce "Deep Learning with Python", chapter 2: the MNIST MLP, trained and evaluated.
    Mnist(mnist::MnistArgs),
    /// Draw an MNIST digit in the terminal (the book shows `train_images[4]`, a 9), or as a PNG.
    Show(show::ShowArgs),
    /// A saved model's prediction for an MNIST image, a picture of a digit, or a .npy of images.
    Predict(predict::PredictArgs),
    /// A saved model on the test set: accuracy, per-class table, confusion matrix picture.
    Evaluate(evaluate::EvaluateArgs),
    /// A saved model's first-layer weights as a mosaic of 28x28 tiles, one per hidden unit.
    Weights(weights::WeightsArgs),
    /// The chapter's examples in order, from tensors to the network built from scratch.
    Walkthrough(walkthrough::WalkthroughArgs),
    /// This CPU, what the build can use of it, and which kernel each family runs.
    Info,
    /// Kernel benchmarks.
    Bench {
        #[command(subcommand)]
        what: Bench,
    },
}

#[derive(Subcommand)]
enum Bench {
    /// Every GEMM tier at square 64..2048 and the MNIST shapes: GFLOP/s, % of FMA peak, error.
    Gemm {
        /// Thread counts for the parallel tier (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "1,2")]
        threads: Vec<usize>,
        /// Which tiers: all, or fast (packed and parallel only).
        #[arg(long, value_enum, default_value_t = TierSet::All)]
        tiers: TierSet,
        /// Only shapes whose label contains one of these (comma-separated), e.g. `sq1024,fwd1`.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Shapes `MxKxN` to run instead of the default ones (comma-separated), e.g.
        /// `192x192x192,300x128x512`; with `--only`, in addition to the default ones it keeps.
        #[arg(long, value_delimiter = ',', value_parser = bench_gemm::parse_shape)]
        shapes: Vec<bench_gemm::Shape>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 0.3)]
        budget: f64,
        /// Tab-separated output for scripts.
        #[arg(long)]
        tsv: bool,
        /// Benchmark f64 instead of f32.
        #[arg(long)]
        f64: bool,
        /// Draw GFLOP/s per tier and shape with the measured FMA peak as the ceiling (`.svg` or
        /// `.png`).
        #[arg(long)]
        plot: Option<std::path::PathBuf>,
        /// Write every row, the peak and the CPU as JSON.
        #[arg(long)]
        json: Option<std::path::PathBuf>,
        /// Instead of the ladder: the production GEMM with each of its layers switched off in
        /// turn (zero-step skipping, the next-A prefetch, the fused epilogue, shared A, the
        /// small paths, lingering workers, the depth split, B read in place, claimed row panels,
        /// row steps, sparse rows), as gains, in this many interleaved rounds.
        #[arg(long, value_name = "ROUNDS", value_parser = clap::value_parser!(u32).range(1..=100))]
        layers: Option<u32>,
    },
    /// Where a large GEMM loses the last tenth of the peak: the micro-kernel alone, then with its
    /// operands in L2, L3 and memory as the packed GEMM keeps them, then the packed GEMM itself.
    Kernel {
        /// Side of the square product to emulate (its block sizes and working set; from 512, so
        /// that the blocks are as large as the row labels say).
        #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(512..=4096))]
        size: u32,
        /// Rounds, each running every row once; the table shows per-row medians.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=1000))]
        rounds: u32,
        /// Benchmark f64 instead of f32.
        #[arg(long)]
        f64: bool,
    },
    /// The element-wise cases of the NumPy comparison (benches/compare_numpy.sh; 10^7 f32),
    /// tab-separated.
    Elementwise {
        /// Threads in the pool.
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TierSet {
    All,
    Fast,
}

/// Prints `tessera <command>: <error>` and exits 1 when a command failed.
fn report(command: &str, result: CliResult) {
    if let Err(e) = result {
        eprintln!("tessera {command}: {e}");
        std::process::exit(1);
    }
}

fn main() {
    match Cli::parse().command {
        Command::Show(args) => report("show", show::run(&args)),
        Command::Mnist(args) => report("mnist", mnist::run(&args)),
        Command::Predict(args) => report("predict", predict::run(&args)),
        Command::Evaluate(args) => report("evaluate", evaluate::run(&args)),
        Command::Weights(args) => report("weights", weights::run(&args)),
        Command::Walkthrough(args) => report("walkthrough", walkthrough::run(&args)),
        Command::Info => report("info", info::run()),
        Command::Bench { what: Bench::Elementwise { threads } } => {
            let pool =
                rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build().expect("thread pool");
            pool.install(|| bench_elementwise::run(threads));
        }
        Command::Bench { what: Bench::Kernel { size, rounds, f64 } } => {
            // One thread: every row is one core's work.
            bench_kernel::run(&bench_kernel::Options { size: size as usize, rounds: rounds as usize, f64 });
        }
        Command::Bench {
            what: Bench::Gemm { threads, tiers, only, shapes: extra, budget, tsv, f64, plot, json, layers },
        } => {
            // A benchmark is a loop of products: keep the workers awake between them, as
            // OpenBLAS's threads wait after each call (a library call does not, by default).
            tessera_tensor::gemm::set_layers(tessera_tensor::gemm::Layers::ALL);
            let mut list = match tiers {
                TierSet::All => vec![
                    Tier::Naive,
                    Tier::Reordered,
                    Tier::Blocked,
                    Tier::RegisterTile,
                    Tier::SimdTile,
                    Tier::PackedWide,
                    Tier::PackedAvx2,
                    Tier::PackedAvx512,
                    Tier::PackedNeon,
                ],
                TierSet::Fast => vec![Tier::Packed],
            };
            let has = |t: Tier| match t {
                Tier::PackedAvx2 => tessera_tensor::gemm::GemmScalar::kernel_avx2()
                    .map(|_: tessera_tensor::gemm::Kernel<f32>| ())
                    .is_some(),
                Tier::PackedAvx512 => tessera_tensor::gemm::GemmScalar::kernel_avx512()
                    .map(|_: tessera_tensor::gemm::Kernel<f32>| ())
                    .is_some(),
                Tier::PackedNeon => tessera_tensor::gemm::GemmScalar::kernel_neon()
                    .map(|_: tessera_tensor::gemm::Kernel<f32>| ())
                    .is_some(),
                _ => true,
            };
            list.retain(|&t| has(t));
            list.extend(threads.iter().map(|&t| Tier::Parallel(t)));
            let mut shapes = bench_gemm::default_shapes();
            if !only.is_empty() {
                shapes.retain(|s| only.iter().any(|o| s.label.contains(o.as_str())));
            } else if !extra.is_empty() {
                shapes.clear();
            }
            shapes.extend(extra);
            if let Some(rounds) = layers {
                if f64 || tsv || plot.is_some() || json.is_some() {
                    report("bench gemm", Err("--layers takes no --f64, --tsv, --plot or --json".into()));
                }
                report("bench gemm", bench_layers::run(&shapes, &threads, rounds as usize, budget));
                return;
            }
            let opts = bench_gemm::Options { tiers: list, shapes, budget, tsv, f64, plot, json };
            // Run inside a pool as large as the largest thread count asked for.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads.iter().copied().max().unwrap_or(1).max(1))
                .build()
                .expect("thread pool");
            report("bench gemm", pool.install(|| bench_gemm::run(&opts)));
        }
    }
}
