"""Checks that Python reads Tessera's files to the same arrays Tessera computes with.

Usage: numpy_interop.py MODEL.safetensors X.npy PROBS.npy
  MODEL  written by `tessera mnist --save`
  X      images (uint8 [n, 28, 28]) this script wrote for `tessera predict --npy`
  PROBS  the probabilities `tessera predict --out` wrote

It loads the model with `safetensors.numpy`, checks its metadata, runs the same network in
NumPy (relu(x W1 + b1) W2 + b2, softmax) and requires the probabilities to match Tessera's.
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file


def main(model_path, x_path, probs_path):
    weights = load_file(model_path)
    with safe_open(model_path, framework="numpy") as f:
        meta = f.metadata()
    assert meta["format"] == "tessera.sequential", meta
    assert meta["format_version"] == "1", meta
    layers = json.loads(meta["layers"])
    training = json.loads(meta["training"])
    print(f"layers: {layers}")
    print(f"training: {training}")
    assert [l["activation"] for l in layers] == ["relu", "softmax"], layers
    for i, layer in enumerate(layers, start=1):
        k, b = weights[f"dense_{i}.kernel"], weights[f"dense_{i}.bias"]
        assert k.dtype == np.float32 and b.dtype == np.float32
        assert k.shape[1] == layer["units"] == b.shape[0], (k.shape, b.shape, layer)
        print(f"dense_{i}.kernel {k.shape} float32, dense_{i}.bias {b.shape} float32")

    x = np.load(x_path).reshape(-1, 784).astype(np.float32) / 255
    h = np.maximum(x @ weights["dense_1.kernel"] + weights["dense_1.bias"], 0)
    z = h @ weights["dense_2.kernel"] + weights["dense_2.bias"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    numpy_probs = e / e.sum(axis=1, keepdims=True)

    tessera_probs = np.load(probs_path)
    assert tessera_probs.dtype == np.float32 and tessera_probs.shape == numpy_probs.shape, tessera_probs.shape
    diff = float(np.abs(tessera_probs - numpy_probs).max())
    same = int((tessera_probs.argmax(1) == numpy_probs.argmax(1)).sum())
    print(f"{len(x)} images: max |p_tessera - p_numpy| = {diff:.2e}, same class for {same} of {len(x)}")
    assert diff < 1e-5, diff
    assert same == len(x)
    print("numpy_interop: OK")


if __name__ == "__main__":
    main(*sys.argv[1:4])
