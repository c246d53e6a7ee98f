#!/usr/bin/env bash
# Python's safetensors + NumPy read Tessera's model and .npy files to the arrays Tessera uses:
# train a small model, let NumPy write 1000 test images as .npy, predict them with Tessera,
# and recompute the probabilities in NumPy from the saved weights.
# Needs python3 with venv; installs numpy and safetensors into $VENV (default: a temp dir).
# Uses the `tessera` binary at $TESSERA_BIN if set, else builds the release one.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv=${VENV:-$work/venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q numpy safetensors
fi
py="$venv/bin/python"

tessera=${TESSERA_BIN:-}
if [ -z "$tessera" ]; then
  cargo build --release -q -p tessera
  tessera=target/release/tessera
fi
$tessera mnist --epochs 1 --hidden 128 --save "$work/model.safetensors" | tail -n 3

# The first 1000 test images, read by NumPy from the shipped IDX file.
"$py" - "$work/x.npy" <<'PY'
import gzip, sys
import numpy as np
with gzip.open("data/mnist/t10k-images-idx3-ubyte.gz") as f:
    x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:1000]
np.save(sys.argv[1], x)
PY
$tessera predict --model "$work/model.safetensors" --npy "$work/x.npy" --out "$work/probs.npy" | tail -n 1
"$py" scripts/numpy_interop.py "$work/model.safetensors" "$work/x.npy" "$work/probs.npy"
