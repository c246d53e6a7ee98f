//! The GEMM ladder as a roofline-style chart: GFLOP/s of each tier at each shape, with the
//! measured FMA peak of one core (and of all the threads used) drawn as the ceiling.

use super::PicResult;
use super::charts::Chart;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One measured (tier, shape).
#[derive(Debug, Clone)]
pub struct LadderPoint {
    /// Tier name (`naive`, `packed-avx512`, `parallel-2`, ...).
    pub tier: String,
    /// Shape label.
    pub shape: String,
    /// Measured rate.
    pub gflops: f64,
}

/// Every point of one `bench gemm` run.
pub struct Ladder {
    /// Shape labels, in table order (the x axis).
    pub shapes: Vec<String>,
    /// Tier names, in table order (one line each).
    pub tiers: Vec<String>,
    /// The measurements.
    pub points: Vec<LadderPoint>,
    /// Measured FMA peak of one core for this dtype, GFLOP/s.
    pub peak: f64,
    /// The most threads any tier used.
    pub max_threads: usize,
    /// Title line (dtype, CPU, kernel).
    pub title: String,
}

impl Chart for Ladder {
    fn size(&self) -> (u32, u32) {
        (1100, 620)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PicResult<()>
    where
        DB::ErrorType: 'static,
    {
        let ceiling = self.peak * self.max_threads as f64;
        let top = self.points.iter().map(|p| p.gflops).fold(ceiling, f64::max) * 1.1;
        let n = self.shapes.len().max(1);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..top.max(1.0))?;
        let shapes = self.shapes.clone();
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&move |x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    shapes.get(i as usize).map_or(String::new(), |s| short(s))
                } else {
                    String::new()
                }
            })
            .y_desc("GFLOP/s")
            .label_style(("sans-serif", 14))
            .draw()?;
        let mut dashed = |y: f64, label: String, color: RGBColor| -> PicResult<()> {
            let pts: Vec<(f64, f64)> = (0..=4 * n).map(|i| (i as f64 / 4.0 - 0.5, y)).collect();
            chart.draw_series(DashedLineSeries::new(pts, 8, 6, color.stroke_width(2)))?;
            // Labelled at the right end, clear of the legend in the upper left.
            let style = TextStyle::from(("sans-serif", 14)).color(&color).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Bottom,
                ),
            );
            chart.draw_series([Text::new(label, (n as f64 - 0.55, y + top * 0.01), style)])?;
            Ok(())
        };
        dashed(self.peak, format!("FMA peak, 1 core: {:.0} GFLOP/s", self.peak), RGBColor(90, 90, 90))?;
        if self.max_threads > 1 {
            dashed(
                ceiling,
                format!("FMA peak, {} cores: {ceiling:.0}", self.max_threads),
                RGBColor(160, 160, 160),
            )?;
        }
        for (i, tier) in self.tiers.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            let pts: Vec<(f64, f64)> = self
                .shapes
                .iter()
                .enumerate()
                .filter_map(|(x, s)| {
                    self.points
                        .iter()
                        .find(|p| &p.tier == tier && &p.shape == s)
                        .map(|p| (x as f64, p.gflops))
                })
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?
                .label(tier.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
            chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()?;
        Ok(())
    }
}

/// The first word of a shape label (`fwd1 128x784.784x512` -> `fwd1`), to fit under the axis.
fn short(label: &str) -> String {
    label.split_whitespace().next().unwrap_or(label).to_string()
}
