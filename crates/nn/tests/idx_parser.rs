//! The IDX parser on generated files: valid raw and gzipped files, and every way a file can be
//! wrong (truncated header, truncated data, trailing bytes, bad magic, wrong type, corrupt gzip).

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::PathBuf;
use tessera_nn::datasets::idx::{parse_idx, read_idx, read_idx_stream};

fn idx(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend_from_slice(data);
    v
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tessera-idx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn reads_raw_and_gzipped_files() {
    let data: Vec<u8> = (0..2 * 28 * 28).map(|i| (i % 256) as u8).collect();
    let bytes = idx(&[2, 28, 28], &data);
    let raw = read_idx(&tmp("images-idx3-ubyte", &bytes)).unwrap();
    let packed = read_idx(&tmp("images-idx3-ubyte.gz", &gz(&bytes))).unwrap();
    assert_eq!(raw.shape(), &[2, 28, 28]);
    assert_eq!(raw, packed);
    assert_eq!(raw.get(&[1, 0, 5]).unwrap(), ((784 + 5) % 256) as u8);
}

#[test]
fn rejects_malformed_files_with_reasons() {
    let good = idx(&[3], &[7, 8, 9]);
    let p = PathBuf::from("labels");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![0, 0, 8], "labels: too short for an IDX header: 3 bytes"),
        (vec![1, 0, 8, 1, 0, 0, 0, 1, 5], "labels: bad IDX magic 01 00 (expected 00 00)"),
        (vec![0, 0, 0x0d, 1, 0, 0, 0, 1, 5], "labels: IDX element type 0x0d is not u8 (0x08)"),
        (
            vec![0, 0, 8, 3, 0, 0, 0, 1],
            "labels: truncated IDX header: 3 dimensions need 16 bytes, file has 8",
        ),
        (good[..good.len() - 1].to_vec(), "labels: truncated IDX data: header [3] needs 3 bytes, file has 2"),
        (
            [good.clone(), vec![1]].concat(),
            "labels: IDX data has 1 bytes past the 3 that header [3] describes",
        ),
    ];
    for (bytes, msg) in cases {
        assert_eq!(parse_idx(bytes, &p).unwrap_err().to_string(), msg);
    }
    let huge = idx(&[u32::MAX, u32::MAX, u32::MAX], &[]);
    assert!(parse_idx(huge, &p).unwrap_err().to_string().contains("overflow"));
}

#[test]
fn rejects_corrupt_gzip_and_missing_files() {
    let mut z = gz(&idx(&[4], &[1, 2, 3, 4]));
    let mid = z.len() / 2;
    z[mid] ^= 0xff;
    z.truncate(z.len() - 4);
    let e = read_idx(&tmp("bad.gz", &z)).unwrap_err().to_string();
    assert!(e.contains("bad.gz") && (e.contains("corrupt gzip") || e.contains("IDX")), "{e}");
    let e = read_idx(&PathBuf::from("/nonexistent/t10k-labels-idx1-ubyte")).unwrap_err().to_string();
    assert!(e.starts_with("/nonexistent/t10k-labels-idx1-ubyte: "), "{e}");
}

mod robustness {
    use super::idx;
    use proptest::prelude::*;
    use std::path::PathBuf;
    use tessera_nn::datasets::idx::parse_idx;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// No byte string makes the parser panic; whatever it accepts is self-consistent.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(t) = parse_idx(bytes.clone(), &PathBuf::from("fuzz")) {
                prop_assert_eq!(t.size() + 4 + 4 * t.ndim(), bytes.len());
            }
        }

        /// Valid files with one byte changed or cut short are rejected or read consistently.
        #[test]
        fn mutated_valid_files(dims in proptest::collection::vec(0u32..4, 0..4), at in any::<usize>(), flip in any::<u8>(), cut in any::<bool>()) {
            let n: u32 = dims.iter().product();
            let mut bytes = idx(&dims, &vec![7u8; n as usize]);
            let i = at % bytes.len();
            if cut { bytes.truncate(i) } else { bytes[i] ^= flip }
            if let Ok(t) = parse_idx(bytes.clone(), &PathBuf::from("fuzz")) {
                prop_assert_eq!(t.size() + 4 + 4 * t.ndim(), bytes.len());
            }
        }
    }
}

/// Found by `fuzz/` (target `idx`): a header with one axis of length 0 and huge others describes
/// an empty tensor. Checking its layout once multiplied the huge lengths and overflowed.
#[test]
fn empty_tensors_with_huge_axes() {
    let dims = [0x21f5_f50b, 0, 0x0001_0000, 0x002f_0000, 0xf5, 0x0821, 0x0b0a_0a04, 0xf500_0821];
    let t = parse_idx(idx(&dims, &[]), "empty.idx".as_ref()).unwrap();
    assert_eq!(t.size(), 0);
    assert_eq!(t.shape(), dims.map(|d| d as usize));
    assert!(t.is_contiguous());
    assert_eq!(t.to_vec(), Vec::<u8>::new());
}

/// A gzip bomb: 16 declared bytes followed by 256 MiB of zeros (256 KiB compressed). The reader
/// stops one byte past what the header declares, so it fails at once with little memory.
#[test]
fn gzip_bomb_stops_at_the_declared_size() {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(&idx(&[16], &[0; 16])).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        e.write_all(&zeros).unwrap();
    }
    let p = tmp("bomb.gz", &e.finish().unwrap());
    let t0 = std::time::Instant::now();
    let err = read_idx(&p).unwrap_err().to_string();
    assert!(err.contains("bytes past the 16 that header [16] describes"), "{err}");
    assert!(t0.elapsed().as_secs_f64() < 1.0, "took {:?}", t0.elapsed());
}

#[test]
fn headers_declaring_more_than_allowed_are_refused_before_reading() {
    let bytes = idx(&[60000, 28, 28], &[]);
    let e = read_idx_stream(&bytes[..], "big".as_ref(), 1000).unwrap_err().to_string();
    assert_eq!(e, "big: IDX header [60000, 28, 28] declares 47040000 bytes, more than the 1000 allowed");
}
