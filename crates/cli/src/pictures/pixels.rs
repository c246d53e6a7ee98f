//! Pixel pictures: a digit as `plt.imshow(digit, cmap=plt.cm.binary)` shows it, and a layer's
//! weights as a mosaic of input-shaped tiles.

use super::PicResult;
use image::{GrayImage, Luma};
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

/// Shades a side of the diverging palette (more are not told apart by eye, and a small palette
/// keeps the PNG small).
const SHADES: i32 = 12;

/// The palette: index 0 the frame, then blue (negative) through white (0) to red (positive).
fn palette() -> Vec<u8> {
    let mut p = vec![40, 40, 40];
    for k in -SHADES..=SHADES {
        let fade = (255.0 * (1.0 - (k.abs() as f32 / SHADES as f32))).round() as u8;
        p.extend_from_slice(&if k >= 0 { [255, fade, fade] } else { [fade, fade, 255] });
    }
    p
}

/// The palette index for `v` in [-1, 1].
fn shade(v: f32) -> u8 {
    ((v.clamp(-1.0, 1.0) * SHADES as f32).round() as i32 + SHADES + 1) as u8
}

/// Writes the columns of a `[side·side, units]` kernel as a grid of `side`×`side` tiles, `cols`
/// tiles wide: tile `u` shows which input pixels raise (red) or lower (blue) unit `u`, each
/// tile scaled to its own largest |weight| so faint units stay visible. An indexed-colour PNG.
pub fn mosaic_png(
    kernel: &[f32],
    side: usize,
    units: usize,
    cols: usize,
    scale: u32,
    path: &Path,
) -> PicResult<()> {
    let rows = units.div_ceil(cols);
    let cell = side * scale as usize + 2;
    let (w, h) = (cols * cell + 2, rows * cell + 2);
    let mut img = vec![0u8; w * h];
    let scale = scale as usize;
    for u in 0..units {
        let weight = |p: usize| kernel[p * units + u];
        let max = (0..side * side).map(|p| weight(p).abs()).fold(f32::MIN_POSITIVE, f32::max);
        let (x0, y0) = ((u % cols) * cell + 2, (u / cols) * cell + 2);
        for p in 0..side * side {
            let c = shade(weight(p) / max);
            let (px, py) = (x0 + (p % side) * scale, y0 + (p / side) * scale);
            for dy in 0..scale {
                img[(py + dy) * w + px..][..scale].fill(c);
            }
        }
    }
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| fail(&e))?);
    let mut enc = png::Encoder::new(file, w as u32, h as u32);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(palette());
    enc.set_compression(png::Compression::High);
    let mut writer = enc.write_header().map_err(|e| fail(&e))?;
    writer.write_image_data(&img).map_err(|e| fail(&e))?;
    writer.finish().map_err(|e| fail(&e))?;
    Ok(())
}
