//! Cutting C into blocks for threads: at multiples of a unit (whole micro-tiles, so that every
//! block computes each element with the same instructions as one thread would), as disjoint
//! mutable views.

use super::mat::MatMut;

/// Splits `len` into at most `parts` chunks whose boundaries are multiples of `unit`.
pub(crate) fn cut(len: usize, parts: usize, unit: usize) -> Vec<usize> {
    let units = len.div_ceil(unit);
    let parts = parts.min(units).max(1);
    (1..parts).map(|p| (units * p / parts) * unit).collect()
}

/// Cuts C at `cuts` (rows or columns): the disjoint blocks, each with its first row or column.
pub(crate) fn split_c<'a, T: Copy>(
    c: MatMut<'a, T>,
    by_rows: bool,
    cuts: &[usize],
) -> Vec<(usize, MatMut<'a, T>)> {
    let mut blocks = Vec::with_capacity(cuts.len() + 1);
    let (mut rest, mut start) = (c, 0);
    for &at in cuts {
        let (head, tail) = if by_rows { rest.split_rows(at - start) } else { rest.split_cols(at - start) };
        blocks.push((start, head));
        rest = tail;
        start = at;
    }
    blocks.push((start, rest));
    blocks
}

#[cfg(test)]
mod tests {
    #[test]
    fn cuts_fall_on_units() {
        assert_eq!(super::cut(128, 2, 12), vec![60]);
        assert_eq!(super::cut(10, 4, 32), Vec::<usize>::new());
        assert_eq!(super::cut(784, 2, 32), vec![384]);
    }
}
