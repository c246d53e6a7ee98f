#!/usr/bin/env bash
# Side-by-side: `tessera mnist` against the chapter-2 peers in $PEERS (Keras/TF, a
# hand-written NumPy/OpenBLAS MLP, JAX), same data, same model, 5 epochs of batch 128, run one
# after another on this machine; prints time per epoch, fit time, test accuracy, peak RSS and
# Tessera's speed-up over each. ROUNDS=n repeats everything (medians).
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:?set PEERS to the directory holding the peer scripts (setup.sh, mnist.sh, numpy_sgemm.py, ...)}
# The peers read the same shipped files.
export MNIST_DIR=${MNIST_DIR:-$(pwd)/data/mnist}
ROUNDS=${ROUNDS:-1}
cargo build --release -q -p tessera
out=$(mktemp -d)
for r in $(seq "$ROUNDS"); do
  for t in 2 1; do
    /usr/bin/time -v ./target/release/tessera mnist --threads $t > "$out/t$t.$r.txt" 2> "$out/t$t.$r.time"
  done
done
ONLY=${ONLY:-'keras-default|numpy-2thread|jax-default'} ROUNDS=$ROUNDS bash "$PEERS/mnist.sh" > "$out/peers.txt" 2>&1 || true
python3 - "$out" "$ROUNDS" <<'PY'
import json, re, statistics as st, sys, glob
d, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for t in (2, 1):
    for r in range(1, rounds + 1):
        txt = open(f"{d}/t{t}.{r}.txt").read(); tm = open(f"{d}/t{t}.{r}.time").read()
        ep = [float(x) for x in re.findall(r"━ ([\d.]+)s", txt)]
        rows.setdefault(f"tessera-{t}thread", []).append({
            "median_epoch_s": st.median(ep), "fit_s": float(re.search(r"fit ([\d.]+)s", txt)[1]),
            "test_acc": float(re.search(r">>> test_acc\n([\d.]+)", txt)[1]),
            "max_rss_mb": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tm)[1]) / 1024})
for line in open("/tmp/peers/mnist_raw_only.jsonl") if glob.glob("/tmp/peers/mnist_raw_only.jsonl") else []:
    try: j = json.loads(line)
    except ValueError: continue
    rows.setdefault(j["label"], []).append(j)
base = st.median(x["median_epoch_s"] for x in rows["tessera-2thread"])
print(f"{'run':<18}{'s/epoch':>9}{'fit s':>8}{'test acc':>10}{'RSS MB':>8}{'tessera-2T faster by':>22}")
for k, v in rows.items():
    e = st.median(x["median_epoch_s"] for x in v)
    print(f"{k:<18}{e:>9.3f}{st.median(x['fit_s'] for x in v):>8.2f}{st.median(x['test_acc'] for x in v):>10.4f}"
          f"{st.median(x['max_rss_mb'] for x in v):>8.0f}{e / base:>21.2f}x")
PY
rm -rf "$out"
