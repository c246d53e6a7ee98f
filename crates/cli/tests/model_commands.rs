//! The model workflow as a user runs it: `tessera mnist --save`, then `predict` (an index, a
//! picture, a `.npy`), `evaluate` and `weights` on the saved file, with their pictures; and the
//! mistakes a user makes, each refused with a message.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use tessera_nn::numpy::{read_npy, write_npy};
use tessera_tensor::Tensor;

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).output().expect("the tessera binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = tessera(args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn fails(args: &[&str]) -> String {
    let out = tessera(args);
    assert!(!out.status.success(), "tessera {args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("tessera-cli-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One short training run shared by the tests: 1 epoch, 64 hidden units, saved with its
/// history and curves.
fn model() -> &'static PathBuf {
    static MODEL: OnceLock<PathBuf> = OnceLock::new();
    MODEL.get_or_init(|| {
        let d = dir();
        let (m, csv, svg) = (d.join("m.safetensors"), d.join("h.csv"), d.join("curves.svg"));
        let timeline = d.join("timeline.json");
        let out = ok(&[
            "mnist",
            "--epochs",
            "1",
            "--hidden",
            "64",
            "--validation-split",
            "0.1",
            "--save",
            s(&m),
            "--history",
            s(&csv),
            "--plot",
            s(&svg),
            "--profile",
            "--trace",
            s(&timeline),
        ]);
        assert!(out.contains("saved the model to"), "{out}");
        for phase in ["gather", "forward", "loss", "backward", "optimizer", "metrics", "sum", "gather ahead"]
        {
            assert!(out.lines().any(|l| l.starts_with(phase) && l.contains('.')), "no {phase} row: {out}");
        }
        let rows: Vec<String> = std::fs::read_to_string(&csv).unwrap().lines().map(String::from).collect();
        assert_eq!(rows[0], "epoch,loss,accuracy,val_loss,val_accuracy,seconds");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].split(',').filter(|c| !c.is_empty()).count(), 6, "{}", rows[1]);
        assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
        check_timeline(&timeline, &out);
        m
    })
}

/// The `--trace` file holds complete events of the step's phases, its GEMMs (with their
/// shapes) and the optimizer's parts, on the pool's threads; the printed sums list them.
fn check_timeline(path: &Path, out: &str) {
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let events = doc["traceEvents"].as_array().unwrap();
    let named =
        |name: &str| events.iter().filter(|e| e["name"] == name && e["ph"] == "X").collect::<Vec<_>>();
    // 54,000 training samples in batches of 128: 422 steps, each with one forward phase.
    assert_eq!(named("forward").len(), 422, "{out}");
    // The phases, a GEMM part, an optimizer part, and autograd's rule for the fused layer.
    for name in ["loss", "backward", "optimizer", "gemm", "update", "linear_relu"] {
        assert!(!named(name).is_empty(), "no {name} span");
    }
    assert!(
        named("gemm").iter().any(|e| e["args"]["k"] == 784 && e["args"]["n"] == 64),
        "no span of the 784 → 64 layer's forward product"
    );
    for e in named("gemm") {
        assert!(e["dur"].as_f64().unwrap() >= 0.0 && e["ts"].as_f64().unwrap() >= 0.0, "{e}");
        assert!(e["tid"].as_u64().is_some(), "{e}");
    }
    assert!(out.contains("µs per step over 422 steps"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("forward") && l.contains(" / ")), "{out}");
}

#[test]
fn predict_an_index_a_picture_and_a_npy() {
    let m = model();
    let out = ok(&["predict", "--model", s(m), "--index", "0"]);
    assert!(out.contains("predicted 7") && out.contains("label 7"), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains('%') && !l.starts_with("predicted")).count(), 10, "{out}");
    // The test digit as a picture, black on white and 10 times MNIST's size.
    let png = dir().join("seven.png");
    ok(&["show", "--test", "--index", "0", "--png", s(&png)]);
    let out = ok(&["predict", "--model", s(m), "--image", s(&png)]);
    assert!(out.contains("predicted 7"), "{out}");
    // Three test images as uint8 [3, 28, 28]: 7, 2, 1.
    let (_, (xte, _)) = tessera_nn::datasets::mnist::load_data(None).unwrap();
    let x: Tensor<u8> = xte.slice(&tessera_tensor::s![0..3]).unwrap().to_contiguous();
    let (npy, probs) = (dir().join("x.npy"), dir().join("p.npy"));
    write_npy(&npy, &x).unwrap();
    let out = ok(&["predict", "--model", s(m), "--npy", s(&npy), "--out", s(&probs)]);
    let predicted: Vec<&str> =
        out.lines().skip(1).take(3).map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(predicted, ["7", "2", "1"], "{out}");
    let p = read_npy::<f32>(&probs).unwrap();
    assert_eq!(p.shape(), &[3, 10]);
    for row in p.to_vec().chunks(10) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn evaluate_and_weights_draw_their_pictures() {
    let m = model();
    let png = dir().join("confusion.png");
    let out = ok(&["evaluate", "--model", s(m), "--png", s(&png)]);
    let acc: f64 = out.split("accuracy ").nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    assert!(acc > 0.9, "{out}");
    assert_eq!(out.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit())).count(), 10);
    assert_eq!(image::image_dimensions(&png).unwrap(), (720, 720));
    let w = dir().join("w1.png");
    let out = ok(&["weights", "--model", s(m), "--png", s(&w), "--cols", "8", "--scale", "1"]);
    assert!(out.contains("dense_1 kernel [784, 64]"), "{out}");
    // 8 x 8 tiles of 28 + 2 pixels, plus the 2-pixel outer frame.
    assert_eq!(image::image_dimensions(&w).unwrap(), (8 * 30 + 2, 8 * 30 + 2));
}

#[test]
fn mistakes_are_refused_with_a_message() {
    let m = model();
    let not_model = dir().join("not-a-model.safetensors");
    std::fs::write(&not_model, b"hello").unwrap();
    assert!(
        fails(&["predict", "--model", s(&not_model), "--index", "0"])
            .contains("not-a-model.safetensors: not a valid safetensors file")
    );
    assert!(
        fails(&["predict", "--model", s(m), "--index", "10000"])
            .contains("--index 10000 is out of range: test_images has 10000 images")
    );
    assert!(fails(&["show", "--index", "18446744073709551615"]).contains("out of range"));
    assert!(fails(&["predict", "--model", s(m)]).contains("--index"));
    let blank = dir().join("blank.png");
    image::GrayImage::from_pixel(40, 40, image::Luma([255])).save(&blank).unwrap();
    assert!(fails(&["predict", "--model", s(m), "--image", s(&blank)]).contains("no ink found"));
    for (flag, value) in [
        ("--batch-size", "0"),
        ("--hidden", "0"),
        ("--epochs", "0"),
        ("--lr", "nan"),
        ("--lr", "-1"),
        ("--lr", "inf"),
        ("--threads", "0"),
        ("--validation-split", "1"),
        ("--validation-split", "1.5"),
        ("--min-accuracy", "nan"),
    ] {
        let err = fails(&["mnist", flag, value]);
        assert!(err.contains(flag), "{flag} {value}: {err}");
    }
    assert!(fails(&["mnist", "--threads", "1000"]).contains("more than 4 per core"));
    assert!(fails(&["evaluate", "--model", s(m), "--batch-size", "0"]).contains("--batch-size"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["show", "--index", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("train_images[4]"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
