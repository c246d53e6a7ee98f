"""GEMM with NumPy/OpenBLAS at the shapes `tessera bench gemm` runs (same labels): squares from
64 to 2048 and the MNIST products. Usage: numpy_gemm.py [float32|float64]; OpenBLAS threads come
from OPENBLAS_NUM_THREADS. Prints a comment naming NumPy and its BLAS, then per shape:
numpy  threads  label  m  k  n  median_ms  GFLOP/s"""
import json
import os
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info

SHAPES = [(f"sq{s}", s, s, s, False) for s in (64, 128, 256, 512, 1024, 2048)] + [
    ("fwd1 128x784.784x512", 128, 784, 512, False),
    ("fwd2 128x512.512x10", 128, 512, 10, False),
    ("bwdW 784x128.128x512", 784, 128, 512, False),
    ("bwdW_T (128x784)^T.128x512", 784, 128, 512, True),  # A is a transposed view
    ("bwdX 128x512.512x784", 128, 512, 784, False),
]


def median_seconds(f):
    """Warm up, pick a repeat count that makes a sample last >= 20 ms, return the median sample."""
    t = time.perf_counter()
    f()
    once = time.perf_counter() - t
    for _ in range(3 if once < 0.2 else 0):
        f()
    repeats = max(1, int(np.ceil(0.02 / max(once, 1e-9))))
    samples = 3 if once > 0.5 else 5 if once > 0.1 else 15
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(repeats):
            f()
        times.append((time.perf_counter() - t) / repeats)
    return float(np.median(times))


def main():
    dtype = np.dtype(sys.argv[1] if len(sys.argv) > 1 else "float32")
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    blas = [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "architecture")} for d in threadpool_info()]
    print("# numpy", np.__version__, dtype, "BLAS:", json.dumps(blas))
    rng = np.random.default_rng(0)
    for label, m, k, n, a_transposed in SHAPES:
        a = (rng.random((k, m)) * 2 - 1).astype(dtype).T if a_transposed else (rng.random((m, k)) * 2 - 1).astype(dtype)
        b = (rng.random((k, n)) * 2 - 1).astype(dtype)
        c = np.empty((m, n), dtype=dtype)
        s = median_seconds(lambda: np.matmul(a, b, out=c))
        print(f"numpy\t{threads}\t{label}\t{m}\t{k}\t{n}\t{s * 1e3:.4f}\t{2 * m * n * k / s * 1e-9:.2f}")


if __name__ == "__main__":
    main()
