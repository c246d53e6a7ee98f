//! A picture of a digit made to look like MNIST's: what `tessera predict --image` and the browser
//! lab's canvas feed the model.
//!
//! MNIST's digits are white ink on black, their ink fitted into a 20×20 box and placed in a 28×28
//! field with the ink's centre of mass at the centre. A photo or a drawing is made so too:
//!
//! 1. any size, grayscale or RGB(A) (transparent pixels count as white paper);
//! 2. inverted when it is dark ink on light paper (mean brightness above half);
//! 3. cropped to the ink (pixels above a fifth of the brightest), scaled so its longer side is
//!    20 pixels, and centred by its centre of mass in 28×28.

use image::GrayImage;
use image::imageops::{FilterType, resize};

/// The 784 pixels (`u8`, row-major, ink bright) of the digit in an RGBA picture (`width ×
/// height`, 4 bytes per pixel, as a decoded image or a canvas gives them); `None` when the
/// buffer's length does not match or the picture is blank.
///
/// ```
/// use tessera_nn::datasets::picture::mnist_like_rgba;
/// // A black vertical bar on white paper, 40×40.
/// let rgba: Vec<u8> = (0..40 * 40)
///     .flat_map(|i| if (18..22).contains(&(i % 40)) { [0, 0, 0, 255] } else { [255; 4] })
///     .collect();
/// let px = mnist_like_rgba(&rgba, 40, 40).unwrap();
/// assert!(px[14 * 28 + 14] > 100 && px[14 * 28 + 2] == 0); // bright ink in the middle column
/// assert!(mnist_like_rgba(&[255; 16], 2, 2).is_none()); // blank
/// ```
pub fn mnist_like_rgba(rgba: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let pixels = (width as usize).checked_mul(height as usize)?;
    if rgba.len() != pixels.checked_mul(4)? {
        return None;
    }
    // One pass over the picture (a canvas hands over every pixel on each stroke): the gray
    // level over white paper, and the sum for the mean. A plain loop over zipped slices: no
    // bounds check per pixel, and no closure an iterator chain could leave uninlined.
    let mut gray = vec![0u8; pixels];
    let mut sum = 0u64;
    for (v, p) in gray.iter_mut().zip(rgba.chunks_exact(4)) {
        *v = gray_over_white([p[0], p[1], p[2], p[3]]);
        sum += u64::from(*v);
    }
    // Mean above half (sum / pixels > 127.5): dark ink on light paper, so invert.
    if 2 * sum > 255 * pixels as u64 {
        for v in &mut gray {
            *v = 255 - *v;
        }
    }
    mnist_like(&GrayImage::from_raw(width, height, gray)?)
}

/// The luma (ITU-R 601 weights) of an RGBA pixel laid over white paper, rounded to nearest, in
/// integers: `(luma · a + 255 · (255 - a)) / 255` with the weights in thousandths.
#[inline]
fn gray_over_white([r, g, b, a]: [u8; 4]) -> u8 {
    if r == g && g == b && a == 255 {
        return r; // an opaque gray (all of a canvas drawn in black on white): the weights sum to 1
    }
    let luma = 299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b); // <= 255_000
    let a = u32::from(a);
    let scaled = luma * a + 255_000 * (255 - a); // <= 65_025_000
    ((scaled + 127_500) / 255_000) as u8
}

/// Crops `ink` to its ink, fits it in 20×20 and centres its mass in 28×28; `None` when blank.
pub fn mnist_like(ink: &GrayImage) -> Option<Vec<u8>> {
    if ink.as_raw().is_empty() {
        return None;
    }
    let mut max = 0u8;
    for &v in ink.as_raw() {
        max = max.max(v);
    }
    let threshold = (max / 5).max(1);
    // The ink's bounding box, a row at a time.
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    let width = ink.width() as usize;
    for (y, row) in ink.as_raw().chunks_exact(width.max(1)).enumerate() {
        if let (Some(first), Some(last)) =
            (row.iter().position(|&p| p >= threshold), row.iter().rposition(|&p| p >= threshold))
        {
            (x0, x1) = (x0.min(first as u32), x1.max(last as u32));
            (y0, y1) = (y0.min(y as u32), y as u32);
        }
    }
    if x0 > x1 {
        return None;
    }
    let crop = image::imageops::crop_imm(ink, x0, y0, x1 - x0 + 1, y1 - y0 + 1).to_image();
    let (cw, ch) = crop.dimensions();
    let s = 20.0 / cw.max(ch) as f64;
    let (nw, nh) = (((cw as f64 * s).round() as u32).max(1), ((ch as f64 * s).round() as u32).max(1));
    let small = resize(&crop, nw, nh, FilterType::Triangle);
    // Centre of mass of the scaled ink, then the offset that puts it at (14, 14).
    let (mut sum, mut mx, mut my) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y, p) in small.enumerate_pixels() {
        let v = p.0[0] as f64;
        (sum, mx, my) = (sum + v, mx + v * x as f64, my + v * y as f64);
    }
    let (cx, cy) = if sum > 0.0 { (mx / sum, my / sum) } else { (nw as f64 / 2.0, nh as f64 / 2.0) };
    let left = ((14.0 - cx).round() as i64).clamp(0, 28 - nw as i64);
    let top = ((14.0 - cy).round() as i64).clamp(0, 28 - nh as i64);
    let mut out = vec![0u8; 784];
    for (x, y, p) in small.enumerate_pixels() {
        out[(top as usize + y as usize) * 28 + left as usize + x as usize] = p.0[0];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gray_over_white_is_the_rounded_luma_blended_with_white() {
        assert_eq!(gray_over_white([255, 255, 255, 255]), 255);
        assert_eq!(gray_over_white([0, 0, 0, 255]), 0);
        assert_eq!(gray_over_white([0, 0, 0, 0]), 255); // transparent: the paper
        assert_eq!(gray_over_white([255, 0, 0, 255]), 76); // 0.299 · 255 = 76.2
        for (r, g, b) in [(0, 0, 0), (255, 255, 255), (12, 200, 77), (255, 0, 255), (3, 4, 5), (9, 9, 9)] {
            for a in 0..=255u8 {
                let luma = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
                let a_f = a as f64 / 255.0;
                let exact = luma * a_f + 255.0 * (1.0 - a_f);
                let got = gray_over_white([r, g, b, a]) as f64;
                assert!((got - exact).abs() <= 0.5 + 1e-9, "{r},{g},{b},{a}: {got} vs {exact}");
            }
        }
    }

    #[test]
    fn a_picture_whose_length_does_not_match_is_refused() {
        assert!(mnist_like_rgba(&[0; 15], 2, 2).is_none());
        assert!(mnist_like_rgba(&[0; 20], 2, 2).is_none());
        assert!(mnist_like_rgba(&[], u32::MAX, u32::MAX).is_none());
    }
}
