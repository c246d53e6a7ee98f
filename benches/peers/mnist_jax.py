"""The chapter's network in JAX on the CPU: one jit-compiled training step (gradients by
jax.value_and_grad, Keras's RMSprop), Glorot-uniform weights, a reshuffle every epoch, 5 epochs of
batch 128."""
import os
import sys
import time

started = time.perf_counter()
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_data import glorot, load  # noqa: E402
from report import report  # noqa: E402

x_train, y_train, x_test, y_test = load()
rng = np.random.default_rng(0)


params = [jnp.asarray(glorot(rng, 784, 512)), jnp.zeros(512), jnp.asarray(glorot(rng, 512, 10)), jnp.zeros(10)]
mean_square = [jnp.zeros_like(p) for p in params]
LR, RHO, EPS = 1e-3, 0.9, 1e-7


def logits(params, x):
    w1, b1, w2, b2 = params
    return jax.nn.relu(x @ w1 + b1) @ w2 + b2


@jax.jit
def train_step(params, mean_square, x, y):
    def loss(p):
        z = logits(p, x)
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(z), axis=1)), z

    (_, z), grads = jax.value_and_grad(loss, has_aux=True)(params)
    mean_square = [RHO * a + (1 - RHO) * g * g for a, g in zip(mean_square, grads)]
    params = [w - LR * g / jnp.sqrt(a + EPS) for w, g, a in zip(params, grads, mean_square)]
    return params, mean_square, jnp.sum(jnp.argmax(z, 1) == jnp.argmax(y, 1))


epoch_s, train_acc = [], []
t0 = time.perf_counter()
for epoch in range(5):
    te = time.perf_counter()
    order = rng.permutation(len(x_train))
    correct = 0
    for start in range(0, len(x_train), 128):
        batch = order[start:start + 128]
        params, mean_square, c = train_step(params, mean_square, x_train[batch], y_train[batch])
        correct += c
    correct = int(correct)  # waits for the last step
    epoch_s.append(time.perf_counter() - te)
    train_acc.append(correct / len(x_train))
fit_s = time.perf_counter() - t0
test_acc = jnp.mean(jnp.argmax(jax.jit(logits)(params, x_test), 1) == y_test.argmax(1))
report("jax", {"jax": jax.__version__}, epoch_s, fit_s, train_acc, test_acc, started)
