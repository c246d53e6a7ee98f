//! `tessera walkthrough` runs the book's examples in order, each under its heading, printing
//! exactly what the example run on its own prints.

use std::path::Path;
use std::process::{Command, Output};
use tessera_book::CHAPTERS;
use tessera_book::expected::check_output;

fn walkthrough(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("walkthrough")
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the tessera binary runs")
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/expected").join(format!("{name}.txt"));
    std::fs::read_to_string(path).expect("expected output")
}

#[test]
fn runs_the_chosen_examples_in_order_under_their_headings() {
    let out = walkthrough(&["--only", "7,05_dot", "--no-pause"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let sections: Vec<&str> = text.split("━━ ").filter(|s| !s.is_empty()).collect();
    assert_eq!(sections.len(), 2, "{text}");
    for (section, name) in sections.iter().zip(["07_geometry", "05_dot"]) {
        let (heading, body) = section.split_once("\n\n").expect("a heading, a blank line, the output");
        assert!(
            heading.starts_with(name) && heading.contains(&format!("crates/book/examples/{name}.rs")),
            "{heading}"
        );
        check_output(&expected(name), body.trim_end_matches('\n')).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn lists_every_example_and_refuses_unknown_ones() {
    let out = walkthrough(&["--list"]);
    let list = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(list.lines().count(), CHAPTERS.len());
    assert!(list.lines().next().unwrap().contains("01_tensors"));
    let out = walkthrough(&["--only", "13"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no example \"13\"") && err.contains("--list"), "{err}");
}
