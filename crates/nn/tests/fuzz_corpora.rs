//! The committed fuzz corpora of the file readers (`fuzz/corpora/{idx,npy,model_file}/`),
//! replayed on stable: every input the fuzzers kept, and every one that once failed, gives a
//! value or an error, with the targets' invariants.

use std::path::Path;
use tessera_nn::Sequential;
use tessera_nn::datasets::idx::{parse_idx, read_idx_stream};
use tessera_nn::numpy::Array;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpora").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[test]
fn idx_corpus() {
    let name = Path::new("fuzz.idx");
    for bytes in corpus("idx") {
        let parsed = parse_idx(bytes.clone(), name);
        if let Ok(t) = &parsed {
            let header = 4 + 4 * usize::from(bytes[3]);
            assert_eq!(t.to_vec(), bytes[header..]);
        }
        assert_eq!(parsed.ok(), read_idx_stream(&bytes[..], name, 1 << 20).ok());
    }
}

#[test]
fn npy_corpus() {
    for bytes in corpus("npy") {
        if let Ok(a) = Array::from_bytes(&bytes, "fuzz.npy".as_ref()) {
            let n: usize = a.shape().iter().product();
            assert!(n <= bytes.len() * 8);
            let _ = a.to_f32();
        }
    }
}

#[test]
fn model_file_corpus() {
    for bytes in corpus("model_file") {
        if let Ok(m) = Sequential::from_bytes(&bytes, "fuzz.safetensors".as_ref()) {
            let inputs = m.layers()[0].input_dim.unwrap_or(0);
            if inputs <= 1 << 12 {
                let _ = m.predict(&tessera_tensor::Tensor::zeros(&[2, inputs]), 2);
            }
        }
    }
}
