//! `tessera weights`: what each hidden unit looks at. The first layer's kernel `[784, units]`
//! has one column per unit; drawn as a 28×28 tile, a column shows which pixels raise (red) or
//! lower (blue) that unit's input.

use crate::pictures::mosaic_png;
use clap::Args;
use std::path::PathBuf;
use tessera_nn::Sequential;

/// Flags of `tessera weights`.
#[derive(Args, Debug)]
pub struct WeightsArgs {
    /// The model file (`tessera mnist --save`).
    #[arg(long)]
    model: PathBuf,
    /// Where to write the mosaic.
    #[arg(long)]
    png: PathBuf,
    /// Tiles per row of the mosaic.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    cols: u32,
    /// Screen pixels per weight.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=16))]
    scale: u32,
}

/// Draws the mosaic and prints what it shows.
pub fn run(args: &WeightsArgs) -> crate::CliResult {
    let model = Sequential::load(&args.model)?;
    let first = &model.layers()[0];
    let kernel = first.kernel.as_ref().ok_or("the first layer has no kernel")?.value().to_contiguous();
    let (inputs, units) = (kernel.shape()[0], kernel.shape()[1]);
    let side = (inputs as f64).sqrt().round() as usize;
    if side * side != inputs {
        return Err(format!("the first layer takes {inputs} inputs, not a square image").into());
    }
    let w = kernel.to_vec();
    let (lo, hi) = w.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    mosaic_png(&w, side, units, args.cols as usize, args.scale, &args.png)?;
    crate::out!(
        "dense_1 kernel [{inputs}, {units}]: {units} tiles of {side}x{side}, weights from {lo:.4} to {hi:.4}; red raises the unit, blue lowers it (each tile scaled to its own largest |weight|)"
    );
    crate::out!("wrote {}", args.png.display());
    Ok(())
}
