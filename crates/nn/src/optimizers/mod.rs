//! Optimizers with Keras' defaults and update rules. Each keeps explicit per-parameter state
//! (created as zeros on the first step, in parameter order) and updates every parameter in one
//! fused pass over its contiguous storage: read param, grad and state once, write them once.

mod adam;
mod rmsprop;
mod sgd;

pub use adam::Adam;
pub use rmsprop::RMSprop;
pub use sgd::SGD;

use crate::error::{NnError, Result};
use tessera_autograd::Var;
use tessera_tensor::Tensor;

/// An optimizer: turns gradients into parameter updates. `Send`, so that a model can train on
/// a pool's thread.
pub trait Optimizer: Send {
    /// Keras name.
    fn name(&self) -> &'static str;
    /// Applies one update to every parameter from its accumulated gradient (parameters without a
    /// gradient are skipped).
    fn step(&mut self, params: &[Var<f32>]) -> Result<()>;
    /// Hyper-parameters by their Keras names (`learning_rate`, `rho`, ...), as a model file
    /// records them; empty for an optimizer that records none.
    fn config(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
}

/// Rebuilds an optimizer from its Keras name and [`Optimizer::config`] (missing values take
/// Keras' defaults); `None` for a name this crate does not know. Its state starts at zero.
pub fn from_config(name: &str, get: impl Fn(&str) -> Option<f64>) -> Option<Box<dyn Optimizer>> {
    let f = |key: &str, default: f32| get(key).map_or(default, |v| v as f32);
    Some(match name.to_ascii_lowercase().as_str() {
        "rmsprop" => {
            let mut o = RMSprop::new(f("learning_rate", 0.001));
            o.rho = f("rho", o.rho);
            o.epsilon = f("epsilon", o.epsilon);
            Box::new(o)
        }
        "sgd" => Box::new(
            SGD::new(f("learning_rate", 0.01))
                .momentum(f("momentum", 0.0))
                .nesterov(f("nesterov", 0.0) != 0.0),
        ),
        "adam" => {
            let mut o = Adam::new(f("learning_rate", 0.001));
            o.beta_1 = f("beta_1", o.beta_1);
            o.beta_2 = f("beta_2", o.beta_2);
            o.epsilon = f("epsilon", o.epsilon);
            Box::new(o)
        }
        _ => return None,
    })
}

/// Zero-initialised state slots matching `params` (created once, on the first step).
pub(crate) fn ensure_state(state: &mut Vec<Vec<f32>>, params: &[Var<f32>]) {
    if state.len() != params.len() {
        *state = params.iter().map(|p| vec![0.0; p.value().size()]).collect();
    }
}

/// Elements per thread below which an update is not split further (a part must outweigh its
/// scheduling).
const CHUNK: usize = 1 << 15;

/// Elements per check for a gradient run of zeros (16 lines of 64 bytes, half of a 512-wide
/// weight row): runs of 64 cost a dense gradient's update 5-15% more, runs of 256 1-3%.
const RUN: usize = 256;

/// Applies `f(param, grad, state)` element-wise, split into one contiguous part per thread (at
/// most one per [`CHUNK`]), the first part on the calling thread: updates are independent per
/// element, so the split cannot change any result. One part per thread, in order, keeps each
/// core on the same rows of a weight matrix as the products' splits (the GEMM's row split and
/// depth split give the calling thread the first rows too), so the rows it rewrites are the
/// ones it reads next.
///
/// A run of [`RUN`] gradients that are all `+0.0` calls `zero(state)` instead, which must be
/// what `f` does to the state for `g = +0.0` given that it leaves the parameter unchanged.
/// The first layer's gradient has a zero row for every input feature that is zero across the
/// batch (a third of MNIST's pixels), and those rows then cost no square root or division.
pub(crate) fn par_update(
    p: &mut [f32],
    g: &[f32],
    state: &mut [f32],
    f: impl Fn(&mut f32, f32, &mut f32) + Sync,
    zero: impl Fn(&mut f32) + Sync,
) {
    let parts = (p.len() / CHUNK).clamp(1, rayon::current_num_threads());
    // Part lengths in whole 64-byte lines of f32 (the last part takes the rest).
    let len = p.len().div_ceil(parts).next_multiple_of(16).max(1);
    let run = |(p, g, s): (&mut [f32], &[f32], &mut [f32])| {
        let _span = tessera_tensor::runtime::trace::span_with("update", [p.len(), 0, 0]);
        // Compiled for the CPU's widest vectors (sqrt and division dominate the update); the
        // closure must be inlined into each ISA's copy or it is compiled for the baseline.
        tessera_tensor::simd::vectorized(
            #[inline(always)]
            || update_runs(p, g, s, &f, &zero),
        )
    };
    let split = p.chunks_mut(len).zip(g.chunks(len)).zip(state.chunks_mut(len));
    tessera_tensor::runtime::fork::run_parts(split.map(|((p, g), s)| {
        let run = &run;
        move || run((p, g, s))
    }));
}

/// [`par_update`]'s work on one part, a run of [`RUN`] elements at a time (inlined, so that
/// the caller's vector width applies to `f`).
#[inline(always)]
fn update_runs(
    p: &mut [f32],
    g: &[f32],
    s: &mut [f32],
    f: &impl Fn(&mut f32, f32, &mut f32),
    zero: &impl Fn(&mut f32),
) {
    let runs = p.chunks_mut(RUN).zip(g.chunks(RUN)).zip(s.chunks_mut(RUN));
    for ((p, g), s) in runs {
        // Bits, not `== 0.0`: `-0.0` would turn a `-0.0` parameter into `+0.0`.
        if g.iter().fold(0, |bits, g| bits | g.to_bits()) == 0 {
            s.iter_mut().for_each(zero);
            continue;
        }
        for ((p, &g), s) in p.iter_mut().zip(g).zip(s.iter_mut()) {
            f(p, g, s);
        }
    }
}

/// Runs `f(param, grad, i)` on each parameter's own contiguous storage.
pub(crate) fn for_each_param(
    params: &[Var<f32>],
    mut f: impl FnMut(&mut [f32], &[f32], usize),
) -> Result<()> {
    for (i, p) in params.iter().enumerate() {
        let Some(g) = p.grad() else { continue };
        let g = g.to_contiguous();
        let gs = g.as_slice().expect("contiguous");
        let mut err = None;
        p.update(|v: &mut Tensor<f32>| {
            if !v.is_contiguous() {
                *v = v.to_contiguous();
            }
            let (storage, layout) = v.writable_parts();
            let off = layout.offset();
            let n = layout.size();
            if n != gs.len() {
                err = Some(NnError::Model(format!(
                    "parameter {i}: value has {n} elements, gradient {}",
                    gs.len()
                )));
                return;
            }
            f(&mut storage[off..off + n], gs, i);
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    Ok(())
}

/// A boxed optimizer is an optimizer (so one chosen at run time can be passed to `compile`).
impl Optimizer for Box<dyn Optimizer> {
    fn name(&self) -> &'static str {
        (**self).name()
    }
    fn step(&mut self, params: &[Var<f32>]) -> Result<()> {
        (**self).step(params)
    }
    fn config(&self) -> Vec<(&'static str, f64)> {
        (**self).config()
    }
}
