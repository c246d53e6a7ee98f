//! Stored expected outputs, with the machine-dependent parts masked.
//!
//! An expected output is the example's output line for line, where a line may hold:
//! - `{n}`: any number (timings, speed ratios, figures that depend on the CPU's SIMD width);
//! - `{n:LO..HI}`: a number between LO and HI inclusive (an accuracy that must stay in its band);
//! - `{*}`: any text.
//!
//! Everything else must match exactly.

/// One piece of a pattern line.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Number(Option<(f64, f64)>),
    Any,
}

fn parse(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut text = String::new();
    while !rest.is_empty() {
        let hole = if rest.starts_with("{n}") {
            Some((Piece::Number(None), 3))
        } else if rest.starts_with("{*}") {
            Some((Piece::Any, 3))
        } else if let Some(body) = rest.strip_prefix("{n:") {
            body.find('}').and_then(|end| {
                let (lo, hi) = body[..end].split_once("..")?;
                Some((Piece::Number(Some((lo.parse().ok()?, hi.parse().ok()?))), 3 + end + 1))
            })
        } else {
            None
        };
        match hole {
            Some((piece, len)) => {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(piece);
                rest = &rest[len..];
            }
            None => {
                let c = rest.chars().next().expect("rest is not empty");
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    pieces
}

/// The length of the longest number (`-1.5e-07`, `12`, `0.98`) at the start of `s`.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    let mut any = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        any |= digits(&mut i);
    }
    if !any {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
            j += 1;
        }
        if digits(&mut j) {
            i = j;
        }
    }
    i
}

fn matches_from(pieces: &[Piece], s: &str) -> bool {
    match pieces.split_first() {
        None => s.is_empty(),
        Some((Piece::Text(t), rest)) => s.strip_prefix(t.as_str()).is_some_and(|s| matches_from(rest, s)),
        Some((Piece::Number(range), rest)) => {
            let len = number_len(s);
            // Try the longest number first, then shorter ones (a number may be followed by digits
            // the pattern spells out).
            (1..=len).rev().any(|l| {
                let in_range = match range {
                    None => true,
                    Some((lo, hi)) => s[..l].parse::<f64>().is_ok_and(|v| *lo <= v && v <= *hi),
                };
                in_range && matches_from(rest, &s[l..])
            })
        }
        Some((Piece::Any, rest)) => {
            s.char_indices().map(|(i, _)| i).chain([s.len()]).any(|i| matches_from(rest, &s[i..]))
        }
    }
}

/// Whether `line` matches the pattern line `pattern`.
///
/// ```
/// use tessera_book::expected::line_matches;
/// assert!(line_matches("Took: {n} s", "Took: 0.02 s"));
/// assert!(line_matches("accuracy: {n:0.75..0.9}", "accuracy: 0.81"));
/// assert!(!line_matches("accuracy: {n:0.75..0.9}", "accuracy: 0.11"));
/// assert!(line_matches("epoch 1/5 {*} accuracy: {n}", "epoch 1/5 - 0.4s - loss: 0.26 - accuracy: 0.9245"));
/// assert!(!line_matches("x.ndim", "x.ndim = 3"));
/// ```
pub fn line_matches(pattern: &str, line: &str) -> bool {
    matches_from(&parse(pattern), line)
}

/// Compares a whole output with its expected pattern, line for line; the error names the first
/// line that differs, with both versions.
pub fn check_output(expected: &str, actual: &str) -> Result<(), String> {
    let (want, got): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    for (i, (w, g)) in want.iter().zip(&got).enumerate() {
        if !line_matches(w, g) {
            return Err(format!("line {}:\n  expected: {w}\n  actual:   {g}", i + 1));
        }
    }
    if want.len() != got.len() {
        let (n, which, extra) = if got.len() > want.len() {
            (want.len(), "the output has more lines", got[want.len()])
        } else {
            (got.len(), "the output stops early; expected", want[got.len()])
        };
        return Err(format!("line {}: {which}: {extra}", n + 1));
    }
    Ok(())
}

/// Whether the lines of an output block shown in the docs appear, in order and consecutively, in
/// an example's expected output; a `...` line in the block skips any number of lines.
///
/// ```
/// use tessera_book::expected::block_found;
/// let expected = "a\nTook: {n} s\nb\nc\nd";
/// assert!(block_found("Took: 0.01 s\nb", expected));
/// assert!(block_found("a\n...\nd", expected));
/// assert!(!block_found("a\nb", expected));
/// ```
pub fn block_found(block: &str, expected: &str) -> bool {
    let patterns: Vec<&str> = expected.lines().collect();
    let groups: Vec<Vec<&str>> = block.split("\n...\n").map(|g| g.lines().collect()).collect();
    let mut from = 0;
    for (k, group) in groups.iter().enumerate() {
        let found = (from..=patterns.len().saturating_sub(group.len())).find(|&start| {
            group.iter().zip(&patterns[start..]).all(|(line, pattern)| line_matches(pattern, line))
        });
        match found {
            // The first group may start anywhere; later ones after the previous group.
            Some(start) if k == 0 || start >= from => from = start + group.len(),
            _ => return false,
        }
    }
    true
}
