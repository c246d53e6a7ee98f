"""The chapter's network in plain NumPy: forward pass, the backward pass written out, Keras's
RMSprop (learning rate 1e-3, rho 0.9, epsilon 1e-7), Glorot-uniform weights, a reshuffle every
epoch, 5 epochs of batch 128. OpenBLAS threads come from OPENBLAS_NUM_THREADS."""
import os
import sys
import time

started = time.perf_counter()
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_data import glorot, load  # noqa: E402
from report import report  # noqa: E402

x_train, y_train, x_test, y_test = load()
rng = np.random.default_rng(0)


params = [glorot(rng, 784, 512), np.zeros(512, np.float32), glorot(rng, 512, 10), np.zeros(10, np.float32)]
mean_square = [np.zeros_like(p) for p in params]
LR, RHO, EPS = np.float32(1e-3), np.float32(0.9), np.float32(1e-7)


def forward(x):
    w1, b1, w2, b2 = params
    h = np.maximum(x @ w1 + b1, 0)
    z = h @ w2 + b2
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return h, p


def train_step(x, y):
    _, _, w2, _ = params
    h, p = forward(x)
    dz = (p - y) / np.float32(len(x))  # softmax + crossentropy, averaged over the batch
    dh = dz @ w2.T
    dh *= h > 0
    grads = [x.T @ dh, dh.sum(axis=0), h.T @ dz, dz.sum(axis=0)]
    for w, a, g in zip(params, mean_square, grads):
        a *= RHO
        a += (1 - RHO) * g * g
        w -= LR * g / np.sqrt(a + EPS)
    return int(np.sum(p.argmax(axis=1) == y.argmax(axis=1)))


epoch_s, train_acc = [], []
t0 = time.perf_counter()
for epoch in range(5):
    te = time.perf_counter()
    order = rng.permutation(len(x_train))
    correct = 0
    for start in range(0, len(x_train), 128):
        batch = order[start:start + 128]
        correct += train_step(x_train[batch], y_train[batch])
    epoch_s.append(time.perf_counter() - te)
    train_acc.append(correct / len(x_train))
fit_s = time.perf_counter() - t0
_, p = forward(x_test)
test_acc = np.mean(p.argmax(axis=1) == y_test.argmax(axis=1))
report("numpy", {"numpy": np.__version__, "threads": os.environ.get("OPENBLAS_NUM_THREADS")},
       epoch_s, fit_s, train_acc, test_acc, started)
