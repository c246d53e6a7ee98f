//! Pixel pictures: a digit as `plt.imshow(digit, cmap=plt.cm.binary)` shows it, and a layer's
//! weights as a mosaic of input-shaped tiles.

use super::PicResult;
use image::{GrayImage, Luma, Rgb, RgbImage};
use std::path::Path;

/// Writes a 28×28 `u8` digit (row-major) as a PNG, each pixel a `scale`×`scale` block, ink black
/// on white (the `binary` colormap: 0 is white, 255 black).
pub fn digit_png(pixels: &[u8], side: usize, scale: u32, path: &Path) -> PicResult<()> {
    let px = side as u32 * scale;
    let img = GrayImage::from_fn(px, px, |x, y| {
        let v = pixels[(y / scale) as usize * side + (x / scale) as usize];
        Luma([255 - v])
    });
    img.save(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// A diverging colour for `v` in [-1, 1]: blue for negative, white for 0, red for positive.
fn diverging(v: f32) -> Rgb<u8> {
    let t = v.clamp(-1.0, 1.0);
    let fade = |a: f32| (255.0 * (1.0 - a)).round() as u8;
    if t >= 0.0 { Rgb([255, fade(t), fade(t)]) } else { Rgb([fade(-t), fade(-t), 255]) }
}

/// Writes the columns of a `[side·side, units]` kernel as a grid of `side`×`side` tiles, `cols`
/// tiles wide: tile `u` shows which input pixels raise (red) or lower (blue) unit `u`, each
/// tile scaled to its own largest |weight| so faint units stay visible.
pub fn mosaic_png(
    kernel: &[f32],
    side: usize,
    units: usize,
    cols: usize,
    scale: u32,
    path: &Path,
) -> PicResult<()> {
    let rows = units.div_ceil(cols);
    let cell = side as u32 * scale + 2;
    let mut img = RgbImage::from_pixel(cols as u32 * cell + 2, rows as u32 * cell + 2, Rgb([40, 40, 40]));
    for u in 0..units {
        let w = |p: usize| kernel[p * units + u];
        let max = (0..side * side).map(|p| w(p).abs()).fold(f32::MIN_POSITIVE, f32::max);
        let (x0, y0) = ((u % cols) as u32 * cell + 2, (u / cols) as u32 * cell + 2);
        for p in 0..side * side {
            let c = diverging(w(p) / max);
            let (px, py) = ((p % side) as u32 * scale, (p / side) as u32 * scale);
            for dy in 0..scale {
                for dx in 0..scale {
                    img.put_pixel(x0 + px + dx, y0 + py + dy, c);
                }
            }
        }
    }
    img.save(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}
