#!/usr/bin/env bash
# Side-by-side: Tessera vs NumPy/OpenBLAS on this machine, in one run, reported as ratios
# (>1 means Tessera is faster). The NumPy side is benches/peers/ (its setup.sh creates the pinned
# venv on first use, in $PEERS_HOME or the per-user cache).
#   benches/compare_numpy.sh            element-wise and SGEMM
#   benches/compare_numpy.sh elementwise (ROUNDS=n alternating rounds, default 3)
#   benches/compare_numpy.sh gemm       (ROUNDS=n alternating rounds, default 3)
#   benches/compare_numpy.sh dgemm      the same for f64 (not part of "all")
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=benches/peers
what=${1:-all}
"$PEERS/setup.sh" numpy
PY=$(bash "$PEERS/home.sh")/venv/bin/python
NP="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
cargo build --release -q -p tessera
T=./target/release/tessera
out=$(mktemp -d)

if [[ $what == all || $what == elementwise ]]; then
  # Rounds alternate NumPy and Tessera (1 and 2 threads); the table shows medians of the
  # per-round timings and ratios (ROUNDS=3 by default).
  for r in $(seq "${ROUNDS:-3}"); do
    $NP OPENBLAS_NUM_THREADS=1 $PY "$PEERS/elementwise.py" > "$out/np_ew.$r.tsv"
    $T bench elementwise --threads 1 > "$out/t1_ew.$r.tsv"
    $T bench elementwise --threads 2 > "$out/t2_ew.$r.tsv"
  done
  python3 - "$out" "${ROUNDS:-3}" <<'PY'
import sys, statistics as st
d, rounds = sys.argv[1], int(sys.argv[2])
def load(f):
    rows = {}
    for line in open(f"{d}/{f}"):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 2 and not line.startswith("#") and p[0] != "case":
            rows[p[0]] = float(p[1])
    return rows
runs = [(load(f"np_ew.{r}.tsv"), load(f"t1_ew.{r}.tsv"), load(f"t2_ew.{r}.tsv")) for r in range(1, rounds + 1)]
print(f"element-wise, 10^7 f32 (NumPy single-threaded ufuncs); ratio = NumPy ms / Tessera ms, medians of {rounds} alternating rounds")
print(f"{'case':<46}{'numpy ms':>10}{'tessera 1T':>12}{'ratio 1T':>10}{'tessera 2T':>12}{'ratio 2T':>10}")
for k in runs[0][0]:
    if k not in runs[0][1]:
        continue
    np_, t1, t2 = ([run[i][k] for run in runs] for i in range(3))
    r1 = st.median(a / b for a, b in zip(np_, t1))
    r2 = st.median(a / b for a, b in zip(np_, t2))
    print(f"{k:<46}{st.median(np_):>10.3f}{st.median(t1):>12.3f}{r1:>10.2f}{st.median(t2):>12.3f}{r2:>10.2f}")
PY
fi

if [[ $what == all || $what == gemm || $what == dgemm ]]; then
  if [[ $what == dgemm ]]; then dtype=float64; t_flag=--f64; word=DGEMM
  else dtype=float32; t_flag=; word=SGEMM; fi
  # Rounds alternate NumPy and Tessera, so both see the same machine; each round gives a ratio,
  # and the table shows medians (ROUNDS=3 by default).
  for r in $(seq "${ROUNDS:-3}"); do
    for t in 1 2; do
      $NP OPENBLAS_NUM_THREADS=$t $PY "$PEERS/numpy_gemm.py" $dtype > "$out/np_gemm_$t.$r.tsv"
    done
    $T bench gemm --tiers fast --threads 2 --tsv $t_flag > "$out/t_gemm.$r.tsv"
  done
  python3 - "$out" "${ROUNDS:-3}" "$word" <<'PY'
import sys, statistics as st
d, rounds, word = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def numpy(t, r):
    rows = {}
    for line in open(f"{d}/np_gemm_{t}.{r}.tsv"):
        p = line.split("\t")
        if p[0] == "numpy":
            rows[p[2]] = float(p[7])
    return rows
def tessera(r):
    rows, head = {}, ""
    for line in open(f"{d}/t_gemm.{r}.tsv"):
        if line.startswith("#"):
            head = line.strip("# \n"); continue
        p = line.rstrip("\n").split("\t")
        threads, label, tier, gf = int(p[1]), p[2], p[3], float(p[8])
        if tier == "packed" or tier == "parallel-1t":
            rows[(1, label)] = max(rows.get((1, label), 0.0), gf)
        elif tier == "parallel-2t":
            rows[(2, label)] = gf
    return rows, head
runs = [(numpy(1, r), numpy(2, r), *tessera(r)) for r in range(1, rounds + 1)]
print(runs[0][3])
print(f"{word} GFLOP/s, Tessera vs NumPy/OpenBLAS; ratio = Tessera / OpenBLAS (medians of {rounds} alternating rounds)")
print(f"{'shape':<30}{'OpenBLAS 1T':>12}{'Tessera 1T':>12}{'ratio':>7}{'OpenBLAS 2T':>13}{'Tessera 2T':>12}{'ratio':>7}")
for label in runs[0][0]:
    cols = []
    for t in (1, 2):
        o = [run[t - 1][label] for run in runs]
        m = [run[2].get((t, label), float("nan")) for run in runs]
        cols += [st.median(o), st.median(m), st.median(b / a for a, b in zip(o, m))]
    print(f"{label:<30}{cols[0]:>12.1f}{cols[1]:>12.1f}{cols[2]:>7.2f}{cols[3]:>13.1f}{cols[4]:>12.1f}{cols[5]:>7.2f}")
PY
fi
rm -rf "$out"
