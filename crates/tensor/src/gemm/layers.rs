//! The production layers around the plain packed GEMM, each switchable at run time.
//!
//! The ladder's packed step is the five BLIS loops around a micro-kernel. What makes the
//! production GEMM faster than that on real work is a set of extras, each a separate idea with
//! its own measured gain (docs/gemm.md, "The production layers"):
//!
//! | layer | what it does | where |
//! |---|---|---|
//! | `zero_steps` | skips k steps that are zero in a whole micro-panel of A | `zero_steps.rs`, `packed.rs` |
//! | `next_a_prefetch` | each tile fetches a stretch of the next A panel into L2 | `packed.rs`, `kernel_x86.rs` |
//! | `fused_epilogue` | applies `relu(C + bias)` to each tile as it is finished | `epilogue.rs` |
//! | `shared_a` | in a column split, the threads pack A once, together, and share it | `parallel.rs` |
//! | `small_paths` | narrow C and small products skip packing A | `narrow.rs` |
//! | `linger` | after a parallel product, the other workers poll for 1 ms | `runtime/warm.rs` |
//! | `depth_split` | a short, wide C of two KC slices: one slice per thread, then one sum | `depth_split.rs` |
//! | `b_in_place` | a short A reads B's rows where they lie instead of packing them | `b_in_place.rs` |
//! | `claimed_rows` | two threads take a row split's panels from the two ends of C as they go | `claimed_rows.rs` |
//! | `row_steps` | in a sparse A panel, each row runs only its own nonzero steps | `row_steps.rs`, `packed.rs` |
//! | `sparse_rows` | a very sparse block of A runs as lists of each row's nonzeros, nothing packed | `sparse_rows.rs`, `packed.rs` |
//!
//! Every layer leaves the result's bits unchanged, so switching one off (for a benchmark:
//! `tessera bench gemm --layers`) changes the speed and nothing else. The switches are global to
//! the process. All are on by default except `linger`: a library call returns with nothing left
//! running unless asked (`tessera bench gemm`, which times loops of products, switches it on).

use std::sync::atomic::{AtomicU16, Ordering};

/// Which production layers run ([`Layers::DEFAULT`] unless [`set_layers`] changed them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layers {
    /// Skip the k steps that are zero in a whole micro-panel of A.
    pub zero_steps: bool,
    /// Prefetch the next A micro-panel into L2 while the row before computes.
    pub next_a_prefetch: bool,
    /// Apply a Dense layer's bias and ReLU to each tile as it is finished, not in a pass after.
    pub fused_epilogue: bool,
    /// In a column split, pack A once for all threads.
    pub shared_a: bool,
    /// Narrow C and small products without packing A (matrix-vector products always take
    /// their own path, which sums in another order).
    pub small_paths: bool,
    /// Keep the other workers polling for 1 ms after a parallel product.
    pub linger: bool,
    /// Give each of two threads one of a short, wide product's two KC slices (each reads its
    /// own rows of B), then add the two partial products, instead of splitting C by columns.
    pub depth_split: bool,
    /// With a short A, read B's row-major rows in place instead of packing B.
    pub b_in_place: bool,
    /// On two threads, hand out a row split's panels from the two ends of C as the threads ask,
    /// instead of half of the rows each.
    pub claimed_rows: bool,
    /// Where zero-skipping applies and A's rows are much sparser than their panel, run each
    /// row of a tile over its own nonzero steps.
    pub row_steps: bool,
    /// Where A's rows are far sparser than its panels' kept steps, list each row's nonzeros
    /// straight from A and compute C's rows from B's rows in place, packing neither.
    pub sparse_rows: bool,
}

impl Layers {
    /// Every layer on: the production GEMM.
    pub const ALL: Layers = Layers {
        zero_steps: true,
        next_a_prefetch: true,
        fused_epilogue: true,
        shared_a: true,
        small_paths: true,
        linger: true,
        depth_split: true,
        b_in_place: true,
        claimed_rows: true,
        row_steps: true,
        sparse_rows: true,
    };
    /// What a process starts with: every layer but `linger`, so that no thread keeps spinning
    /// after a call returns.
    pub const DEFAULT: Layers = Layers { linger: false, ..Layers::ALL };
    /// Every layer off: the plain packed loops (and plain parallel split).
    pub const NONE: Layers = Layers {
        zero_steps: false,
        next_a_prefetch: false,
        fused_epilogue: false,
        shared_a: false,
        small_paths: false,
        linger: false,
        depth_split: false,
        b_in_place: false,
        claimed_rows: false,
        row_steps: false,
        sparse_rows: false,
    };

    /// The layers by name, for tables: `(name, this set with only that layer off)`.
    pub fn each_off(self) -> Vec<(&'static str, Layers)> {
        vec![
            ("zero_steps", Layers { zero_steps: false, ..self }),
            ("next_a_prefetch", Layers { next_a_prefetch: false, ..self }),
            ("fused_epilogue", Layers { fused_epilogue: false, ..self }),
            ("shared_a", Layers { shared_a: false, ..self }),
            ("small_paths", Layers { small_paths: false, ..self }),
            ("linger", Layers { linger: false, ..self }),
            ("depth_split", Layers { depth_split: false, ..self }),
            ("b_in_place", Layers { b_in_place: false, ..self }),
            ("claimed_rows", Layers { claimed_rows: false, ..self }),
            ("row_steps", Layers { row_steps: false, ..self }),
            ("sparse_rows", Layers { sparse_rows: false, ..self }),
        ]
    }

    fn bits(self) -> u16 {
        [
            self.zero_steps,
            self.next_a_prefetch,
            self.fused_epilogue,
            self.shared_a,
            self.small_paths,
            self.linger,
            self.depth_split,
            self.b_in_place,
            self.claimed_rows,
            self.row_steps,
            self.sparse_rows,
        ]
        .iter()
        .enumerate()
        .fold(0, |acc, (i, &on)| acc | (u16::from(on) << i))
    }

    fn from_bits(b: u16) -> Layers {
        let on = |i: u16| b & (1 << i) != 0;
        Layers {
            zero_steps: on(0),
            next_a_prefetch: on(1),
            fused_epilogue: on(2),
            shared_a: on(3),
            small_paths: on(4),
            linger: on(5),
            depth_split: on(6),
            b_in_place: on(7),
            claimed_rows: on(8),
            row_steps: on(9),
            sparse_rows: on(10),
        }
    }
}

impl Default for Layers {
    fn default() -> Self {
        Layers::DEFAULT
    }
}

/// Bit i of [`Layers::bits`]: `linger` is bit 5, off by default.
static LAYERS: AtomicU16 = AtomicU16::new(0b111_1101_1111);

/// The layers the GEMM runs with now.
pub fn layers() -> Layers {
    Layers::from_bits(LAYERS.load(Ordering::Relaxed))
}

/// Switches layers for every later product in this process (the results keep their bits).
///
/// ```
/// use tessera_tensor::gemm::{layers, set_layers, Layers};
/// let before = layers();
/// set_layers(Layers { zero_steps: false, ..before });
/// assert!(!layers().zero_steps);
/// set_layers(before);
/// ```
pub fn set_layers(layers: Layers) {
    LAYERS.store(layers.bits(), Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::Layers;

    #[test]
    fn bits_round_trip() {
        for (_, l) in Layers::ALL.each_off().into_iter().chain(Layers::NONE.each_off()) {
            assert_eq!(Layers::from_bits(l.bits()), l);
        }
        assert_eq!(Layers::from_bits(Layers::ALL.bits()), Layers::ALL);
        assert_eq!(Layers::ALL.bits(), 0b111_1111_1111);
        assert_eq!(Layers::from_bits(0b111_1101_1111), Layers::DEFAULT);
    }
}
