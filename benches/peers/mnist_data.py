"""MNIST for the peer scripts, from the repository's data/mnist (or $MNIST_DIR): the gzipped IDX
files parsed with NumPy, pixels as float32 (N, 784) / 255, labels one-hot float32. With DENSE=1
each pixel becomes 0.05 + 0.9 x, so that none is zero (as `tessera mnist --dense`)."""
import gzip
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = os.environ.get("MNIST_DIR") or os.path.join(HERE, "..", "..", "data", "mnist")


def idx(name):
    with gzip.open(os.path.join(DIR, name + ".gz"), "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def glorot(rng, fan_in, fan_out):
    """Keras's default Dense initialisation: uniform in +-sqrt(6 / (fan_in + fan_out)), float32."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


def load():
    """(x_train, y_train, x_test, y_test) as the chapter prepares them."""
    def images(name):
        x = idx(name).reshape(-1, 28 * 28).astype(np.float32) / 255
        if os.environ.get("DENSE") == "1":
            x = np.float32(0.05) + np.float32(0.9) * x
        return x

    def one_hot(name):
        return np.eye(10, dtype=np.float32)[idx(name)]

    return (images("train-images-idx3-ubyte"), one_hot("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), one_hot("t10k-labels-idx1-ubyte"))
