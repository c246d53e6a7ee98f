//! Tessera in the browser: its own layout, GEMM and model code compiled to WebAssembly for the
//! page in `web/` (built and served by `scripts/web.sh`, described in docs/web.md).
//!
//! - [`explorer`]: NumPy view expressions ([`view_expr`]) applied by Tessera's layout code, and
//!   the [`puzzles`](mod@puzzles) checked with it;
//! - [`ladder_lab`]: the GEMM ladder's tiers on the visitor's CPU, each checked against the naive
//!   loop;
//! - [`digit`]: a model saved by `tessera mnist --save` reading a drawing.
//!
//! The page's interface is `bindings.rs` (`wasm-bindgen`, compiled for wasm32 only): each
//! function returns JSON or bytes and never panics on what the page passes. Everything behind it
//! is plain Rust, tested natively.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod digit;
pub mod explorer;
pub mod ladder_lab;
pub mod puzzles;
pub mod view_expr;

#[cfg(target_arch = "wasm32")]
mod bindings;

/// `"3, 4"`, `"(3, 4)"` or `"3x4"` as dimensions.
pub fn parse_shape(text: &str) -> Result<Vec<usize>, String> {
    let inner = text.trim().trim_start_matches(['(', '[']).trim_end_matches([')', ']']);
    inner
        .split([',', 'x', '×'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|_| format!("shape {text:?}: {s:?} is not a length")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_shape;

    #[test]
    fn shapes_as_people_type_them() {
        assert_eq!(parse_shape("3, 4").unwrap(), [3, 4]);
        assert_eq!(parse_shape("(2,3,4)").unwrap(), [2, 3, 4]);
        assert_eq!(parse_shape(" 28x28 ").unwrap(), [28, 28]);
        assert_eq!(parse_shape("(5,)").unwrap(), [5]);
        assert!(parse_shape("3, -4").unwrap_err().contains("not a length"));
    }
}
