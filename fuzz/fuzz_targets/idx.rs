//! Any bytes given to the IDX parser: a tensor whose element count the header describes, or an
//! error naming the file — never a panic. The streaming reader (the one files go through, with a
//! size limit) agrees with the in-memory parser on every input, raw and gzipped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tessera_nn::datasets::idx::{parse_idx, read_idx_stream};

fuzz_target!(|bytes: &[u8]| {
    let name = Path::new("fuzz.idx");
    let parsed = parse_idx(bytes.to_vec(), name);
    if let Ok(t) = &parsed {
        let header = 4 + 4 * usize::from(bytes[3]);
        assert_eq!(t.size(), bytes.len() - header, "the data after the header, all of it");
        assert_eq!(t.to_vec(), bytes[header..], "the data, in order");
    } else if bytes.len() >= 4 && bytes[..3] == [0, 0, 8] {
        // The error message names the file.
        let e = parse_idx(bytes.to_vec(), name).unwrap_err();
        assert!(e.to_string().starts_with("fuzz.idx: "), "{e}");
    }
    // The stream reader with a limit above any input here: the same tensor, or an error.
    let streamed = read_idx_stream(bytes, name, 1 << 20);
    assert_eq!(parsed.as_ref().ok(), streamed.as_ref().ok(), "stream and parser disagree");
    // With a limit below the data, a tensor only if it fits.
    if let Ok(t) = read_idx_stream(bytes, name, 16) {
        assert!(t.size() <= 16);
    }
});
