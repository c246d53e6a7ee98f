"""DGEMM with NumPy/OpenBLAS: the f64 twin of the peers' numpy_sgemm.py ($PEERS) (same shapes, same
timing loop, imported from there). Threads via OPENBLAS_NUM_THREADS (set by the caller).
Prints: numpy threads shape m k n median_ms gflops"""
import os, sys
import numpy as np

sys.path.insert(0, os.environ["PEERS"])
from numpy_sgemm import SHAPES, bench  # noqa: E402

th = os.environ.get("OPENBLAS_NUM_THREADS", "default")
rng = np.random.default_rng(0)
for label, m, k, n, at in SHAPES:
    a = (rng.random((k, m)) * 2 - 1).T if at else rng.random((m, k)) * 2 - 1
    b = rng.random((k, n)) * 2 - 1
    c = np.empty((m, n))
    s = bench(lambda: np.matmul(a, b, out=c))
    print(f"numpy\t{th}\t{label}\t{m}\t{k}\t{n}\t{s*1e3:.4f}\t{2*m*n*k/s*1e-9:.2f}")
