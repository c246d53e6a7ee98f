//! The `tessera bench` commands as a user runs them: they finish, print every row they promise,
//! and report products that match the naive loop; bad arguments are refused with a message.

use std::process::{Command, Output};

fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).args(args).output().expect("the tessera binary runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "tessera failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn bench_gemm_times_given_shapes_on_every_fast_tier() {
    let out = stdout(&tessera(&[
        "bench",
        "gemm",
        "--tiers",
        "fast",
        "--threads",
        "1,2",
        "--shapes",
        "64x64x64,40x100x30",
        "--budget",
        "0.01",
        "--tsv",
    ]));
    let rows: Vec<Vec<&str>> =
        out.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect()).collect();
    // Two shapes × (packed, parallel-1t, parallel-2t).
    assert_eq!(rows.len(), 6, "{out}");
    for row in &rows {
        let (shape, gflops, err): (&str, f64, f64) =
            (row[2], row[8].parse().unwrap(), row[10].parse().unwrap());
        assert!(["64x64x64", "40x100x30"].contains(&shape), "{out}");
        assert!(gflops > 0.0, "{out}");
        assert!(err < 1e-4, "max |C - C_naive| = {err} for {shape}: {out}");
    }
    assert!(rows.iter().any(|r| r[3] == "parallel-2t"), "{out}");
}

#[test]
fn bench_kernel_prints_its_five_rows() {
    let out = stdout(&tessera(&["bench", "kernel", "--size", "512", "--rounds", "1"]));
    for row in ["1 kernel alone", "2 + B micro-panels", "3 + A micro-panels", "4 + C tiles", "5 packed GEMM"]
    {
        let line =
            out.lines().find(|l| l.starts_with(row)).unwrap_or_else(|| panic!("no row {row:?}: {out}"));
        let gflops: f64 = line[48..].split_whitespace().next().unwrap().parse().unwrap();
        assert!(gflops > 0.0, "{line}");
    }
}

#[test]
fn bad_bench_arguments_are_refused() {
    let out = tessera(&["bench", "gemm", "--shapes", "3x0x1"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected MxKxN"));
    let out = tessera(&["bench", "kernel", "--size", "100"]);
    assert!(!out.status.success(), "sizes below 512 would mislabel the rows");
}

#[test]
fn info_names_the_cpu_and_each_kernel_family() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessera")).arg("info").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "CPU ",
        "rayon threads ",
        "L2 per core ",
        "SIMD tier ",
        "GEMM ",
        "element-wise ",
        "exp, tanh ",
        "reductions ",
        "GEMM layers ",
    ] {
        assert!(text.lines().any(|l| l.starts_with(line)), "no {line:?} line in:\n{text}");
    }
    assert!(!text.contains("linger"), "lingering workers are off by default:\n{text}");
}

/// `TESSERA_SIMD` moves every family to the tier asked for, and a tier that does not exist is
/// refused with the reason.
#[test]
fn info_follows_tessera_simd() {
    let info = |value: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessera"))
            .arg("info")
            .env("TESSERA_SIMD", value)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = info("portable");
    assert!(text.contains("SIMD tier      portable (TESSERA_SIMD=portable)"), "{text}");
    assert!(text.contains("element-wise   portable, 1 (scalar loops)"), "{text}");
    let text = info("avx9000");
    assert!(text.contains("TESSERA_SIMD=avx9000 is not a tier"), "{text}");
}
