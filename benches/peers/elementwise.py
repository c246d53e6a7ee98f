"""NumPy element-wise ops on 10^7 float32 (single-threaded ufuncs), the cases `tessera bench
elementwise` runs under the same names. Median of 15 timed runs after 3 warm-ups.
Prints: case  ms  GB/s  ns/element (bytes = arrays read + arrays written)."""
import time

import numpy as np

N = 10_000_000
rng = np.random.default_rng(0)
x = rng.standard_normal(N, dtype=np.float32)
y = rng.standard_normal(N, dtype=np.float32)
z = np.empty_like(x)
m = x[:1_000_000].reshape(1000, 1000).copy()
row = y[:1000].copy()
m_out = np.empty_like(m)


def median_seconds(f, runs=15):
    for _ in range(3):
        f()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def triad():
    np.multiply(y, 3.0, out=z)
    np.add(z, x, out=z)


CASES = [  # name, op, elements, bytes moved
    ("x + y (allocates result)", lambda: x + y, N, 12 * N),
    ("np.add(x, y, out=z)", lambda: np.add(x, y, out=z), N, 12 * N),
    ("np.maximum(x, 0) (allocates)", lambda: np.maximum(x, 0), N, 8 * N),
    ("np.maximum(x, 0, out=z)", lambda: np.maximum(x, 0, out=z), N, 8 * N),
    ("(1000,1000) + (1000,) broadcast (allocates)", lambda: m + row, 1_000_000, 8 * 1_000_000),
    ("np.add(M, r, out=Mo) broadcast", lambda: np.add(m, row, out=m_out), 1_000_000, 8 * 1_000_000),
    ("np.exp(x) (allocates)", lambda: np.exp(x), N, 8 * N),
    ("np.exp(x, out=z)", lambda: np.exp(x, out=z), N, 8 * N),
    ("np.tanh(x) (allocates)", lambda: np.tanh(x), N, 8 * N),
    ("np.tanh(x, out=z)", lambda: np.tanh(x, out=z), N, 8 * N),
    ("x.sum()", lambda: x.sum(), N, 4 * N),
    ("np.copyto(z, x) (copy)", lambda: np.copyto(z, x), N, 8 * N),
    ("triad np.multiply(y,3,out=z); z+=x", triad, N, 12 * N),
]

print(f"# numpy {np.__version__}, N={N} float32")
print("case\tms\tGB/s\tns/elem")
for name, op, n, moved in CASES:
    s = median_seconds(op)
    print(f"{name}\t{s * 1e3:.3f}\t{moved / s * 1e-9:.2f}\t{s / n * 1e9:.3f}")
