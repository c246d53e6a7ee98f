//! `.npy` bytes: `Array::from_bytes` gives an array whose element count matches its shape, or an
//! error, never a panic or an allocation larger than the bytes can fill.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_nn::numpy::Array;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(a) = Array::from_bytes(bytes, "fuzz.npy".as_ref()) {
        let n: usize = a.shape().iter().product();
        assert!(n <= bytes.len() * 8, "{:?} from {} bytes", a.shape(), bytes.len());
        let _ = a.to_f32();
    }
});
