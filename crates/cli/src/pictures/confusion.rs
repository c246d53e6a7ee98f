//! The confusion matrix as a heat map: row = true digit, column = predicted digit, each cell's
//! count printed on it and its shade the count's share of the row.

use super::PicResult;
use super::charts::Chart;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Counts `[truth][prediction]` for ten classes.
pub struct Confusion {
    /// `counts[t][p]`: samples of class `t` predicted as `p`.
    pub counts: [[usize; 10]; 10],
    /// Title line.
    pub title: String,
}

impl Chart for Confusion {
    fn size(&self) -> (u32, u32) {
        (720, 720)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PicResult<()>
    where
        DB::ErrorType: 'static,
    {
        // Segmented axes put each digit's label at the centre of its cell; row t is drawn at
        // y = 9 - t so that 0 is on top, as a matrix is read.
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(50)
            .build_cartesian_2d((0i32..9).into_segmented(), (0i32..9).into_segmented())?;
        let digit = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(d) => d.to_string(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("predicted")
            .y_desc("true")
            .x_labels(10)
            .y_labels(10)
            .x_label_formatter(&digit)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(d) => (9 - d).to_string(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 16))
            .draw()?;
        let centred = TextStyle::from(("sans-serif", 15)).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        for t in 0..10 {
            let total = self.counts[t].iter().sum::<usize>().max(1) as f64;
            for p in 0..10 {
                let share = self.counts[t][p] as f64 / total;
                // Diagonal cells green, errors red, both fading to white at zero; errors are
                // rare, so their shade is stretched eightfold to be seen.
                let (r, g, b) = if t == p { (0.0, 0.55, 0.25) } else { (0.8, 0.1, 0.1) };
                let strength = if t == p { share } else { (share * 8.0).min(1.0) };
                let mix = |c: f64| (255.0 - (255.0 - 255.0 * c) * strength).round() as u8;
                let (x, y) = (p as i32, 9 - t as i32);
                let corners = [
                    (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                ];
                chart.draw_series([Rectangle::new(corners, RGBColor(mix(r), mix(g), mix(b)).filled())])?;
                let ink = if strength > 0.6 { WHITE } else { BLACK };
                let at = (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y));
                chart.draw_series([Text::new(self.counts[t][p].to_string(), at, centred.color(&ink))])?;
            }
        }
        Ok(())
    }
}
