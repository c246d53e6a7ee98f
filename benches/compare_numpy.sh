#!/usr/bin/env bash
# Side-by-side: Tessera vs NumPy/OpenBLAS on this machine, in one run, reported as ratios
# (>1 means Tessera is faster). Uses ../shared/peers (setup.sh creates /tmp/peers/venv).
#   benches/compare_numpy.sh            element-wise and SGEMM
#   benches/compare_numpy.sh elementwise
#   benches/compare_numpy.sh gemm
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd .. && pwd)/shared/peers}
what=${1:-all}
"$PEERS/setup.sh" numpy >/dev/null
PY=/tmp/peers/venv/bin/python
NP="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
cargo build --release -q -p tessera
T=./target/release/tessera
out=$(mktemp -d)

if [[ $what == all || $what == elementwise ]]; then
  $NP OPENBLAS_NUM_THREADS=1 $PY "$PEERS/elementwise.py" > "$out/np_ew.tsv"
  $T bench elementwise --threads 1 > "$out/t1_ew.tsv"
  $T bench elementwise --threads 2 > "$out/t2_ew.tsv"
  python3 - "$out" <<'PY'
import sys, csv
d = sys.argv[1]
def load(f):
    rows = {}
    for line in open(f"{d}/{f}"):
        p = line.rstrip("\n").split("\t")
        if len(p) >= 2 and not line.startswith("#") and p[0] != "case":
            rows[p[0]] = float(p[1])
    return rows
np_, t1, t2 = load("np_ew.tsv"), load("t1_ew.tsv"), load("t2_ew.tsv")
print("element-wise, 10^7 f32 (NumPy single-threaded ufuncs); ratio = NumPy ms / Tessera ms")
print(f"{'case':<46}{'numpy ms':>10}{'tessera 1T':>12}{'ratio 1T':>10}{'tessera 2T':>12}{'ratio 2T':>10}")
for k, v in np_.items():
    if k in t1:
        print(f"{k:<46}{v:>10.3f}{t1[k]:>12.3f}{v/t1[k]:>10.2f}{t2[k]:>12.3f}{v/t2[k]:>10.2f}")
PY
fi

if [[ $what == all || $what == gemm ]]; then
  for t in 1 2; do
    $NP OPENBLAS_NUM_THREADS=$t $PY "$PEERS/numpy_sgemm.py" > "$out/np_gemm_$t.tsv"
  done
  $T bench gemm --tiers fast --threads 2 --tsv > "$out/t_gemm.tsv"
  python3 - "$out" <<'PY'
import sys
d = sys.argv[1]
np_ = {}
for t in (1, 2):
    for line in open(f"{d}/np_gemm_{t}.tsv"):
        p = line.split("\t")
        if p[0] == "numpy":
            np_[(t, p[2])] = float(p[7])
ts = {}
for line in open(f"{d}/t_gemm.tsv"):
    if line.startswith("#"):
        print(line.strip("# \n")); continue
    p = line.rstrip("\n").split("\t")
    threads, label, tier, gf = int(p[1]), p[2], p[3], float(p[8])
    key = (threads, label)
    if tier in ("packed", "parallel-2t"):
        ts[key] = max(ts.get(key, 0.0), gf) if tier == "packed" and threads == 1 else gf
print("SGEMM GFLOP/s, Tessera vs NumPy/OpenBLAS; ratio = Tessera / OpenBLAS")
print(f"{'shape':<30}{'OpenBLAS 1T':>12}{'Tessera 1T':>12}{'ratio':>7}{'OpenBLAS 2T':>13}{'Tessera 2T':>12}{'ratio':>7}")
for (t, label), v in sorted(np_.items(), key=lambda kv: list(np_).index(kv[0])):
    if t != 1: continue
    a1, b1 = v, ts.get((1, label), float("nan"))
    a2, b2 = np_.get((2, label), float("nan")), ts.get((2, label), float("nan"))
    print(f"{label:<30}{a1:>12.1f}{b1:>12.1f}{b1/a1:>7.2f}{a2:>13.1f}{b2:>12.1f}{b2/a2:>7.2f}")
PY
fi
rm -rf "$out"
