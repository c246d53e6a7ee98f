//! The page's interface: what `web/app.js` imports from the wasm module (`wasm-bindgen`).

use wasm_bindgen::prelude::*;

/// `{"shape": .., "strides": .., "offset": .., "is_view": .., "storage": .., "offsets": ..,
/// "explain": ..}` for `expr` on `x = arange(..).reshape(shape)` (`shape` as `"3, 4"`), or
/// `{"error": ..}`.
#[wasm_bindgen]
pub fn explore(shape: &str, expr: &str) -> String {
    match crate::parse_shape(shape) {
        Ok(dims) => crate::explorer::explore_json(&dims, expr),
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    }
}

/// The stride puzzles as a JSON array.
#[wasm_bindgen]
pub fn puzzles() -> String {
    crate::puzzles::list_json()
}

/// `{"solved": bool, "made": ..}` for `expr` as an answer to puzzle `index`, or `{"error": ..}`.
#[wasm_bindgen]
pub fn check_puzzle(index: usize, expr: &str) -> String {
    crate::puzzles::check_json(index, expr)
}

/// The ladder's tiers as a JSON array of `{"name", "adds"}`.
#[wasm_bindgen]
pub fn ladder_tiers() -> String {
    let tiers: Vec<_> = crate::ladder_lab::TIERS
        .iter()
        .map(|(name, _, adds)| serde_json::json!({"name": name, "adds": adds}))
        .collect();
    serde_json::Value::Array(tiers).to_string()
}

/// The vector instructions this build's SIMD tiers use: `simd128` when compiled for
/// WebAssembly's SIMD (scripts/web.sh does), else `scalar`.
#[wasm_bindgen]
pub fn simd_name() -> String {
    if cfg!(target_feature = "simd128") { "simd128".into() } else { "scalar".into() }
}

/// One size of the ladder lab (see [`crate::ladder_lab::Lab`]).
#[wasm_bindgen]
pub struct LadderLab(crate::ladder_lab::Lab);

#[wasm_bindgen]
impl LadderLab {
    /// `n × n` small-integer inputs and their naive product.
    #[wasm_bindgen(constructor)]
    pub fn new(n: usize) -> Result<LadderLab, String> {
        crate::ladder_lab::Lab::new(n).map(LadderLab)
    }

    /// Runs tier `index` once (the page times it).
    pub fn run(&mut self, index: usize) -> Result<(), String> {
        self.0.run(index)
    }

    /// Elements of the last result that differ from the naive loop's.
    pub fn mismatches(&self) -> usize {
        self.0.mismatches()
    }

    /// 2·n³.
    pub fn flops(&self) -> f64 {
        self.0.flops()
    }
}

/// A model file loaded for drawing (see [`crate::digit::Digit`]).
#[wasm_bindgen]
pub struct DigitModel(crate::digit::Digit);

#[wasm_bindgen]
impl DigitModel {
    /// Loads the bytes of a file written by `tessera mnist --save`.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<DigitModel, String> {
        crate::digit::Digit::new(bytes).map(DigitModel)
    }

    /// The prediction for an RGBA canvas as JSON (see [`crate::digit::Digit::predict_json`]).
    pub fn predict(&self, rgba: &[u8], width: u32, height: u32) -> String {
        self.0.predict_json(rgba, width, height)
    }

    /// A hidden unit's input weights as a 28×28 RGBA tile.
    pub fn unit_tile(&self, unit: usize) -> Result<Vec<u8>, String> {
        self.0.unit_tile(unit)
    }
}
