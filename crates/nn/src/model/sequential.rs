//! The model: layers in order, plus what `compile` chose.

use crate::dense::Dense;
use crate::error::{NnError, Result};
use crate::losses::Loss;
use crate::metrics::{Metric, correct};
use crate::optimizers::Optimizer;
use tessera_autograd::{Var, no_grad};
use tessera_tensor::{Rng, SliceArg, Tensor};

/// A linear stack of `Dense` layers (Keras' `Sequential`).
pub struct Sequential {
    pub(crate) layers: Vec<Dense>,
    pub(crate) optimizer: Option<Box<dyn Optimizer>>,
    pub(crate) loss: Option<Loss>,
    pub(crate) metrics: Vec<Metric>,
    pub(crate) rng: Rng,
    /// The seed `rng` started from (recorded in model files).
    pub(crate) seed: u64,
    /// Epochs trained so far and the last batch size (recorded in model files).
    pub(crate) epochs_trained: usize,
    pub(crate) batch_size: Option<usize>,
}

impl Sequential {
    /// An empty model whose initialisation and shuffling draw from `Rng::seed(seed)`.
    pub fn new(seed: u64) -> Sequential {
        Sequential {
            layers: Vec::new(),
            optimizer: None,
            loss: None,
            metrics: Vec::new(),
            rng: Rng::seed(seed),
            seed,
            epochs_trained: 0,
            batch_size: None,
        }
    }

    /// Appends a layer.
    pub fn add(&mut self, layer: Dense) {
        self.layers.push(layer);
    }

    /// The layers.
    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }

    /// Chooses optimizer, loss and metrics, and builds the weights (the first layer must know
    /// its input width).
    ///
    /// ```
    /// use tessera_nn::{Activation, Dense, Loss, Metric, RMSprop, Sequential};
    /// let mut model = Sequential::new(0);
    /// model.add(Dense::new(512, Activation::Relu).input_dim(784));
    /// model.add(Dense::new(10, Activation::Softmax));
    /// model.compile(RMSprop::default(), Loss::CategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    /// assert_eq!(model.count_params(), 407_050);
    /// ```
    pub fn compile(
        &mut self,
        optimizer: impl Optimizer + 'static,
        loss: Loss,
        metrics: &[Metric],
    ) -> Result<()> {
        let first =
            self.layers.first().ok_or_else(|| NnError::Model("compile: the model has no layers".into()))?;
        let mut width = first.input_dim.ok_or_else(|| {
            NnError::Model("compile: the first layer needs input_dim (Keras' input_shape)".into())
        })?;
        for layer in &mut self.layers {
            layer.build(width, &mut self.rng)?;
            width = layer.units;
        }
        self.optimizer = Some(Box::new(optimizer));
        self.loss = Some(loss);
        self.metrics = metrics.to_vec();
        Ok(())
    }

    /// All trainable parameters, layer by layer (`kernel`, `bias`).
    pub fn params(&self) -> Vec<Var<f32>> {
        self.layers.iter().flat_map(|l| l.params()).collect()
    }

    /// Total trainable scalars.
    pub fn count_params(&self) -> usize {
        self.layers.iter().map(|l| l.count_params()).sum()
    }

    /// Forward pass: the last layer's pre-activation (logits) and its output.
    pub(crate) fn forward(&self, x: &Var<f32>) -> Result<(Var<f32>, Var<f32>)> {
        let z = self.logits(x)?;
        let out = self.output(&z)?;
        Ok((z, out))
    }

    /// Every layer but the last one's activation: the logits.
    pub(crate) fn logits(&self, x: &Var<f32>) -> Result<Var<f32>> {
        self.last_logits(&self.hidden(x)?)
    }

    /// The output of every layer but the last, for `x`.
    pub(crate) fn hidden(&self, x: &Var<f32>) -> Result<Var<f32>> {
        let (_, hidden) =
            self.layers.split_last().ok_or_else(|| NnError::Model("the model has no layers".into()))?;
        let mut h = x.clone();
        for layer in hidden {
            h = layer.forward(&h)?;
        }
        Ok(h)
    }

    /// The last layer's pre-activation for `h`, the output of [`Sequential::hidden`].
    pub(crate) fn last_logits(&self, h: &Var<f32>) -> Result<Var<f32>> {
        let last = self.layers.last().ok_or_else(|| NnError::Model("the model has no layers".into()))?;
        last.pre_activation(h)
    }

    /// The last layer's activation applied to the logits: the model's output.
    fn output(&self, z: &Var<f32>) -> Result<Var<f32>> {
        self.layers.last().map_or_else(|| Ok(z.clone()), |l| l.activation.apply(z))
    }

    /// The loss of one batch from the logits `z` (and the output, when already computed): fused on
    /// the logits for softmax + crossentropy (see `losses`), so training never computes the
    /// softmax itself.
    pub(crate) fn batch_loss(&self, z: &Var<f32>, out: Option<&Var<f32>>, t: &Var<f32>) -> Result<Var<f32>> {
        let loss = self.loss.ok_or_else(|| NnError::Model("compile the model before training".into()))?;
        let softmax = self.layers.last().is_some_and(|l| l.activation == crate::Activation::Softmax);
        if softmax && loss.fuses_with_softmax() {
            loss.on_softmax_logits(z, t)
        } else {
            match out {
                Some(out) => loss.on_probabilities(out, t),
                None => loss.on_probabilities(&self.output(z)?, t),
            }
        }
    }

    fn check_input(&self, x: &Tensor<f32>) -> Result<()> {
        let want = self.layers.first().and_then(|l| l.input_dim);
        if x.ndim() != 2 || Some(x.shape()[1]) != want {
            return Err(NnError::Model(format!(
                "input must be [n, {}], got {:?}",
                want.unwrap_or(0),
                x.shape()
            )));
        }
        Ok(())
    }

    /// Output probabilities for `x` `[n, features]`, in batches.
    pub fn predict(&self, x: &Tensor<f32>, batch_size: usize) -> Result<Tensor<f32>> {
        self.check_input(x)?;
        check_batch("predict", batch_size)?;
        if x.shape()[0] == 0 {
            return Ok(Tensor::zeros(&[0, self.layers.last().map_or(0, |l| l.units)]));
        }
        let mut parts = Vec::new();
        no_grad(|| -> Result<()> {
            for start in (0..x.shape()[0]).step_by(batch_size) {
                let end = (start + batch_size).min(x.shape()[0]);
                let xb = x.slice(&[SliceArg::from(start..end)])?;
                parts.push(self.forward(&Var::constant(xb))?.1.value());
            }
            Ok(())
        })?;
        let refs: Vec<&Tensor<f32>> = parts.iter().collect();
        Ok(tessera_tensor::concatenate(&refs, 0)?)
    }

    /// `(loss, accuracy)` over `x`, `y` (one-hot or integer labels, per the compiled loss).
    pub fn evaluate(&self, x: &Tensor<f32>, y: &Tensor<f32>, batch_size: usize) -> Result<(f64, f64)> {
        self.check_input(x)?;
        check_batch("evaluate", batch_size)?;
        if y.shape().first() != x.shape().first() {
            return Err(NnError::Model(format!(
                "evaluate: x {:?} and y {:?} must have the same number of rows",
                x.shape(),
                y.shape()
            )));
        }
        let loss = self.loss.ok_or_else(|| NnError::Model("compile the model before evaluate".into()))?;
        let classes = self.layers.last().map_or(0, |l| l.units);
        let n = x.shape()[0];
        if n == 0 {
            return Err(NnError::Model("evaluate: no samples (x has 0 rows)".into()));
        }
        let (mut total, mut right) = (0.0f64, 0usize);
        no_grad(|| -> Result<()> {
            for start in (0..n).step_by(batch_size) {
                let end = (start + batch_size).min(n);
                let xb = Var::constant(x.slice(&[SliceArg::from(start..end)])?);
                let yb = y.slice(&[SliceArg::from(start..end)])?;
                let t = Var::constant(loss.dense_targets(&yb, classes)?);
                let (z, out) = self.forward(&xb)?;
                total += self.batch_loss(&z, Some(&out), &t)?.value().item()? as f64 * (end - start) as f64;
                right += correct(&out.value(), &yb)?;
            }
            Ok(())
        })?;
        Ok((total / n as f64, right as f64 / n as f64))
    }

    /// Keras-style table of layers, output shapes and parameter counts.
    ///
    /// ```
    /// use tessera_nn::{Activation, Dense, Loss, RMSprop, Sequential};
    /// let mut m = Sequential::new(0);
    /// m.add(Dense::new(512, Activation::Relu).input_dim(784));
    /// m.add(Dense::new(10, Activation::Softmax));
    /// m.compile(RMSprop::default(), Loss::CategoricalCrossentropy, &[]).unwrap();
    /// assert!(m.summary().contains("Total params: 407,050"));
    /// ```
    pub fn summary(&self) -> String {
        let mut s = String::from("Model: \"sequential\"\n");
        let rule = "─".repeat(64);
        s += &format!("{rule}\n{:<28}{:<22}{:>14}\n{rule}\n", "Layer (type)", "Output Shape", "Param #");
        for (i, l) in self.layers.iter().enumerate() {
            let name = format!("dense_{} (Dense, {})", i + 1, l.activation.name());
            s += &format!(
                "{:<28}{:<22}{:>14}\n",
                name,
                format!("(None, {})", l.units),
                group(l.count_params())
            );
        }
        let total = group(self.count_params());
        s += &format!("{rule}\nTotal params: {total}\nTrainable params: {total}\nNon-trainable params: 0\n");
        s
    }
}

fn check_batch(op: &str, batch_size: usize) -> Result<()> {
    if batch_size == 0 {
        return Err(NnError::Model(format!("{op}: batch_size must be at least 1")));
    }
    Ok(())
}

/// 407050 -> "407,050".
fn group(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
