//! Stride puzzles: a target layout to reach from a given `x` with views only, checked by
//! evaluating the learner's expression with Tessera's layout code.

use crate::explorer;
use serde_json::{Value, json};

/// One puzzle: from `x = arange(..).reshape(base)`, make a view with this layout.
#[derive(Debug, Clone, Copy)]
pub struct Puzzle {
    /// What to do, in words.
    pub prompt: &'static str,
    /// The shape of `x`.
    pub base: &'static [usize],
    /// The shape to reach.
    pub shape: &'static [usize],
    /// The strides to reach, in elements.
    pub strides: &'static [isize],
    /// The offset to reach.
    pub offset: usize,
    /// One expression that solves it (shown on request).
    pub answer: &'static str,
}

/// The puzzles, easiest first.
pub const PUZZLES: &[Puzzle] = &[
    Puzzle {
        prompt: "Reverse the rows of a 3×4 matrix without copying.",
        base: &[3, 4],
        shape: &[3, 4],
        strides: &[-4, 1],
        offset: 8,
        answer: "x[::-1]",
    },
    Puzzle {
        prompt: "Make strides [1, 4]: the same storage read column by column.",
        base: &[3, 4],
        shape: &[4, 3],
        strides: &[1, 4],
        offset: 0,
        answer: "x.T",
    },
    Puzzle {
        prompt: "Every other column, starting from the last: strides [4, -2].",
        base: &[3, 4],
        shape: &[3, 2],
        strides: &[4, -2],
        offset: 3,
        answer: "x[:, ::-2]",
    },
    Puzzle {
        prompt: "Repeat a row of 4 three times with no copy: strides [0, 1].",
        base: &[4],
        shape: &[3, 4],
        strides: &[0, 1],
        offset: 0,
        answer: "np.broadcast_to(x, (3, 4))",
    },
    Puzzle {
        prompt: "Make strides [-2, 3] from arange(12).",
        base: &[12],
        shape: &[2, 4],
        strides: &[-2, 3],
        offset: 2,
        answer: "x.reshape(4, 3).T[::-2]",
    },
    Puzzle {
        prompt: "The main diagonal of a 4×4 matrix as a 1-D view: stride 5.",
        base: &[4, 4],
        shape: &[4],
        strides: &[5],
        offset: 0,
        answer: "x.reshape(16)[::5]",
    },
];

/// Whether `expr` solves puzzle `index`, and why not.
///
/// ```
/// use tessera_web::puzzles::check;
/// assert!(check(4, "x.reshape(4, 3).T[::-2]").unwrap());
/// assert!(!check(4, "x[::-2]").unwrap());
/// ```
pub fn check(index: usize, expr: &str) -> Result<bool, String> {
    Ok(verdict(index, expr)?.0)
}

/// `(solved, what the expression made)`.
fn verdict(index: usize, expr: &str) -> Result<(bool, String), String> {
    let p = PUZZLES.get(index).ok_or_else(|| format!("no puzzle {index} (there are {})", PUZZLES.len()))?;
    let r = explorer::explore(p.base, expr)?;
    let made = format!(
        "{}shape {:?}, strides {:?}, offset {}",
        if r.is_view { "a view: " } else { "a copy (puzzles want views): " },
        r.shape,
        r.strides,
        r.offset
    );
    let solved = r.is_view && r.shape == p.shape && r.strides == p.strides && r.offset == p.offset;
    Ok((solved, made))
}

/// The puzzles as JSON for the page.
pub fn list_json() -> String {
    let list: Vec<Value> = PUZZLES
        .iter()
        .map(|p| {
            json!({"prompt": p.prompt, "base": p.base, "shape": p.shape, "strides": p.strides,
                   "offset": p.offset, "answer": p.answer})
        })
        .collect();
    Value::Array(list).to_string()
}

/// The page's check: `{"solved": bool, "made": ...}` or `{"error": ...}`.
pub fn check_json(index: usize, expr: &str) -> String {
    match verdict(index, expr) {
        Ok((solved, made)) => json!({ "solved": solved, "made": made }).to_string(),
        Err(e) => json!({ "error": e }).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{PUZZLES, check};

    #[test]
    fn every_answer_solves_its_puzzle() {
        for (i, p) in PUZZLES.iter().enumerate() {
            assert!(check(i, p.answer).unwrap(), "puzzle {i}: {}", p.answer);
        }
    }

    #[test]
    fn copies_and_near_misses_do_not() {
        assert!(!check(1, "x.T.copy()").unwrap());
        assert!(!check(0, "x[::1]").unwrap());
        assert!(check(9, "x").is_err());
        assert!(check(0, "x[").is_err());
    }
}
