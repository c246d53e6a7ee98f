//! Model files: any bytes given to `Sequential::from_bytes` give a model or an error, never a
//! panic or an allocation sized by an unchecked header; a model that loads predicts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_nn::Sequential;
use tessera_tensor::Tensor;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(m) = Sequential::from_bytes(bytes, "fuzz.safetensors".as_ref()) {
        let inputs = m.layers()[0].input_dim.unwrap_or(0);
        if inputs <= 1 << 12 {
            let _ = m.predict(&Tensor::zeros(&[2, inputs]), 2);
        }
    }
});
