//! Draw a digit: a model saved by `tessera mnist --save` reads the canvas, and the page shows
//! the ten probabilities and which hidden units fire, with the weights each one looks at.

use serde_json::json;
use std::path::Path;
use tessera_autograd::{Var, no_grad};
use tessera_nn::Sequential;
use tessera_nn::datasets::picture::mnist_like_rgba;
use tessera_tensor::Tensor;

/// How many of the strongest hidden units a prediction reports.
pub const TOP_UNITS: usize = 8;

/// A loaded model and its first layer's weights, for the tiles.
pub struct Digit {
    model: Sequential,
    /// The first layer's kernel, `[784, hidden]`, row-major.
    w1: Vec<f32>,
    hidden: usize,
}

/// What one drawing gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The 28×28 pixels the model saw (MNIST-like: cropped, scaled, centred).
    pub pixels: Vec<u8>,
    /// The ten class probabilities.
    pub probs: Vec<f32>,
    /// The most probable class.
    pub digit: usize,
    /// `(unit, activation)` of the strongest hidden units, strongest first.
    pub top_units: Vec<(usize, f32)>,
}

impl Digit {
    /// Loads a model file's bytes: a Dense network taking 784 pixels and giving 10 classes.
    pub fn new(bytes: &[u8]) -> Result<Digit, String> {
        let model =
            Sequential::from_bytes(bytes, Path::new("model.safetensors")).map_err(|e| e.to_string())?;
        let layers = model.layers();
        let first = match (layers.first(), layers.last()) {
            (Some(f), Some(l)) if f.input_dim == Some(784) && l.units == 10 && layers.len() >= 2 => f,
            _ => return Err("the model must take 784 pixels, have a hidden layer and give 10 classes".into()),
        };
        let kernel = first.kernel.as_ref().ok_or("the model's first layer has no weights")?;
        Ok(Digit { w1: kernel.value().to_vec(), hidden: first.units, model })
    }

    /// Predicts the digit in an RGBA canvas (`width × height`); `Ok(None)` when it is blank.
    pub fn predict(&self, rgba: &[u8], width: u32, height: u32) -> Result<Option<Prediction>, String> {
        let Some(pixels) = mnist_like_rgba(rgba, width, height) else {
            return Ok(None);
        };
        let x: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
        let x = Tensor::from_vec(x, &[1, 784]).map_err(|e| e.to_string())?;
        let (hidden, probs) = no_grad(|| -> Result<_, String> {
            let mut h = Var::constant(x);
            let mut first = None;
            for layer in self.model.layers() {
                h = layer.forward(&h).map_err(|e| e.to_string())?;
                first.get_or_insert_with(|| h.value().to_vec());
            }
            Ok((first.unwrap_or_default(), h.value().to_vec()))
        })?;
        let digit = (0..probs.len()).max_by(|&a, &b| probs[a].total_cmp(&probs[b])).unwrap_or(0);
        let mut units: Vec<(usize, f32)> = hidden.into_iter().enumerate().collect();
        units.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        units.truncate(TOP_UNITS);
        Ok(Some(Prediction { pixels, probs, digit, top_units: units }))
    }

    /// Hidden unit `unit`'s 784 input weights as a 28×28 RGBA tile: red where ink raises the
    /// unit's input, blue where it lowers it, scaled to the column's largest magnitude.
    pub fn unit_tile(&self, unit: usize) -> Result<Vec<u8>, String> {
        if unit >= self.hidden {
            return Err(format!("no hidden unit {unit} (there are {})", self.hidden));
        }
        let column: Vec<f32> = (0..784).map(|i| self.w1[i * self.hidden + unit]).collect();
        let scale = column.iter().fold(0.0f32, |m, w| m.max(w.abs())).max(f32::MIN_POSITIVE);
        Ok(column
            .iter()
            .flat_map(|&w| {
                let t = (w / scale).clamp(-1.0, 1.0);
                let fade = |v: f32| (255.0 * (1.0 - v.abs())).round() as u8;
                if t >= 0.0 { [255, fade(t), fade(t), 255] } else { [fade(t), fade(t), 255, 255] }
            })
            .collect())
    }

    /// The page's JSON for one drawing: `{"blank": true}`, the prediction, or `{"error": ..}`.
    pub fn predict_json(&self, rgba: &[u8], width: u32, height: u32) -> String {
        match self.predict(rgba, width, height) {
            Ok(None) => json!({ "blank": true }).to_string(),
            Ok(Some(p)) => json!({
                "pixels": p.pixels,
                "probs": p.probs,
                "digit": p.digit,
                "top_units": p.top_units.iter().map(|(u, a)| json!({"unit": u, "activation": a})).collect::<Vec<_>>(),
            })
            .to_string(),
            Err(e) => json!({ "error": e }).to_string(),
        }
    }
}
