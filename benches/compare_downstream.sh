#!/usr/bin/env bash
# Tessera as a dependency against NumPy/OpenBLAS, in one run, as ratios (>1: Tessera faster).
# benches/downstream/ is built the way a user's crate is: from outside this repository (so its
# .cargo/config.toml does not apply), default release profile, no flags; and once more with
# RUSTFLAGS="-C target-cpu=native", to show what compiler flags would change.
#   benches/compare_downstream.sh   (ROUNDS=n alternating rounds, default 3)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
PEERS=$repo/benches/peers
"$PEERS/setup.sh" numpy
PY=$(bash "$PEERS/home.sh")/venv/bin/python
NP="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
out=$(mktemp -d)
manifest=$repo/benches/downstream/Cargo.toml
# Built from $out, away from the repository's cargo configuration.
(cd "$out" && env -u RUSTFLAGS cargo build --release -q --manifest-path "$manifest" --target-dir "$out/plain")
(cd "$out" && RUSTFLAGS="-C target-cpu=native" cargo build --release -q --manifest-path "$manifest" \
  --target-dir "$out/native")
plain=$out/plain/release/tessera-downstream
native=$out/native/release/tessera-downstream

for r in $(seq "${ROUNDS:-3}"); do
  $NP OPENBLAS_NUM_THREADS=1 $PY "$PEERS/elementwise.py" > "$out/np_ew.$r.tsv"
  for t in 1 2; do
    $NP OPENBLAS_NUM_THREADS=$t $PY "$PEERS/numpy_gemm.py" float32 > "$out/np_gemm_$t.$r.tsv"
  done
  "$plain" > "$out/plain.$r.tsv"
  "$native" > "$out/native.$r.tsv"
done

python3 - "$out" "${ROUNDS:-3}" <<'PY'
import sys, statistics as st
d, rounds = sys.argv[1], int(sys.argv[2])
def rows(f):
    return [l.rstrip("\n").split("\t") for l in open(f"{d}/{f}") if l.strip() and not l.startswith("#")]
def numpy_ew(r):
    return {p[0]: float(p[1]) for p in rows(f"np_ew.{r}.tsv") if p[0] != "case"}
def numpy_gemm(r):
    return {(int(p[1]), p[2]): float(p[7]) for t in (1, 2) for p in rows(f"np_gemm_{t}.{r}.tsv")}
def ours(kind, r):
    ew = {p[1]: float(p[2]) for p in rows(f"{kind}.{r}.tsv") if p[0] == "ew"}
    gemm = {(int(p[1]), p[2]): float(p[7]) for p in rows(f"{kind}.{r}.tsv") if p[0] == "gemm"}
    return ew, gemm
R = range(1, rounds + 1)
np_ew, np_gemm = [numpy_ew(r) for r in R], [numpy_gemm(r) for r in R]
plain, native = [ours("plain", r) for r in R], [ours("native", r) for r in R]
print(f"element-wise, 10^7 f32, one thread; ratio = NumPy ms / Tessera ms, medians of {rounds} alternating rounds")
print(f"{'case':<46}{'numpy ms':>10}{'no flags':>10}{'ratio':>7}{'native':>10}{'ratio':>7}")
for case in plain[0][0]:
    n = [x[case] for x in np_ew]
    p = [x[0][case] for x in plain]
    q = [x[0][case] for x in native]
    rp = st.median(a / b for a, b in zip(n, p))
    rq = st.median(a / b for a, b in zip(n, q))
    print(f"{case:<46}{st.median(n):>10.3f}{st.median(p):>10.3f}{rp:>7.2f}{st.median(q):>10.3f}{rq:>7.2f}")
print()
print("a.matmul(&b), f32; ratio = Tessera GFLOP/s / NumPy GFLOP/s")
print(f"{'shape':<30}{'threads':>8}{'numpy':>9}{'no flags':>10}{'ratio':>7}{'native':>9}{'ratio':>7}")
for key in plain[0][1]:
    n = [x[key] for x in np_gemm]
    p = [x[1][key] for x in plain]
    q = [x[1][key] for x in native]
    rp = st.median(b / a for a, b in zip(n, p))
    rq = st.median(b / a for a, b in zip(n, q))
    print(f"{key[1]:<30}{key[0]:>8}{st.median(n):>9.1f}{st.median(p):>10.1f}{rp:>7.2f}{st.median(q):>9.1f}{rq:>7.2f}")
PY
