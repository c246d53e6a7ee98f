//! Pictures: what a person would rather look at than read. Pixel pictures (a digit, the weight
//! mosaic) are written with `image`; charts (training curves, the confusion matrix, the GEMM
//! ladder) with `plotters`, as `.png` or `.svg` by the file's extension. Text in PNG charts uses
//! a font compiled into the binary, so pictures look the same on a machine with no fonts.

mod charts;
mod confusion;
mod ladder;
mod pixels;

pub use charts::{Curves, save_chart};
pub use confusion::Confusion;
pub use ladder::{Ladder, LadderPoint};
pub use pixels::{digit_png, mosaic_png};

/// Errors from drawing and writing pictures.
pub type PicResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;
