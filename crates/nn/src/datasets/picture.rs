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

use image::imageops::{FilterType, resize};
use image::{GrayImage, ImageBuffer, Luma, Rgba};

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
    // Borrowed, not copied: a canvas hands over every pixel on each stroke.
    let img = ImageBuffer::<Rgba<u8>, &[u8]>::from_raw(width, height, rgba)?;
    let gray = GrayImage::from_fn(width, height, |x, y| {
        let [r, g, b, a] = img.get_pixel(x, y).0;
        let lum = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
        let a = a as f32 / 255.0;
        Luma([(lum * a + 255.0 * (1.0 - a)).round() as u8])
    });
    let pixels = (width as f64 * height as f64).max(1.0);
    let mean = gray.pixels().map(|p| p.0[0] as f64).sum::<f64>() / pixels;
    let ink = if mean > 127.5 {
        GrayImage::from_fn(width, height, |x, y| Luma([255 - gray.get_pixel(x, y).0[0]]))
    } else {
        gray
    };
    mnist_like(&ink)
}

/// Crops `ink` to its ink, fits it in 20×20 and centres its mass in 28×28; `None` when blank.
pub fn mnist_like(ink: &GrayImage) -> Option<Vec<u8>> {
    let max = ink.pixels().map(|p| p.0[0]).max()?;
    let threshold = (max / 5).max(1);
    let inked = |p: &Luma<u8>| p.0[0] >= threshold;
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in ink.enumerate_pixels() {
        if inked(p) {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
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
