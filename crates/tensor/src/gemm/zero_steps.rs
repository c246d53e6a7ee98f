//! Zero-skipping: the k steps of a packed A micro-panel where all MR values are zero add nothing
//! to the tile, so the micro-kernel may leave them out.
//!
//! ```text
//!  A micro-panel (MR = 3 rows × kc steps)       steps kept: [2, 3, 5]
//!  step:  0  1  2  3  4  5  6                   the kernel runs 3 steps instead of 7, reading
//!         0  0  .3 0  0  0  0                   A's and B's rows 2, 3 and 5 of the packed panels
//!         0  0  0  .8 0  .1 0
//!         0  0  .5 .2 0  0  0
//! ```
//!
//! Why the result keeps every bit: a skipped step's FMAs add `0·b = ±0` to an accumulator that
//! starts at +0, and `x + ±0 = x` for every x except −0, which round-to-nearest sums starting
//! from +0 never produce. What breaks it is `0·∞ = NaN`: so steps are skipped only when the
//! packed B block is finite everywhere (checked once per block, only if some panel would skip).
//!
//! Why it pays: MNIST's pixels are 81% zeros. In a panel of 12 images the union of nonzero pixels
//! is ~50% of the 784 steps, and in a panel of 12 pixels (the weight gradient `xᵀ·dh`) the union
//! of images that light any of them is ~50% of the batch: the two large products of a training
//! step do half their multiply-adds. A dense A pays one scan of its panel's first steps per KC
//! slice (see [`ZeroSteps::scan`]), nothing per tile.

use super::pack::assume_init;
use super::scalar::GemmScalar;
use std::mem::MaybeUninit;

/// A panel whose first `DENSE_PREFIX` steps all hold a nonzero is taken as dense without scanning
/// further: random or ReLU-sparse data in 12 rows almost never has an all-zero step.
const DENSE_PREFIX: usize = 32;

/// The kept steps of each micro-panel of one packed A block (one KC slice of up to MC rows).
pub(crate) struct ZeroSteps {
    /// Depth of the panels last scanned.
    kc: usize,
    /// `kc` slots per panel: the kept steps, ascending, in the first `kept[panel]` slots.
    steps: Vec<u16>,
    /// Per panel, how many steps are kept, or `None` when the whole depth runs.
    kept: Vec<Option<usize>>,
    /// How many panels the last scan covered.
    panels: usize,
}

/// The panels `first..` of a [`ZeroSteps`], scanned by one thread (see [`ZeroSteps::parts`]).
pub(crate) struct ZeroStepsPart<'a> {
    kc: usize,
    steps: &'a mut [u16],
    kept: &'a mut [Option<usize>],
}

impl ZeroSteps {
    /// Room for `panels` micro-panels of depth up to `kc_max`.
    pub(crate) fn new(panels: usize, kc_max: usize) -> Self {
        debug_assert!(kc_max <= usize::from(u16::MAX) + 1, "steps are stored as u16");
        ZeroSteps { kc: 0, steps: vec![0; panels * kc_max], kept: vec![None; panels], panels: 0 }
    }

    /// Scans the first `panels` micro-panels (`mr` wide, depth `kc`) of `apack`; true when some
    /// panel skips steps. A panel skips only when at least an eighth of its steps are all-zero.
    ///
    /// # Safety
    /// `apack` holds `panels · mr · kc` elements written by packing.
    pub(crate) unsafe fn scan<T: GemmScalar>(
        &mut self,
        apack: &[MaybeUninit<T>],
        mr: usize,
        panels: usize,
        kc: usize,
    ) -> bool {
        let mut whole = self.parts(kc, panels, &[]);
        // SAFETY: the caller's contract.
        unsafe { whole[0].scan(apack, mr) };
        self.any()
    }

    /// Splits the first `panels` panels (depth `kc`) at the panel indices `cuts`, so that
    /// threads can scan their parts of a packed A as they pack it.
    pub(crate) fn parts(&mut self, kc: usize, panels: usize, cuts: &[usize]) -> Vec<ZeroStepsPart<'_>> {
        debug_assert!(panels <= self.kept.len() && panels * kc <= self.steps.len());
        (self.kc, self.panels) = (kc, panels);
        let (mut steps, mut kept) = (&mut self.steps[..panels * kc], &mut self.kept[..panels]);
        let mut parts = Vec::with_capacity(cuts.len() + 1);
        let mut start = 0;
        for end in cuts.iter().copied().chain([panels]) {
            let (s, s_rest) = std::mem::take(&mut steps).split_at_mut((end - start) * kc);
            let (k, k_rest) = std::mem::take(&mut kept).split_at_mut(end - start);
            parts.push(ZeroStepsPart { kc, steps: s, kept: k });
            (steps, kept, start) = (s_rest, k_rest, end);
        }
        parts
    }

    /// Whether some panel of the last scan skips steps.
    pub(crate) fn any(&self) -> bool {
        self.kept[..self.panels].iter().any(Option::is_some)
    }

    /// The kept steps of micro-panel `panel`, or `None` when it runs every step.
    pub(crate) fn panel(&self, panel: usize) -> Option<&[u16]> {
        let n = self.kept[panel]?;
        Some(&self.steps[panel * self.kc..][..n])
    }
}

impl ZeroStepsPart<'_> {
    /// Scans this part's panels, packed (`mr` wide) at the start of `apack`.
    ///
    /// # Safety
    /// `apack` holds this part's panels, `mr · kc` elements each, written by packing.
    pub(crate) unsafe fn scan<T: GemmScalar>(&mut self, apack: &[MaybeUninit<T>], mr: usize) {
        let kc = self.kc;
        for (panel, slots) in self.steps.chunks_exact_mut(kc).enumerate() {
            // SAFETY: the caller's contract: these elements were written by packing.
            let src = unsafe { assume_init(&apack[panel * mr * kc..(panel + 1) * mr * kc]) };
            self.kept[panel] = scan_panel(src, mr, kc, slots);
        }
    }
}

/// [`kept_steps`] for one `mr × kc` panel: with AVX-512 intrinsics for MR = 12, else with a
/// compile-time MR for the kernels' widths (so a step's test is a few vector ops).
fn scan_panel<T: GemmScalar>(panel: &[T], mr: usize, kc: usize, slots: &mut [u16]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if mr == 12 && is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F; the panel is 12·kc (its caller's slice) and `slots` kc.
        return unsafe { kept_steps_12_avx512(panel, kc, slots) };
    }
    match mr {
        12 => kept_steps::<T, 12>(panel, kc, slots),
        6 => kept_steps::<T, 6>(panel, kc, slots),
        4 => kept_steps::<T, 4>(panel, kc, slots),
        _ => kept_steps_any(panel, mr, kc, slots),
    }
}

/// [`kept_steps`] with MR = 12 (the AVX-512 kernels): one masked load and one compare per step
/// for f32 (two for f64), where generic code spends ~20 instructions reshuffling compare masks.
///
/// # Safety
/// The CPU has AVX-512F; `panel` holds `12·kc` elements and `slots` at least `kc`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn kept_steps_12_avx512<T: GemmScalar>(panel: &[T], kc: usize, slots: &mut [u16]) -> Option<usize> {
    use std::any::TypeId;
    use std::arch::x86_64::*;
    assert!(panel.len() >= 12 * kc && slots.len() >= kc);
    let at = |p: usize| panel[12 * p..].as_ptr();
    if TypeId::of::<T>() == TypeId::of::<f32>() {
        // SAFETY: T is f32; lanes 0..12 of step p are in the panel (checked above), and masked-
        // off lanes are not read. `cmpneq` is unordered: a NaN counts as nonzero.
        let nonzero = (0..kc).map(|p| unsafe {
            let v = _mm512_maskz_loadu_ps(0x0fff, at(p) as *const f32);
            _mm512_cmpneq_ps_mask(v, _mm512_setzero_ps()) != 0
        });
        return keep(nonzero, kc, slots);
    }
    if TypeId::of::<T>() == TypeId::of::<f64>() {
        // SAFETY: T is f64; lanes 0..8 and 8..12 of step p are in the panel (checked above).
        let nonzero = (0..kc).map(|p| unsafe {
            let lo = _mm512_loadu_pd(at(p) as *const f64);
            let hi = _mm512_maskz_loadu_pd(0x0f, (at(p) as *const f64).add(8));
            (_mm512_cmpneq_pd_mask(lo, _mm512_setzero_pd()) | _mm512_cmpneq_pd_mask(hi, _mm512_setzero_pd()))
                != 0
        });
        return keep(nonzero, kc, slots);
    }
    kept_steps::<T, 12>(panel, kc, slots)
}

/// Writes into `slots` the steps of one `MR × kc` panel that hold a nonzero; returns their count
/// if skipping the rest pays (at least kc/8 skipped), else `None`.
#[inline(always)]
fn kept_steps<T: GemmScalar, const MR: usize>(panel: &[T], kc: usize, slots: &mut [u16]) -> Option<usize> {
    let (steps, _) = panel.as_chunks::<MR>();
    keep(steps.iter().map(|step| step.iter().fold(false, |any, &v| any | (v != T::zero()))), kc, slots)
}

/// [`kept_steps`] for any width.
fn kept_steps_any<T: GemmScalar>(panel: &[T], mr: usize, kc: usize, slots: &mut [u16]) -> Option<usize> {
    keep(panel.chunks_exact(mr).map(|step| step.iter().any(|&v| v != T::zero())), kc, slots)
}

/// Records the steps whose flag is set (no early exit inside a step: its compares vectorise).
#[inline(always)]
fn keep(nonzero: impl Iterator<Item = bool>, kc: usize, slots: &mut [u16]) -> Option<usize> {
    let mut n = 0;
    for (p, nonzero) in nonzero.enumerate() {
        slots[n] = p as u16;
        n += usize::from(nonzero);
        if p + 1 == DENSE_PREFIX && n == DENSE_PREFIX {
            return None;
        }
    }
    (8 * (kc - n) >= kc).then_some(n)
}

/// Whether every element of a packed B block is finite (a skipped `0·∞` would hide a NaN).
pub(crate) fn all_finite<T: GemmScalar>(b: &[T]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F.
        return unsafe { all_finite_avx512(b) };
    }
    all_finite_lanes(b)
}

/// [`all_finite_lanes`] compiled for zmm registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn all_finite_avx512<T: GemmScalar>(b: &[T]) -> bool {
    all_finite_lanes(b)
}

/// `v - v` is 0 for a finite v and NaN otherwise; 64 running sums (one per lane, so the loop
/// vectorises without reordering any sum, and four or more independent vector chains hide the
/// add latency) stay 0 exactly when every element is finite.
#[inline(always)]
fn all_finite_lanes<T: GemmScalar>(b: &[T]) -> bool {
    let (chunks, rest) = b.as_chunks::<64>();
    let mut sums = [T::zero(); 64];
    for chunk in chunks {
        for (s, &v) in sums.iter_mut().zip(chunk) {
            // Deliberate: v - v is how the test tells ±∞ and NaN from finite values.
            #[allow(clippy::eq_op)]
            let zero_if_finite = v - v;
            *s = *s + zero_if_finite;
        }
    }
    sums.iter().chain(rest).all(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_steps_with_a_nonzero_in_any_row() {
        // mr = 2, kc = 8: steps 1 and 6 hold nonzeros (one of them a NaN, which is not zero).
        let mut panel = [0.0f32; 16];
        panel[3] = 0.5; // step 1, row 1
        panel[12] = f32::NAN; // step 6, row 0
        panel[9] = -0.0; // step 4: negative zero is zero
        let mut slots = [0u16; 8];
        assert_eq!(kept_steps_any(&panel, 2, 8, &mut slots), Some(2));
        assert_eq!(kept_steps::<f32, 2>(&panel, 8, &mut slots), Some(2));
        assert_eq!(&slots[..2], &[1, 6]);
    }

    /// The MR = 12 panel scan (AVX-512 intrinsics here) keeps exactly the generic scan's steps:
    /// a nonzero (or NaN, or −0 as zero) in each lane position, f32 and f64.
    #[test]
    fn twelve_wide_scan_equals_the_generic_one() {
        fn check<T: GemmScalar>(v: T) {
            let kc = 200;
            let mut panel = vec![T::zero(); 12 * kc];
            for p in (40..kc).step_by(3) {
                panel[12 * p + p % 12] = if p % 7 == 0 { T::nan() } else { v };
            }
            panel[12 * 41 + 11] = -T::zero();
            let (mut fast, mut generic) = (vec![0u16; kc], vec![0u16; kc]);
            let n = scan_panel(&panel, 12, kc, &mut fast);
            assert_eq!(n, kept_steps_any(&panel, 12, kc, &mut generic));
            assert_eq!(n, Some((40..kc).step_by(3).count()));
            assert_eq!(fast[..n.unwrap()], generic[..n.unwrap()]);
        }
        check(0.5f32);
        check(-2.0f64);
    }

    #[test]
    fn dense_panels_run_every_step() {
        let mut slots = [0u16; 64];
        // Fewer than an eighth of the steps are zero: not worth a list.
        let mut panel = [1.0f64; 64];
        panel[5] = 0.0;
        assert_eq!(kept_steps_any(&panel, 1, 64, &mut slots), None);
        // A dense prefix ends the scan early: 32 nonzero steps, then 32 zero ones, stay dense.
        let mut panel = [1.0f64; 256];
        panel[128..].fill(0.0);
        assert_eq!(kept_steps::<f64, 4>(&panel, 64, &mut slots), None);
        // Without the prefix, the same zeros are skipped.
        panel[..4].fill(0.0);
        assert_eq!(kept_steps::<f64, 4>(&panel, 64, &mut slots), Some(31));
    }

    #[test]
    fn infinities_and_nans_are_not_finite() {
        let mut b = vec![1.0f32; 1000];
        assert!(all_finite(&b));
        b[700] = f32::NEG_INFINITY;
        assert!(!all_finite(&b));
        b[700] = f32::NAN;
        assert!(!all_finite(&b));
        b[700] = 0.0;
        b[999] = f32::INFINITY; // in the tail after the 64-wide chunks
        assert!(!all_finite(&b));
    }
}
