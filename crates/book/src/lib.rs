//! # tessera-book: chapter 2 of *Deep Learning with Python*, runnable
//!
//! The twelve examples in `examples/` follow the chapter in order, each printing what the
//! chapter prints (NumPy's formats where the chapter shows NumPy output). Each runs on its own
//! (`cargo run --release --example 03_element_wise`); [`CHAPTERS`] lists them for
//! `tessera walkthrough`, which runs them in order. `tests/examples.rs` runs every example and
//! compares its output with `expected/<name>.txt` ([`expected`] has the pattern rules), and the
//! Rust code blocks of the book in `docs/` compile and run as doctests of this crate.

pub mod expected;

/// One runnable example: its file name, what it shows, and its `main`.
pub struct Chapter {
    /// The example's name, as `cargo run --example` takes it.
    pub name: &'static str,
    /// The chapter section it follows.
    pub title: &'static str,
    /// Runs the example, printing to stdout.
    pub run: fn() -> Result<(), Box<dyn std::error::Error>>,
}

// The examples, compiled once more as modules so that `tessera walkthrough` can run them.
#[path = "../examples/01_tensors.rs"]
#[doc(hidden)]
pub mod ex01_tensors;
#[path = "../examples/02_slicing_and_batches.rs"]
#[doc(hidden)]
pub mod ex02_slicing;
#[path = "../examples/03_element_wise.rs"]
#[doc(hidden)]
pub mod ex03_element_wise;
#[path = "../examples/04_broadcasting.rs"]
#[doc(hidden)]
pub mod ex04_broadcasting;
#[path = "../examples/05_dot.rs"]
#[doc(hidden)]
pub mod ex05_dot;
#[path = "../examples/06_reshape.rs"]
#[doc(hidden)]
pub mod ex06_reshape;
#[path = "../examples/07_geometry.rs"]
#[doc(hidden)]
pub mod ex07_geometry;
#[path = "../examples/08_gradient_descent.rs"]
#[doc(hidden)]
pub mod ex08_gradient_descent;
#[path = "../examples/09_momentum.rs"]
#[doc(hidden)]
pub mod ex09_momentum;
#[path = "../examples/10_backprop.rs"]
#[doc(hidden)]
pub mod ex10_backprop;
#[path = "../examples/11_mnist.rs"]
#[doc(hidden)]
pub mod ex11_mnist;
#[path = "../examples/12_from_scratch.rs"]
#[doc(hidden)]
pub mod ex12_from_scratch;

/// The examples in chapter order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        name: "01_tensors",
        title: "2.2 Data representations: tensors of rank 0 to 5, MNIST as a tensor",
        run: ex01_tensors::main,
    },
    Chapter {
        name: "02_slicing_and_batches",
        title: "2.2 Slicing tensors and data batches",
        run: ex02_slicing::main,
    },
    Chapter {
        name: "03_element_wise",
        title: "2.3.1 Element-wise operations: naive loops and kernels, timed",
        run: ex03_element_wise::main,
    },
    Chapter { name: "04_broadcasting", title: "2.3.2 Broadcasting", run: ex04_broadcasting::main },
    Chapter { name: "05_dot", title: "2.3.3 Tensor product: the naive dots and dot", run: ex05_dot::main },
    Chapter {
        name: "06_reshape",
        title: "2.3.4 Tensor reshaping and transposition",
        run: ex06_reshape::main,
    },
    Chapter {
        name: "07_geometry",
        title: "2.3.5 Geometric interpretation: translation, rotation, scaling",
        run: ex07_geometry::main,
    },
    Chapter {
        name: "08_gradient_descent",
        title: "2.4 Gradients and stochastic gradient descent",
        run: ex08_gradient_descent::main,
    },
    Chapter {
        name: "09_momentum",
        title: "2.4.3 Momentum: the chapter's rule and Keras's",
        run: ex09_momentum::main,
    },
    Chapter {
        name: "10_backprop",
        title: "2.4.4 Backpropagation: the chain rule on a graph",
        run: ex10_backprop::main,
    },
    Chapter { name: "11_mnist", title: "2.1 The Keras listing: MNIST in five epochs", run: ex11_mnist::main },
    Chapter {
        name: "12_from_scratch",
        title: "2.5 The same network from scratch on Var",
        run: ex12_from_scratch::main,
    },
];

/// The book's chapters in `docs/`: their Rust code blocks are compiled and run as doctests.
#[cfg(doctest)]
pub mod docs {
    #[doc = include_str!("../../../docs/tensors.md")]
    pub struct Tensors;
    #[doc = include_str!("../../../docs/kernels-elementwise.md")]
    pub struct KernelsElementwise;
    #[doc = include_str!("../../../docs/gemm.md")]
    pub struct Gemm;
    #[doc = include_str!("../../../docs/autograd.md")]
    pub struct Autograd;
    #[doc = include_str!("../../../docs/mnist.md")]
    pub struct Mnist;
    #[doc = include_str!("../../../docs/models.md")]
    pub struct Models;
    #[doc = include_str!("../../../docs/reliability.md")]
    pub struct Reliability;
    #[doc = include_str!("../../../docs/performance.md")]
    pub struct Performance;
    #[doc = include_str!("../../../docs/cheatsheet.md")]
    pub struct Cheatsheet;
    #[doc = include_str!("../../../README.md")]
    pub struct Readme;
}
