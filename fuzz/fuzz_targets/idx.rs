//! Any bytes given to the IDX parser: a tensor whose element count the header describes, or an
//! error naming the file — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tessera_nn::datasets::idx::parse_idx;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(t) = parse_idx(bytes.to_vec(), Path::new("fuzz.idx")) {
        let header = 4 + 4 * usize::from(bytes[3]);
        assert_eq!(t.size(), bytes.len() - header, "the data after the header, all of it");
        assert_eq!(t.to_vec(), bytes[header..], "the data, in order");
    } else if bytes.len() >= 4 && bytes[..3] == [0, 0, 8] {
        // The error message names the file.
        let e = parse_idx(bytes.to_vec(), Path::new("fuzz.idx")).unwrap_err();
        assert!(e.to_string().starts_with("fuzz.idx: "), "{e}");
    }
});
