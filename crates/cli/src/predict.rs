//! `tessera predict`: a saved model's answer for one MNIST image, a picture of your own, or the
//! rows of a `.npy` file: the digit in the terminal, the predicted class, and the ten
//! probabilities as a bar chart.

use crate::data::{Which, as_input, image_at, load_split, mnist_probabilities};
use crate::image_input::load_digit;
use crate::show::digit_text;
use clap::Args;
use std::path::PathBuf;
use tessera_nn::Sequential;
use tessera_nn::numpy::{Array, write_npy};
use tessera_tensor::Tensor;

/// Flags of `tessera predict`.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["index", "image", "npy"])))]
pub struct PredictArgs {
    /// The model file (`tessera mnist --save`).
    #[arg(long)]
    model: PathBuf,
    /// An MNIST image, by index (the test set unless `--train`).
    #[arg(long)]
    index: Option<usize>,
    /// With `--index`: take the image from the training set.
    #[arg(long, conflicts_with = "test")]
    train: bool,
    /// With `--index`: take the image from the test set (the default).
    #[arg(long)]
    test: bool,
    /// A picture of a digit (PNG or JPEG, any size, grayscale or colour; dark ink on light
    /// paper is inverted; the ink is fitted and centred as MNIST's digits are).
    #[arg(long)]
    image: Option<PathBuf>,
    /// A `.npy` of images: `[784]`, `[28, 28]`, `[n, 784]` or `[n, 28, 28]`; uint8 pixels are
    /// divided by 255, floats are used as they are (scaled to [0, 1] like the training data).
    #[arg(long)]
    npy: Option<PathBuf>,
    /// Write the probabilities (`float32 [n, 10]`) to this `.npy` file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Directory with the MNIST files (for `--index`).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

/// The input rows `[n, 784]` and, for a single image, its pixels to draw and its label if known.
type Input = (Tensor<f32>, Option<Vec<u8>>, Option<u8>);

fn input(args: &PredictArgs) -> crate::CliResult<Input> {
    if let Some(i) = args.index {
        let which = if args.train { Which::Train } else { Which::Test };
        let (images, labels) = load_split(args.data_dir.as_deref(), which)?;
        let img = image_at(&images, i, which)?;
        let x = as_input(&img.reshape(&[1, 28, 28])?)?;
        return Ok((x, Some(img.to_vec()), Some(labels.get(&[i as isize])?)));
    }
    if let Some(p) = &args.image {
        let px = load_digit(p)?;
        let x = Tensor::from_vec(px.iter().map(|&v| v as f32 / 255.0).collect(), &[1, 784])?;
        return Ok((x, Some(px), None));
    }
    let p = args.npy.as_ref().ok_or("give one of --index, --image or --npy")?;
    let a = Array::read(p)?;
    let shape = a.shape().to_vec();
    let n = match shape[..] {
        [784] | [28, 28] => 1,
        [n, 784] | [n, 28, 28] => n,
        _ => {
            return Err(format!(
                "{}: shape {shape:?} is not [784], [28, 28], [n, 784] or [n, 28, 28]",
                p.display()
            )
            .into());
        }
    };
    let mut x = a.to_f32().reshape(&[n as isize, 784])?;
    if matches!(a, Array::U8(_)) {
        x /= 255.0;
    }
    let pixels = (n == 1).then(|| x.iter().map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8).collect());
    Ok((x, pixels, None))
}

/// A bar of `p`·40 cells.
fn bar(p: f32) -> String {
    let cells = (p.clamp(0.0, 1.0) * 40.0).round() as usize;
    "█".repeat(cells)
}

/// Runs the prediction and prints it.
pub fn run(args: &PredictArgs) -> crate::CliResult {
    let model = Sequential::load(&args.model)?;
    let (x, pixels, label) = input(args)?;
    let probs = mnist_probabilities(&model, &args.model, &x, 256)?;
    let rows: Vec<Vec<f32>> = probs.to_vec().chunks(10).map(<[f32]>::to_vec).collect();
    let best = |r: &[f32]| (0..10).fold(0, |b, i| if r[i] > r[b] { i } else { b });
    if let Some(px) = pixels {
        crate::out!("{}", digit_text(&px).trim_end());
        let r = &rows[0];
        let k = best(r);
        match label {
            Some(l) => crate::out!("predicted {k} ({:.1}%), label {l}", r[k] * 100.0),
            None => crate::out!("predicted {k} ({:.1}%)", r[k] * 100.0),
        }
        for (d, &p) in r.iter().enumerate() {
            crate::out!("{d} {:>6.2}% {}", p * 100.0, bar(p));
        }
    } else {
        crate::out!("{:>6}  {:>9}  {:>8}", "row", "predicted", "p");
        for (i, r) in rows.iter().enumerate() {
            let k = best(r);
            crate::out!("{i:>6}  {k:>9}  {:>8.4}", r[k]);
        }
    }
    if let Some(out) = &args.out {
        write_npy(out, &probs)?;
        crate::out!("wrote {} (float32 {:?})", out.display(), probs.shape());
    }
    Ok(())
}
