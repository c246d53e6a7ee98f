//! Runs every example of the book and compares its output with `expected/<name>.txt`
//! (`tessera_book::expected` has the masking rules), and checks that every output block the docs
//! show is what an example prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use tessera_book::CHAPTERS;
use tessera_book::expected::{block_found, check_output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("expected").join(format!("{name}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example binaries `cargo test` built next to this test (`target/<profile>/examples/`);
/// built here when the test runs alone (`cargo test --test examples` does not build examples).
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its path");
    let dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>").join("examples");
    let missing =
        CHAPTERS.iter().any(|c| !dir.join(format!("{}{}", c.name, std::env::consts::EXE_SUFFIX)).exists());
    if missing {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--examples", "-p", "tessera-book"])
            .current_dir(repo())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the examples failed");
    }
    dir
}

#[test]
fn every_example_prints_its_expected_output() {
    let dir = examples_dir();
    let scratch = std::env::temp_dir().join(format!("tessera-book-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory for files the examples write");
    let mut failures = Vec::new();
    for chapter in CHAPTERS {
        let out = Command::new(dir.join(chapter.name))
            .current_dir(&scratch)
            .env_remove("MNIST_DIR")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", chapter.name));
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            failures.push(format!(
                "{} failed: {}\n{}",
                chapter.name,
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        } else if let Err(diff) = check_output(&expected(chapter.name), &stdout) {
            failures.push(format!("{}: {diff}", chapter.name));
        }
    }
    let svg = std::fs::read_to_string(scratch.join("backprop_graph.svg")).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "examples whose output changed:\n{}", failures.join("\n"));
    for node in ["loss_val: abs", "x2: add", "x1: mul", "w: param", "= 3"] {
        assert!(svg.contains(node), "10_backprop's picture has no node {node:?}");
    }
}

/// An output block in the docs is a ```text block right after a line `<!-- output: NAME -->`.
fn output_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.trim().strip_prefix("<!-- output: ").and_then(|s| s.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next().map(str::trim),
            Some("```text"),
            "an output marker for {name} must precede a ```text block"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push((name.to_string(), body.join("\n")));
    }
    blocks
}

#[test]
fn output_blocks_in_the_docs_are_what_the_examples_print() {
    let mut checked = 0;
    let docs = repo().join("docs");
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(&docs).expect("docs/").map(|e| e.expect("entry").path()).collect();
    pages.push(repo().join("README.md"));
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(page).expect("readable page");
        for (name, block) in output_blocks(&text) {
            assert!(CHAPTERS.iter().any(|c| c.name == name), "{}: no example named {name}", page.display());
            assert!(
                block_found(&block, &expected(&name)),
                "{}: this block is not what {name} prints:\n{block}",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "the docs show at least five example outputs; found {checked}");
}
