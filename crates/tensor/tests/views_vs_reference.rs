//! Property test: random chains of view ops on a `Tensor` agree with a brute-force reference
//! model (a plain `Vec` in logical order plus explicit index arithmetic), and the layout invariant
//! holds after every step.

use proptest::prelude::*;
use tessera_tensor::{Layout, SliceArg, Tensor};

/// The reference: elements in logical row-major order and a shape.
#[derive(Debug, Clone)]
struct Reference {
    data: Vec<i64>,
    shape: Vec<usize>,
}

fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for ax in (0..shape.len()).rev() {
        idx[ax] = flat % shape[ax];
        flat /= shape[ax];
    }
    idx
}

fn ravel(idx: &[usize], shape: &[usize]) -> usize {
    idx.iter().zip(shape).fold(0, |acc, (&i, &d)| acc * d + i)
}

impl Reference {
    fn size(&self) -> usize {
        self.shape.iter().product()
    }

    /// Builds a new reference by mapping each output index to an input index.
    fn gather(&self, shape: Vec<usize>, src: impl Fn(&[usize]) -> Vec<usize>) -> Reference {
        let n: usize = shape.iter().product();
        let data = (0..n).map(|f| self.data[ravel(&src(&unravel(f, &shape)), &self.shape)]).collect();
        Reference { data, shape }
    }
}

/// Python's selection for `start:stop:step` written as a filter over all indices.
fn selected(d: usize, start: Option<isize>, stop: Option<isize>, step: isize) -> Vec<usize> {
    let d = d as isize;
    let norm = |v: isize| if v < 0 { v + d } else { v };
    if step > 0 {
        let s = start.map(norm).unwrap_or(0).max(0);
        let e = stop.map(norm).unwrap_or(d);
        (0..d).filter(|&i| i >= s && i < e && (i - s) % step == 0).map(|i| i as usize).collect()
    } else {
        let s = start.map(norm).unwrap_or(d - 1).min(d - 1);
        let e = stop.map(norm).unwrap_or(-1).max(-1);
        (0..d).rev().filter(|&i| i <= s && i > e && (s - i) % (-step) == 0).map(|i| i as usize).collect()
    }
}

#[derive(Debug, Clone)]
enum Op {
    Slice(Vec<(Option<isize>, Option<isize>, isize, bool)>), // (start, stop, step, is_index)
    Permute(Vec<usize>),
    Transpose,
    ReshapeMerge(usize),
    ReshapeSplitOne(usize),
    ReshapeFlatInfer,
    Broadcast(usize),
    ExpandDims(usize),
    Squeeze,
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let bound = proptest::option::of(-6isize..6);
    prop_oneof![
        proptest::collection::vec(
            (bound.clone(), bound, prop_oneof![-3isize..0, 1isize..4], any::<bool>()),
            0..4
        )
        .prop_map(Op::Slice),
        Just(Vec::<usize>::new())
            .prop_perturb(|_, mut rng| {
                let mut p: Vec<usize> = (0..6).collect();
                for i in (1..6).rev() {
                    p.swap(i, rng.random_range(0..=i));
                }
                p
            })
            .prop_map(Op::Permute),
        Just(Op::Transpose),
        (0usize..5).prop_map(Op::ReshapeMerge),
        (0usize..5).prop_map(Op::ReshapeSplitOne),
        Just(Op::ReshapeFlatInfer),
        (1usize..4).prop_map(Op::Broadcast),
        (0usize..6).prop_map(Op::ExpandDims),
        Just(Op::Squeeze),
    ]
}

fn check_invariant(t: &Tensor<i64>) {
    let l = t.layout();
    Layout::new(l.shape(), l.strides(), l.offset(), t.storage().len()).expect("layout invariant");
}

/// Applies `op` to both; returns None when the op does not apply (e.g. rank limit) or both error.
fn apply(t: &Tensor<i64>, r: &Reference, op: &Op) -> Option<(Tensor<i64>, Reference)> {
    let nd = r.shape.len();
    match op {
        Op::Slice(parts) => {
            let parts = &parts[..parts.len().min(nd)];
            let args: Vec<SliceArg> = parts
                .iter()
                .map(|&(a, b, step, is_index)| {
                    if is_index {
                        SliceArg::Index(a.unwrap_or(0))
                    } else {
                        SliceArg::Range { start: a, stop: b, step }
                    }
                })
                .collect();
            // Reference: per axis, the selected source indices (or the single index).
            let mut picks: Vec<Vec<usize>> = Vec::new();
            let mut keep: Vec<bool> = Vec::new();
            for (ax, &d) in r.shape.iter().enumerate() {
                match parts.get(ax) {
                    Some(&(a, _, _, true)) => {
                        let i = a.unwrap_or(0);
                        let j = if i < 0 { i + d as isize } else { i };
                        if j < 0 || j >= d as isize {
                            assert!(
                                t.slice(&args).is_err(),
                                "index {i} on axis {ax} of {:?} must fail",
                                r.shape
                            );
                            return None;
                        }
                        picks.push(vec![j as usize]);
                        keep.push(false);
                    }
                    Some(&(a, b, step, false)) => {
                        picks.push(selected(d, a, b, step));
                        keep.push(true);
                    }
                    None => {
                        picks.push((0..d).collect());
                        keep.push(true);
                    }
                }
            }
            let shape: Vec<usize> =
                picks.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| p.len()).collect();
            let out = r.gather(shape, |idx| {
                let mut it = idx.iter();
                picks.iter().zip(&keep).map(|(p, &k)| if k { p[*it.next().unwrap()] } else { p[0] }).collect()
            });
            Some((t.slice(&args).expect("valid slice"), out))
        }
        Op::Permute(p) => {
            let perm: Vec<usize> = p.iter().copied().filter(|&a| a < nd).collect();
            let shape: Vec<usize> = perm.iter().map(|&a| r.shape[a]).collect();
            let out = r.gather(shape, |idx| {
                let mut src = vec![0; nd];
                for (i, &a) in perm.iter().enumerate() {
                    src[a] = idx[i];
                }
                src
            });
            let axes: Vec<isize> = perm.iter().map(|&a| a as isize).collect();
            Some((t.permute(&axes).unwrap(), out))
        }
        Op::Transpose => {
            let shape: Vec<usize> = r.shape.iter().rev().copied().collect();
            let out = r.gather(shape, |idx| idx.iter().rev().copied().collect());
            Some((t.transpose(), out))
        }
        Op::ReshapeMerge(a) => {
            if nd < 2 {
                return None;
            }
            let a = a % (nd - 1);
            let mut shape = r.shape.clone();
            let merged = shape[a] * shape[a + 1];
            shape.splice(a..a + 2, [merged]);
            let to: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
            Some((t.reshape(&to).unwrap(), Reference { data: r.data.clone(), shape }))
        }
        Op::ReshapeSplitOne(a) => {
            if nd == 0 || nd >= 5 {
                return None;
            }
            let a = a % nd;
            let mut shape = r.shape.clone();
            shape.insert(a, 1);
            let to: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
            Some((t.reshape(&to).unwrap(), Reference { data: r.data.clone(), shape }))
        }
        Op::ReshapeFlatInfer => {
            let shape = vec![r.size()];
            Some((t.reshape(&[-1]).unwrap(), Reference { data: r.data.clone(), shape }))
        }
        Op::Broadcast(n) => {
            if nd >= 5 {
                return None;
            }
            let mut shape = vec![*n];
            shape.extend(r.shape.iter().map(|&d| if d == 1 { 2 } else { d }));
            let out = r.gather(shape.clone(), |idx| {
                idx[1..].iter().zip(&r.shape).map(|(&i, &d)| if d == 1 { 0 } else { i }).collect()
            });
            Some((t.broadcast_to(&shape).unwrap(), out))
        }
        Op::ExpandDims(a) => {
            if nd >= 5 {
                return None;
            }
            let a = a % (nd + 1);
            let mut shape = r.shape.clone();
            shape.insert(a, 1);
            Some((t.expand_dims(a as isize).unwrap(), Reference { data: r.data.clone(), shape }))
        }
        Op::Squeeze => {
            let shape: Vec<usize> = r.shape.iter().copied().filter(|&d| d != 1).collect();
            Some((t.squeeze(None).unwrap(), Reference { data: r.data.clone(), shape }))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn view_chains_match_reference(
        shape in proptest::collection::vec(0usize..5, 0..=5),
        ops in proptest::collection::vec(op_strategy(), 1..7),
    ) {
        let n: usize = shape.iter().product();
        let data: Vec<i64> = (0..n as i64).collect();
        let mut t = Tensor::from_vec(data.clone(), &shape).unwrap();
        let mut r = Reference { data, shape };
        for op in &ops {
            if let Some((t2, r2)) = apply(&t, &r, op) {
                t = t2;
                r = r2;
                check_invariant(&t);
                prop_assert_eq!(t.shape(), &r.shape[..], "after {:?}", op);
                prop_assert_eq!(t.to_vec(), r.data.clone(), "after {:?}", op);
                prop_assert_eq!(t.iter().collect::<Vec<_>>(), r.data.clone());
                let c = t.to_contiguous();
                prop_assert_eq!(c.as_slice().unwrap(), &r.data[..]);
            }
        }
    }

    /// `is_non_overlapping` agrees with brute force over all reachable offsets.
    #[test]
    fn non_overlapping_predicate_is_sound(
        shape in proptest::collection::vec(1usize..4, 1..4),
        strides in proptest::collection::vec(-4isize..5, 3),
    ) {
        let strides = &strides[..shape.len()];
        let lo: isize = shape.iter().zip(strides).map(|(&d, &s)| (s * (d as isize - 1)).min(0)).sum();
        let offset = (-lo) as usize;
        let layout = Layout::new(&shape, strides, offset, 64).unwrap();
        let t = Tensor::from_storage(vec![0i64; 64], layout.clone()).unwrap();
        let offs: Vec<usize> = tessera_tensor::layout::strided_iter::OffsetIter::new(t.layout()).collect();
        let mut uniq = offs.clone();
        uniq.sort_unstable();
        uniq.dedup();
        if layout.is_non_overlapping() {
            prop_assert_eq!(uniq.len(), offs.len());
        }
    }
}
