//! The committed fuzz corpora (`fuzz/corpora/<target>/`), replayed as ordinary tests on stable:
//! every input the fuzzers kept, and every crash they found once, must run clean.

#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod tessera_fuzz;

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpora").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        run(&bytes);
    }
    files.len()
}

#[test]
fn broadcast_programs_corpus_runs_clean() {
    let n = replay("broadcast_programs", tessera_fuzz::programs::broadcast_program);
    assert!(n > 0, "the corpus is empty");
}
