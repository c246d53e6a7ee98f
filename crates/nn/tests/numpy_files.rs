//! `.npy` / `.npz` files written by NumPy (fixtures/npy, made by its make_fixtures.py) read to
//! the values NumPy wrote, for every dtype, both byte orders, C and Fortran order and format
//! versions 1 to 3; Tessera's own files read back equal; bad files are errors naming the file.

use std::path::{Path, PathBuf};
use tessera_nn::numpy::{Array, read_npy, read_npz, write_npy, write_npz};
use tessera_tensor::Tensor;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/npy").join(name)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tessera-npy-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

const SHAPE: [usize; 3] = [2, 3, 4];

/// `values` of make_fixtures.py, element `i` in C order.
fn expected(code: &str) -> Array {
    let i = (0..24i64).collect::<Vec<_>>();
    match code {
        "bool" => Array::Bool(Tensor::from_vec(i.iter().map(|v| v % 3 == 0).collect(), &SHAPE).unwrap()),
        "u1" => Array::U8(Tensor::from_vec(i.iter().map(|v| (v * 10) as u8).collect(), &SHAPE).unwrap()),
        "i4" => Array::I32(
            Tensor::from_vec(i.iter().map(|v| ((v - 12) * 1000003) as i32).collect(), &SHAPE).unwrap(),
        ),
        "i8" => Array::I64(Tensor::from_vec(i.iter().map(|v| (v - 12) * 1000003).collect(), &SHAPE).unwrap()),
        "f4" => {
            Array::F32(Tensor::from_vec(i.iter().map(|&v| (v - 12) as f32 / 4.0).collect(), &SHAPE).unwrap())
        }
        _ => {
            Array::F64(Tensor::from_vec(i.iter().map(|&v| (v - 12) as f64 / 4.0).collect(), &SHAPE).unwrap())
        }
    }
}

#[test]
fn every_dtype_byte_order_and_memory_order() {
    let mut seen = 0;
    for code in ["bool", "u1", "i4", "i8", "f4", "f8"] {
        for variant in ["c_le", "c_be", "f_le"] {
            let p = fixture(&format!("{code}_{variant}.npy"));
            if !p.exists() {
                assert_eq!((variant, ["bool", "u1"].contains(&code)), ("c_be", true), "{}", p.display());
                continue;
            }
            let a = Array::read(&p).unwrap();
            assert_eq!(a, expected(code), "{}", p.display());
            // Fortran order is a transposed view of the data as stored, as in NumPy.
            if variant == "f_le" {
                assert!(!matches!(&a, Array::F32(t) if t.is_contiguous()));
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 16);
}

#[test]
fn format_versions_scalars_and_empty_arrays() {
    for v in ["f4_v2.npy", "f4_v3.npy"] {
        assert_eq!(Array::read(fixture(v)).unwrap(), expected("f4"), "{v}");
    }
    assert_eq!(Array::read(fixture("f8_f_be_v2.npy")).unwrap(), expected("f8"));
    let s = read_npy::<f64>(fixture("scalar_f8.npy")).unwrap();
    assert_eq!((s.shape(), s.item().unwrap()), (&[][..], 2.5));
    let e = read_npy::<f32>(fixture("empty_f4.npy")).unwrap();
    assert_eq!((e.shape(), e.size()), (&[0usize, 5][..], 0));
    let wrong = read_npy::<f32>(fixture("f8_c_le.npy")).unwrap_err().to_string();
    assert!(wrong.ends_with("f8_c_le.npy: holds float64, not float32"), "{wrong}");
}

#[test]
fn npz_stored_and_deflated() {
    let stored = read_npz(fixture("stored.npz")).unwrap();
    let names: Vec<&str> = stored.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["x", "labels"]);
    assert_eq!(stored[0].1, expected("f4"));
    assert_eq!(stored[1].1, expected("u1"));
    let deflated = read_npz(fixture("deflated.npz")).unwrap();
    assert_eq!(deflated[0], ("x".to_string(), expected("f8")));
    assert_eq!(deflated[1], ("mask".to_string(), expected("bool")));
}

#[test]
fn own_files_read_back_equal() {
    for code in ["bool", "u1", "i4", "i8", "f4", "f8"] {
        let a = expected(code);
        let p = tmp(&format!("own_{code}.npy"));
        match &a {
            Array::Bool(t) => write_npy(&p, t),
            Array::U8(t) => write_npy(&p, t),
            Array::I32(t) => write_npy(&p, t),
            Array::I64(t) => write_npy(&p, t),
            Array::F32(t) => write_npy(&p, t),
            Array::F64(t) => write_npy(&p, t),
        }
        .unwrap();
        assert_eq!(Array::read(&p).unwrap(), a);
    }
    // A strided view is written as its logical values.
    let t = Tensor::from_vec((0..12).map(|v| v as f32).collect(), &[3, 4]).unwrap().transpose();
    let p = tmp("view.npy");
    write_npy(&p, &t).unwrap();
    assert_eq!(read_npy::<f32>(&p).unwrap().to_vec(), t.to_vec());
    for compressed in [false, true] {
        let p = tmp(&format!("own_{compressed}.npz"));
        write_npz(&p, &[("a", expected("i8")), ("b", expected("f4"))], compressed).unwrap();
        let back = read_npz(&p).unwrap();
        assert_eq!(back, vec![("a".to_string(), expected("i8")), ("b".to_string(), expected("f4"))]);
    }
}

fn npy_bytes(header: &str, data: &[u8]) -> Vec<u8> {
    let mut h = header.to_string();
    while !(10 + h.len() + 1).is_multiple_of(64) {
        h.push(' ');
    }
    h.push('\n');
    let mut v = b"\x93NUMPY\x01\x00".to_vec();
    v.extend_from_slice(&(h.len() as u16).to_le_bytes());
    v.extend_from_slice(h.as_bytes());
    v.extend_from_slice(data);
    v
}

#[test]
fn bad_files_name_the_file_and_the_fault() {
    let good = std::fs::read(fixture("f4_c_le.npy")).unwrap();
    let mut huge_header = good.clone();
    huge_header[6] = 2;
    huge_header.splice(8..10, (u32::MAX).to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "short.npy",
            good[..good.len() - 5].to_vec(),
            "truncated .npy data: shape [2, 3, 4] of float32 needs 96 bytes, file has 91",
        ),
        ("long.npy", [good.clone(), vec![0; 3]].concat(), "trailing bytes after the .npy data"),
        ("magic.npy", b"PK\x03\x04 not numpy".to_vec(), "not a .npy file"),
        ("header.npy", huge_header, "header of 4294967295 bytes is longer than the 10000 allowed"),
        ("cut-header.npy", good[..40].to_vec(), "truncated .npy header"),
        (
            "version.npy",
            [b"\x93NUMPY\x04\x00".to_vec(), good[8..].to_vec()].concat(),
            "version 4.0 is not 1.0, 2.0 or 3.0",
        ),
        (
            "overflow.npy",
            npy_bytes(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 2), }",
                &[],
            ),
            "shape (4294967296, 4294967296, 2) overflows",
        ),
        (
            "big.npy",
            npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1048576, 1048576), }", &[0; 16]),
            "needs 8796093022208 bytes, file has 16",
        ),
        (
            "u2.npy",
            npy_bytes("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", &[0; 4]),
            "dtype '<u2' is not one Tessera holds",
        ),
        (
            "object.npy",
            npy_bytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", &[0; 8]),
            "is not one Tessera holds",
        ),
        ("dict.npy", npy_bytes("{'descr': '<f4', 'shape': (1,), }", &[0; 4]), "bad .npy header"),
        // Found by fuzz/npy: deep nesting made the header parser run for seconds per byte.
        (
            "nested.npy",
            npy_bytes(
                &format!(
                    "{{'descr': '|b1', 'fortran_order': False, 'shape':{} (2, 3, 4), }}",
                    "[".repeat(60)
                ),
                &[1; 24],
            ),
            "nested deeper than a plain array's",
        ),
    ];
    for (name, bytes, want) in cases {
        let p = tmp(name);
        std::fs::write(&p, &bytes).unwrap();
        let e = Array::read(&p).unwrap_err().to_string();
        assert!(
            e.starts_with(&p.display().to_string()) && e.contains(want),
            "{name}: want {want:?} in {e:?}"
        );
    }
}

#[test]
fn bad_archives() {
    let p = tmp("not.npz");
    std::fs::write(&p, b"not a zip").unwrap();
    assert!(read_npz(&p).unwrap_err().to_string().contains("not a .npz (zip) archive"));
    let mut good = std::fs::read(fixture("deflated.npz")).unwrap();
    good.truncate(good.len() / 2);
    let p = tmp("cut.npz");
    std::fs::write(&p, &good).unwrap();
    assert!(read_npz(&p).is_err());
    // A deflate bomb: a 4-element header over 64 MiB of zeros stops one byte past the data.
    let big = tmp("bomb.npz");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&big).unwrap());
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("x.npy", opts).unwrap();
        z.write_all(&npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", &[0; 16]))
            .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let e = read_npz(&big).unwrap_err().to_string();
    assert!(e.contains("bomb.npz/x.npy") && e.contains("trailing bytes"), "{e}");
}
