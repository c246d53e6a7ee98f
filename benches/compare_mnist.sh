#!/usr/bin/env bash
# Side-by-side: `tessera mnist` against the chapter's network in Keras/TensorFlow, NumPy/OpenBLAS
# and JAX (benches/peers/; setup.sh creates their pinned venvs on first use), on the same shipped
# data, 5 epochs of batch 128, run one after another on this machine. Prints seconds per epoch
# (median over the epochs), fit time, test accuracy, peak RSS (/usr/bin/time -v) and how many
# times faster Tessera on two threads is.
#   ROUNDS=n   repeat everything n times, report medians (default 1)
#   DENSE=1    dense data: every pixel mapped to 0.05 + 0.9 x, so none is zero (tessera mnist --dense,
#              the same transform in benches/peers/mnist_data.py)
#   ONLY=regex run only the peers whose label matches (default: keras-default|numpy-2thread|jax-default;
#              the others: keras-1thread, numpy-1thread, jax-1core)
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=benches/peers
ROUNDS=${ROUNDS:-1}
ONLY=${ONLY:-'keras-default|numpy-2thread|jax-default'}
if [ "${DENSE:-0}" = 1 ]; then export DENSE; echo "dense data: every pixel 0.05 + 0.9 x"; else unset DENSE; fi
export MNIST_DIR=${MNIST_DIR:-$(pwd)/data/mnist}
export TF_CPP_MIN_LOG_LEVEL=2
"$PEERS/setup.sh" numpy tf jax
home=$(bash "$PEERS/home.sh")
cargo build --release -q -p tessera
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# label, command...: runs it under /usr/bin/time -v, keeping its stdout and the time report.
run() {
  local label=$1 r=$2; shift 2
  [[ $label == tessera-* || $label =~ ^($ONLY)$ ]] || return 0
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -v "$@" > "$out/$label.$r.out" 2> "$out/$label.$r.time"
}
for r in $(seq "$ROUNDS"); do
  run tessera-2thread "$r" ./target/release/tessera mnist --threads 2 ${DENSE:+--dense}
  run tessera-1thread "$r" ./target/release/tessera mnist --threads 1 ${DENSE:+--dense}
  run keras-default "$r" "$home/venv-tf/bin/python" $PEERS/mnist_keras.py
  run keras-1thread "$r" "$home/venv-tf/bin/python" $PEERS/mnist_keras.py 1
  run numpy-2thread "$r" env OPENBLAS_NUM_THREADS=2 "$home/venv/bin/python" $PEERS/mnist_numpy.py
  run numpy-1thread "$r" env OPENBLAS_NUM_THREADS=1 "$home/venv/bin/python" $PEERS/mnist_numpy.py
  run jax-default "$r" "$home/venv-jax/bin/python" $PEERS/mnist_jax.py
  # XLA's thread flags alone still use ~1.6 cores: pin the process to one instead.
  run jax-1core "$r" taskset -c 0 "$home/venv-jax/bin/python" $PEERS/mnist_jax.py
done

python3 - "$out" <<'PY'
import glob, json, os, re, statistics as st, sys
d = sys.argv[1]
rows = {}
for path in sorted(glob.glob(f"{d}/*.out")):
    label = os.path.basename(path).rsplit(".", 2)[0]
    text, timing = open(path).read(), open(path[:-4] + ".time").read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing)[1]) / 1024
    if label.startswith("tessera"):
        epochs = [float(x) for x in re.findall(r"━ ([\d.]+)s", text)]
        row = {"median_epoch_s": st.median(epochs), "fit_s": float(re.search(r"fit ([\d.]+)s", text)[1]),
               "test_acc": float(re.search(r">>> test_acc\n([\d.]+)", text)[1])}
    else:
        row = json.loads(text.strip().splitlines()[-1])
    row["rss"] = rss
    rows.setdefault(label, []).append(row)
base = st.median(x["median_epoch_s"] for x in rows["tessera-2thread"])
print(f"{'run':<18}{'s/epoch':>9}{'fit s':>8}{'test acc':>10}{'RSS MB':>8}{'tessera-2T faster by':>22}")
order = ["tessera-2thread", "tessera-1thread", "keras-default", "keras-1thread", "numpy-2thread", "numpy-1thread", "jax-default", "jax-1core"]
for label, v in sorted(rows.items(), key=lambda kv: order.index(kv[0])):
    e = st.median(x["median_epoch_s"] for x in v)
    print(f"{label:<18}{e:>9.3f}{st.median(x['fit_s'] for x in v):>8.2f}{st.median(x['test_acc'] for x in v):>10.4f}"
          f"{st.median(x['rss'] for x in v):>8.0f}{e / base:>21.2f}x")
PY
