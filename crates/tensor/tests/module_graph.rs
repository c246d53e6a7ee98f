//! The module import graph of tessera-tensor has no circle: a reader can follow any type from
//! where it is used to where it is defined and never come back to where they started.
//!
//! Nodes are the crate's modules (one per source file); an edge `a -> b` means a path in `a`'s
//! code (`use` items and inline `crate::…`, `super::…`, `self::…` paths, tests and comments left
//! out) names an item of `b`. A re-export is an edge too, so a parent that re-exports its
//! children must not be imported by them: children name their siblings directly
//! (`super::mat::MatRef`, not `super::MatRef`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `src/gemm/pack.rs` -> `["gemm", "pack"]`; `src/lib.rs` -> `[]`; `src/gemm/mod.rs` -> `["gemm"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without comments, string literals and its `#[cfg(test)]` tail.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(") && t.contains("test") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        let line = line.split(" //").next().unwrap();
        // Drop string literals (paths in messages are not imports).
        let mut in_str = false;
        for (i, part) in line.split('"').enumerate() {
            if i % 2 == 0 || !in_str {
                code.push_str(part);
            }
            in_str = !in_str;
        }
        code.push('\n');
    }
    code
}

/// Every path the code names, as written: `use` trees expanded, inline paths as found.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(';').unwrap_or(rest.len());
        expand(&rest[..end].split_whitespace().collect::<String>(), "", &mut paths);
        rest = &rest[end..];
    }
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(root) {
            let at = from + i;
            from = at + root.len();
            let prev = code[..at].chars().last();
            if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail: String =
                code[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            // `$crate::s!`: exported macros live at the crate root wherever they are written.
            // `super::{a, b}`: a `use` group, expanded above.
            if code[at + tail.len()..].starts_with('!') || tail.ends_with("::") {
                continue;
            }
            paths.push(tail.trim_end_matches(':').to_string());
        }
    }
    paths
}

/// `a::{b, c::{d}}` -> `a::b`, `a::c::d`.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    if let Some(open) = tree.find('{') {
        let head = &tree[..open];
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let mut depth = 0;
        let mut start = 0;
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], &format!("{prefix}{head}"), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &format!("{prefix}{head}"), out);
    } else if !tree.is_empty() {
        let path = format!("{prefix}{tree}");
        out.push(path.split(" as ").next().unwrap().to_string());
    }
}

/// The module a path written in `module` names an item of: the longest known module prefix.
fn target(module: &[String], path: &str, modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segs.first() {
        Some(&"crate") => Vec::new(),
        Some(&"self") => module.to_vec(),
        Some(&"super") => module.to_vec(),
        // A path relative to this module: `mod pack;` then `use pack::pack_a;`.
        Some(first) if modules.contains(&[module, &[first.to_string()]].concat()) => {
            segs.insert(0, "self");
            module.to_vec()
        }
        _ => return None,
    };
    while segs.first() == Some(&"super") {
        base.pop()?;
        segs.remove(0);
    }
    if matches!(segs.first(), Some(&"crate") | Some(&"self")) {
        segs.remove(0);
    }
    let mut at = base;
    for seg in segs {
        let mut next = at.clone();
        next.push(seg.to_string());
        if !modules.contains(&next) {
            break;
        }
        at = next;
    }
    Some(at)
}

#[test]
fn the_module_graph_has_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for path in paths_in(&code) {
            if let Some(to) = target(&module, &path, &modules).filter(|to| *to != module) {
                edges.entry(module.clone()).or_default().insert(to);
            }
        }
    }
    let name = |m: &Vec<String>| if m.is_empty() { "crate".to_string() } else { m.join("::") };
    // Depth-first search for a back edge; report every circle found.
    let mut circles = Vec::new();
    let mut state: BTreeMap<Vec<String>, u8> = BTreeMap::new();
    fn visit(
        m: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
        circles: &mut Vec<Vec<Vec<String>>>,
    ) {
        state.insert(m.clone(), 1);
        stack.push(m.clone());
        for to in edges.get(m).into_iter().flatten() {
            match state.get(to) {
                Some(1) => {
                    let from = stack.iter().position(|s| s == to).unwrap();
                    circles.push(stack[from..].to_vec());
                }
                Some(_) => {}
                None => visit(to, edges, state, stack, circles),
            }
        }
        stack.pop();
        state.insert(m.clone(), 2);
    }
    for m in &modules {
        if !state.contains_key(m) {
            visit(m, &edges, &mut state, &mut Vec::new(), &mut circles);
        }
    }
    let report: Vec<String> = circles
        .iter()
        .map(|c| c.iter().chain(std::iter::once(&c[0])).map(name).collect::<Vec<_>>().join(" -> "))
        .collect();
    assert!(report.is_empty(), "import circles in tessera-tensor:\n{}", report.join("\n"));
}
