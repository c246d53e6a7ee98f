//! # tessera-autograd: reverse-mode automatic differentiation
//!
//! Chapter 2.4 in code. Modules in the order a training step uses them:
//!
//! | module | what it holds |
//! |---|---|
//! | [`var`] | `Var`: a tensor plus the node that made it; `no_grad`, `detach` |
//! | [`forward`] | differentiable ops on `Var` (define-by-run: the kernel runs now, the node is recorded) |
//! | `op` | the closed set of primitive ops and **all backward rules, in one place** |
//! | [`backward`] | the reverse topological walk that accumulates gradients |
//! | [`gradcheck`](mod@gradcheck) | the f64 central-difference checker every rule is tested with |
//! | [`dot`] | Graphviz export of a graph |
//!
//! ```
//! use tessera_autograd::Var;
//! use tessera_tensor::tensor;
//! // loss = mean(relu(x W)), the shape of one Dense layer
//! let x = Var::constant(tensor![[1.0f64, -2.0]]);
//! let w = Var::param(tensor![[0.5f64, -1.0], [0.25, 1.0]]);
//! let loss = x.matmul(&w).unwrap().relu().mean_all().unwrap();
//! loss.backward().unwrap();
//! assert_eq!(w.grad().unwrap().to_vec(), vec![0.0, 0.0, 0.0, 0.0]); // both units are dead
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod backward;
pub mod dot;
pub mod error;
pub mod forward;
pub mod gradcheck;
mod op;
pub mod real;
pub mod svg;
pub mod var;

pub use dot::to_dot;
pub use error::{AutogradError, Result};
pub use forward::concatenate;
pub use gradcheck::{GradcheckOptions, gradcheck};
pub use op::sum_to_shape;
pub use real::Real;
pub use svg::to_svg;
pub use var::{Var, is_no_grad, no_grad};
