//! Charts with plotters, to PNG (pixels, with the built-in font) or SVG (text left to the
//! viewer), chosen by the file's extension; and the training curves.

use super::PicResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PicResult<()>
    where
        DB::ErrorType: 'static;
}

/// Registers the font compiled into the binary as plotters' `sans-serif`, once.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped by the crate; a failure would only lose text.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// Writes `chart` to `path`: `.svg` as SVG, anything else as PNG.
pub fn save_chart(chart: &impl Chart, path: &Path) -> PicResult<()> {
    let (w, h) = chart.size();
    let svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    // SVG text is drawn by the viewer, but laying it out needs the font's measurements too.
    register_font();
    if svg {
        let root = SVGBackend::new(path, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
        return Ok(());
    }
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    image::save_buffer(path, &buf, w, h, image::ColorType::Rgb8)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// Loss and accuracy per epoch, training and (when present) validation.
pub struct Curves {
    /// Training loss per epoch.
    pub loss: Vec<f64>,
    /// Training accuracy per epoch.
    pub accuracy: Vec<f64>,
    /// Validation loss per epoch (empty when there was none).
    pub val_loss: Vec<f64>,
    /// Validation accuracy per epoch.
    pub val_accuracy: Vec<f64>,
    /// Title line.
    pub title: String,
}

const TRAIN: RGBColor = RGBColor(31, 119, 180);
const VAL: RGBColor = RGBColor(255, 127, 14);

impl Curves {
    fn panel<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        name: &str,
        train: &[f64],
        val: &[f64],
    ) -> PicResult<()>
    where
        DB::ErrorType: 'static,
    {
        let all = train.iter().chain(val).copied();
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let pad = ((hi - lo) * 0.1).max(1e-3);
        let epochs = train.len().max(val.len()).max(2);
        let mut chart = ChartBuilder::on(area)
            .caption(name, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(1f64..epochs as f64, (lo - pad)..(hi + pad))?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .x_labels(epochs)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.3}"))
            .label_style(("sans-serif", 15))
            .draw()?;
        for (series, color, label) in [(train, TRAIN, "train"), (val, VAL, "validation")] {
            if series.is_empty() {
                continue;
            }
            let pts: Vec<(f64, f64)> = series.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v)).collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(("sans-serif", 15))
            .draw()?;
        Ok(())
    }
}

impl Chart for Curves {
    fn size(&self) -> (u32, u32) {
        (1000, 420)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PicResult<()>
    where
        DB::ErrorType: 'static,
    {
        let root = root.titled(&self.title, ("sans-serif", 20))?;
        let halves = root.split_evenly((1, 2));
        Curves::panel(&halves[0], "loss", &self.loss, &self.val_loss)?;
        Curves::panel(&halves[1], "accuracy", &self.accuracy, &self.val_accuracy)?;
        Ok(())
    }
}
