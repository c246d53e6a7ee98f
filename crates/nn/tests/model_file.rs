//! Model files: a save/load round trip is bit-identical; a version-1 file committed to the
//! repository keeps loading; every kind of bad file is an error naming the file and the fault.

use proptest::prelude::*;
use safetensors::tensor::{Dtype, TensorView};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tessera_nn::{Activation, Dense, FitOptions, Loss, Metric, RMSprop, Sequential};
use tessera_tensor::{Rng, Tensor};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tessera-model-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn small_model(seed: u64) -> Sequential {
    let mut m = Sequential::new(seed);
    m.add(Dense::new(5, Activation::Relu).input_dim(6));
    m.add(Dense::new(3, Activation::Softmax));
    m.compile(RMSprop::new(0.01), Loss::SparseCategoricalCrossentropy, &[Metric::Accuracy]).unwrap();
    m
}

fn data() -> (Tensor<f32>, Tensor<f32>) {
    let mut rng = Rng::seed(7);
    let x = Tensor::<f32>::rand_uniform(&[64, 6], -1.0, 1.0, &mut rng);
    let y: Vec<f32> =
        x.to_vec().chunks(6).map(|r| (r[0] > 0.0) as u8 as f32 + (r[1] > 0.5) as u8 as f32).collect();
    (x, Tensor::from_vec(y, &[64]).unwrap())
}

fn bits(t: &Tensor<f32>) -> Vec<u32> {
    t.iter().map(f32::to_bits).collect()
}

#[test]
fn round_trip_is_bit_identical() {
    let mut m = small_model(3);
    let (x, y) = data();
    m.fit(&x, &y, &FitOptions { epochs: 2, batch_size: 16, verbose: false, ..FitOptions::default() })
        .unwrap();
    let p = tmp("round.safetensors");
    m.save(&p).unwrap();
    let back = Sequential::load(&p).unwrap();
    assert_eq!(back.summary(), m.summary());
    for (a, b) in m.params().iter().zip(back.params()) {
        assert_eq!(bits(&a.value()), bits(&b.value()));
    }
    assert_eq!(bits(&back.predict(&x, 10).unwrap()), bits(&m.predict(&x, 32).unwrap()));
    // Compiled from the file: evaluate works and gives the same numbers.
    assert_eq!(back.evaluate(&x, &y, 16).unwrap(), m.evaluate(&x, &y, 16).unwrap());
    // Training can go on from the loaded model.
    let mut back = back;
    back.fit(&x, &y, &FitOptions { epochs: 1, batch_size: 16, verbose: false, ..FitOptions::default() })
        .unwrap();
}

#[test]
fn metadata_describes_the_model_for_other_readers() {
    let p = tmp("meta.safetensors");
    let mut m = small_model(1);
    let (x, y) = data();
    m.fit(&x, &y, &FitOptions { epochs: 3, batch_size: 8, verbose: false, ..FitOptions::default() }).unwrap();
    m.save(&p).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let meta = header.metadata().clone().unwrap();
    assert_eq!(meta["format"], "tessera.sequential");
    assert_eq!(meta["format_version"], "1");
    let layers: serde_json::Value = serde_json::from_str(&meta["layers"]).unwrap();
    assert_eq!(layers[0]["units"], 5);
    assert_eq!(layers[0]["input_dim"], 6);
    assert_eq!(layers[1]["activation"], "softmax");
    let training: serde_json::Value = serde_json::from_str(&meta["training"]).unwrap();
    assert_eq!((training["epochs"].as_u64(), training["batch_size"].as_u64()), (Some(3), Some(8)));
    assert_eq!(training["optimizer"]["name"], "rmsprop");
    assert!((training["optimizer"]["learning_rate"].as_f64().unwrap() - 0.01).abs() < 1e-9);
    assert_eq!(training["loss"], "sparse_categorical_crossentropy");
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/model_v1.safetensors");

/// The fixture's weights: `w[j] = (j as f32 - 3.0) / 8.0` over each tensor's flat index (exact
/// in binary, so the file holds these very values).
fn fixture_value(j: usize) -> f32 {
    (j as f32 - 3.0) / 8.0
}

/// Writes the version-1 fixture: `cargo test -p tessera-nn --test model_file -- --ignored`.
/// Kept so the file's origin is plain; the fixture itself must never be rewritten.
#[test]
#[ignore]
fn write_fixture() {
    let m = small_model(0);
    for v in m.params() {
        let t = v.value();
        let vals: Vec<f32> = (0..t.size()).map(fixture_value).collect();
        v.update(|w| *w = Tensor::from_vec(vals.clone(), t.shape()).unwrap());
    }
    m.save(FIXTURE).unwrap();
}

#[test]
fn version_1_fixture_keeps_loading() {
    let m = Sequential::load(FIXTURE).unwrap();
    let layers: Vec<(usize, Option<usize>, Activation)> =
        m.layers().iter().map(|l| (l.units, l.input_dim, l.activation)).collect();
    assert_eq!(layers, vec![(5, Some(6), Activation::Relu), (3, Some(5), Activation::Softmax)]);
    let shapes: Vec<Vec<usize>> = m.params().iter().map(|p| p.value().shape().to_vec()).collect();
    assert_eq!(shapes, vec![vec![6, 5], vec![5], vec![5, 3], vec![3]]);
    for p in m.params() {
        let want: Vec<f32> = (0..p.value().size()).map(fixture_value).collect();
        assert_eq!(p.value().to_vec(), want);
    }
    // One input through the two layers by hand.
    let x = [0.5f32, -1.0, 0.25, 2.0, 0.0, 1.0];
    let h: Vec<f32> = (0..5)
        .map(|u| {
            let z: f32 = (0..6).map(|i| x[i] * fixture_value(i * 5 + u)).sum::<f32>() + fixture_value(u);
            z.max(0.0)
        })
        .collect();
    let z: Vec<f64> = (0..3)
        .map(|o| ((0..5).map(|u| h[u] * fixture_value(u * 3 + o)).sum::<f32>() + fixture_value(o)) as f64)
        .collect();
    let e: Vec<f64> = z.iter().map(|v| (v - z.iter().cloned().fold(f64::MIN, f64::max)).exp()).collect();
    let p = m.predict(&Tensor::from_vec(x.to_vec(), &[1, 6]).unwrap(), 1).unwrap().to_vec();
    for o in 0..3 {
        assert!((p[o] as f64 - e[o] / e.iter().sum::<f64>()).abs() < 1e-6, "{p:?}");
    }
}

/// Writes a safetensors file with the given tensors (`name`, shape; f32 values 0.5) and
/// metadata.
fn craft(name: &str, tensors: &[(&str, &[usize])], meta: &[(&str, &str)]) -> PathBuf {
    let owned: Vec<(String, Vec<u8>, Vec<usize>)> = tensors
        .iter()
        .map(|(n, s)| (n.to_string(), 0.5f32.to_le_bytes().repeat(s.iter().product()), s.to_vec()))
        .collect();
    let views: Vec<(String, TensorView)> = owned
        .iter()
        .map(|(n, b, s)| (n.clone(), TensorView::new(Dtype::F32, s.clone(), b).unwrap()))
        .collect();
    let meta: HashMap<String, String> = meta.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let p = tmp(name);
    std::fs::write(&p, safetensors::serialize(views, Some(meta)).unwrap()).unwrap();
    p
}

const LAYERS: &str = r#"[{"type":"dense","units":5,"activation":"relu","input_dim":6},{"type":"dense","units":3,"activation":"softmax"}]"#;
const GOOD: [(&str, &[usize]); 4] = [
    ("dense_1.kernel", &[6, 5]),
    ("dense_1.bias", &[5]),
    ("dense_2.kernel", &[5, 3]),
    ("dense_2.bias", &[3]),
];

fn meta(layers: &str) -> Vec<(&'static str, String)> {
    vec![
        ("format", "tessera.sequential".into()),
        ("format_version", "1".into()),
        ("layers", layers.into()),
        ("training", "{}".into()),
    ]
}

fn load_err(p: &Path) -> String {
    let e = Sequential::load(p).err().expect("must fail").to_string();
    assert!(e.starts_with(&p.display().to_string()), "error must name the file: {e}");
    e
}

#[test]
fn bad_files_name_the_file_and_the_fault() {
    let with = |name: &str, tensors: &[(&str, &[usize])], layers: &str| {
        let m = meta(layers);
        let m: Vec<(&str, &str)> = m.iter().map(|(k, v)| (*k, v.as_str())).collect();
        craft(name, tensors, &m)
    };
    assert!(Sequential::load(with("ok.safetensors", &GOOD, LAYERS)).is_ok());
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            with("shape.st", &[GOOD[0], GOOD[1], ("dense_2.kernel", &[5, 4]), GOOD[3]], LAYERS),
            "dense_2.kernel has shape [5, 4], but layer 2 has 3 units",
        ),
        (with("missing.st", &GOOD[..3], LAYERS), "missing tensor dense_2.bias"),
        (
            with(
                "conv.st",
                &GOOD,
                &LAYERS.replace("\"type\":\"dense\",\"units\":3", "\"type\":\"conv2d\",\"units\":3"),
            ),
            "layer 2: unknown layer type \"conv2d\"",
        ),
        (with("act.st", &GOOD, &LAYERS.replace("relu", "swish")), "layer 1: unknown activation \"swish\""),
        (
            with("extra.st", &[GOOD[0], GOOD[1], GOOD[2], GOOD[3], ("optimizer.m", &[2])], LAYERS),
            "unexpected: [\"optimizer.m\"]",
        ),
        (
            with("chain.st", &[GOOD[0], GOOD[1], ("dense_2.kernel", &[4, 3]), GOOD[3]], LAYERS),
            "layer 2 takes Some(4) inputs but layer 1 gives 5",
        ),
        (with("nolayers.st", &GOOD, "[]"), "the model has no layers"),
        (with("json.st", &GOOD, "[{\"type\":"), "layers: EOF while parsing"),
        (craft("plain.st", &GOOD, &[]), "not a Tessera model: the metadata has no `format`"),
        (
            craft(
                "future.st",
                &GOOD,
                &[
                    ("format", "tessera.sequential"),
                    ("format_version", "2"),
                    ("layers", LAYERS),
                    ("training", "{}"),
                ],
            ),
            "format version 2 is not one this Tessera reads",
        ),
    ];
    for (p, want) in cases {
        let e = load_err(&p);
        assert!(e.contains(want), "{}: want {want:?} in {e:?}", p.display());
    }
}

#[test]
fn truncated_corrupt_and_lying_headers() {
    let good = std::fs::read(FIXTURE).unwrap();
    let header_len = u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
    // Cut inside the length, inside the header, inside the data.
    for (i, cut) in [4, 8 + header_len / 2, good.len() - 3].into_iter().enumerate() {
        let p = tmp(&format!("cut{i}.safetensors"));
        std::fs::write(&p, &good[..cut]).unwrap();
        assert!(load_err(&p).contains("not a valid safetensors file"));
    }
    // A header length that claims more bytes than the file has.
    let mut lying = good.clone();
    lying[..8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    let p = tmp("lying.safetensors");
    std::fs::write(&p, &lying).unwrap();
    assert!(load_err(&p).contains("not a valid safetensors file"));
    // Garbage in the JSON header.
    let mut corrupt = good.clone();
    corrupt[8 + 3] = b'\xff';
    let p = tmp("corrupt.safetensors");
    std::fs::write(&p, &corrupt).unwrap();
    assert!(load_err(&p).contains("not a valid safetensors file"));
    let missing = tmp("does-not-exist.safetensors");
    assert!(load_err(&missing).contains("No such file"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// No change to a byte, nor a cut, makes `load` panic.
    #[test]
    fn mutated_files_never_panic(at in any::<usize>(), flip in 1u8.., cut in any::<bool>()) {
        let mut bytes = std::fs::read(FIXTURE).unwrap();
        let i = at % bytes.len();
        if cut { bytes.truncate(i) } else { bytes[i] ^= flip }
        let p = tmp(&format!("mut-{}.safetensors", at % 64));
        std::fs::write(&p, &bytes).unwrap();
        let _ = Sequential::load(&p);
    }
}
