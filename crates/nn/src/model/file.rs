//! Model files: a [`Sequential`] saved as safetensors, rebuilt from the file alone.
//!
//! Tensors `dense_<i>.kernel` (`[in, units]`) and `dense_<i>.bias` (`[units]`), float32,
//! little-endian, for layers `i = 1, 2, ...` as `summary()` names them. The header's metadata
//! (string to string, as the format requires) holds:
//!
//! | key | value |
//! |---|---|
//! | `format` | `tessera.sequential` |
//! | `format_version` | `1` (files of this version load in every later Tessera) |
//! | `tessera_version` | the crate version that wrote the file |
//! | `layers` | JSON: `[{"type": "dense", "units": 512, "activation": "relu", "input_dim": 784}, ...]` |
//! | `training` | JSON: seed, epochs and batch size trained, loss, metrics, optimizer and its config |
//!
//! Python reads the same file with `safetensors.numpy.load_file` (see `scripts/model_check.py`).

use super::Sequential;
use crate::activation::Activation;
use crate::dense::Dense;
use crate::error::{NnError, Result};
use crate::losses::Loss;
use crate::metrics::Metric;
use crate::optimizers::from_config;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use tessera_autograd::Var;
use tessera_tensor::Tensor;

/// The `format` metadata value of a Tessera model file.
pub const FORMAT: &str = "tessera.sequential";
/// The newest format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

fn bad(path: &Path, reason: impl Into<String>) -> NnError {
    NnError::Format { path: path.to_path_buf(), reason: reason.into() }
}

impl Sequential {
    /// Writes the model (architecture, weights, training config) to `path` as safetensors. The
    /// file is written beside `path` and renamed into place, so a failed save leaves any older
    /// file whole.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut layers = Vec::new();
        let mut tensors: Vec<(String, Vec<u8>, Vec<usize>)> = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            let (Some(k), Some(b)) = (&l.kernel, &l.bias) else {
                return Err(NnError::Model(format!(
                    "save: Dense({}) is not built: compile the model first",
                    l.units
                )));
            };
            layers.push(json!({"type": "dense", "units": l.units, "activation": l.activation.name(), "input_dim": l.input_dim}));
            for (name, v) in [("kernel", k), ("bias", b)] {
                let t = v.value();
                let bytes: Vec<u8> = t.iter().flat_map(f32::to_le_bytes).collect();
                tensors.push((format!("dense_{}.{name}", i + 1), bytes, t.shape().to_vec()));
            }
        }
        let optimizer = self.optimizer.as_ref().map(|o| {
            // The values are f32 settings: record their shortest decimal (0.001, not 0.0010000000474974513).
            let short = |v: f64| (v as f32).to_string().parse::<f64>().unwrap_or(v);
            let mut m: serde_json::Map<String, Value> =
                o.config().into_iter().map(|(k, v)| (k.to_string(), json!(short(v)))).collect();
            m.insert("name".into(), json!(o.name().to_ascii_lowercase()));
            Value::Object(m)
        });
        let training = json!({
            "seed": self.seed,
            "epochs": self.epochs_trained,
            "batch_size": self.batch_size,
            "loss": self.loss.map(Loss::name),
            "metrics": self.metrics.iter().map(|m| m.name()).collect::<Vec<_>>(),
            "optimizer": optimizer,
        });
        let metadata = HashMap::from([
            ("format".to_string(), FORMAT.to_string()),
            ("format_version".to_string(), FORMAT_VERSION.to_string()),
            ("tessera_version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
            ("layers".to_string(), Value::Array(layers).to_string()),
            ("training".to_string(), training.to_string()),
        ]);
        let views = tensors
            .iter()
            .map(|(n, bytes, shape)| {
                Ok((
                    n.clone(),
                    TensorView::new(Dtype::F32, shape.clone(), bytes)
                        .map_err(|e| bad(path, e.to_string()))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let bytes = safetensors::serialize(views, Some(metadata)).map_err(|e| bad(path, e.to_string()))?;
        crate::files::write_atomically(path, &bytes)
    }

    /// Rebuilds a model from a file written by [`Sequential::save`]: the same layers and
    /// weights (bit-identical, so predictions are equal), compiled with the recorded loss,
    /// metrics and optimizer (its state, such as RMSprop's averages, starts again at zero).
    pub fn load(path: impl AsRef<Path>) -> Result<Sequential> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| NnError::Io { path: path.to_path_buf(), source })?;
        Sequential::from_bytes(&bytes, path)
    }

    /// [`Sequential::load`] from the bytes of a model file already in memory; `name` only names
    /// the source in errors.
    pub fn from_bytes(bytes: &[u8], name: &Path) -> Result<Sequential> {
        let path = name;
        let st = SafeTensors::deserialize(bytes)
            .map_err(|e| bad(path, format!("not a valid safetensors file: {e}")))?;
        let (_, header) = SafeTensors::read_metadata(bytes)
            .map_err(|e| bad(path, format!("not a valid safetensors file: {e}")))?;
        let meta = header.metadata().clone().unwrap_or_default();
        let get = |k: &str| {
            meta.get(k).ok_or_else(|| bad(path, format!("not a Tessera model: the metadata has no `{k}`")))
        };
        if get("format")? != FORMAT {
            return Err(bad(
                path,
                format!("not a Tessera model: format is {:?}, expected {FORMAT:?}", meta["format"]),
            ));
        }
        let version: u32 =
            get("format_version")?.parse().map_err(|_| bad(path, "format_version is not a number"))?;
        if version == 0 || version > FORMAT_VERSION {
            return Err(bad(
                path,
                format!("format version {version} is not one this Tessera reads (1 to {FORMAT_VERSION})"),
            ));
        }
        let layers: Vec<Value> =
            serde_json::from_str(get("layers")?).map_err(|e| bad(path, format!("layers: {e}")))?;
        let training: Value =
            serde_json::from_str(get("training")?).map_err(|e| bad(path, format!("training: {e}")))?;
        if layers.is_empty() {
            return Err(bad(path, "the model has no layers"));
        }
        let seed = training["seed"].as_u64().unwrap_or(0);
        let mut model = Sequential::new(seed);
        let mut used = 0;
        for (i, spec) in layers.iter().enumerate() {
            let dense = dense_from(spec, i + 1, &st, path)?;
            if let Some(prev) = model.layers.last().filter(|p| Some(p.units) != dense.input_dim) {
                return Err(bad(
                    path,
                    format!(
                        "layer {} takes {:?} inputs but layer {i} gives {}",
                        i + 1,
                        dense.input_dim,
                        prev.units
                    ),
                ));
            }
            model.layers.push(dense);
            used += 2;
        }
        if st.len() != used {
            let mut extra: Vec<&str> = st.names().into_iter().filter(|n| !n.starts_with("dense_")).collect();
            extra.sort();
            return Err(bad(
                path,
                format!("{} tensors in the file, {used} in its layers (unexpected: {extra:?})", st.len()),
            ));
        }
        model.epochs_trained = training["epochs"].as_u64().unwrap_or(0) as usize;
        model.batch_size = training["batch_size"].as_u64().map(|b| b as usize);
        if let Some(loss) = training["loss"].as_str() {
            model.loss =
                Some(Loss::from_name(loss).ok_or_else(|| bad(path, format!("unknown loss {loss:?}")))?);
        }
        for m in training["metrics"].as_array().into_iter().flatten() {
            let name = m.as_str().unwrap_or_default();
            model
                .metrics
                .push(Metric::from_name(name).ok_or_else(|| bad(path, format!("unknown metric {name:?}")))?);
        }
        let opt = &training["optimizer"];
        if let Some(name) = opt["name"].as_str() {
            model.optimizer = from_config(name, |k| opt[k].as_f64());
        }
        Ok(model)
    }
}

/// Layer `i` (1-based) from its JSON spec and its two tensors.
fn dense_from(spec: &Value, i: usize, st: &SafeTensors, path: &Path) -> Result<Dense> {
    let kind = spec["type"].as_str().unwrap_or("(none)");
    if kind != "dense" {
        return Err(bad(
            path,
            format!("layer {i}: unknown layer type {kind:?} (this Tessera knows \"dense\")"),
        ));
    }
    let act_name = spec["activation"].as_str().unwrap_or("(none)");
    let activation = Activation::from_name(act_name)
        .ok_or_else(|| bad(path, format!("layer {i}: unknown activation {act_name:?}")))?;
    let units = spec["units"]
        .as_u64()
        .filter(|&u| u > 0)
        .ok_or_else(|| bad(path, format!("layer {i}: units must be a positive integer")))?
        as usize;
    let tensor = |name: &str, want_rank: usize| -> Result<Tensor<f32>> {
        let key = format!("dense_{i}.{name}");
        let view = st.tensor(&key).map_err(|_| bad(path, format!("missing tensor {key}")))?;
        if view.dtype() != Dtype::F32 {
            return Err(bad(path, format!("{key} is {:?}, expected F32", view.dtype())));
        }
        let shape = view.shape().to_vec();
        if shape.len() != want_rank || shape.last() != Some(&units) {
            return Err(bad(path, format!("{key} has shape {shape:?}, but layer {i} has {units} units")));
        }
        let data: Vec<f32> =
            view.data().chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        Tensor::from_vec(data, &shape).map_err(|e| bad(path, format!("{key}: {e}")))
    };
    let kernel = tensor("kernel", 2)?;
    let bias = tensor("bias", 1)?;
    let input_dim = kernel.shape()[0];
    if let Some(d) = spec["input_dim"].as_u64().filter(|&d| d as usize != input_dim) {
        return Err(bad(
            path,
            format!("layer {i}: input_dim is {d} but dense_{i}.kernel has {input_dim} rows"),
        ));
    }
    let mut d = Dense::new(units, activation).input_dim(input_dim);
    d.kernel = Some(Var::param(kernel));
    d.bias = Some(Var::param(bias));
    Ok(d)
}
