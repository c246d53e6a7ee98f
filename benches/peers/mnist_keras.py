"""The chapter's listing in Keras 3 on TensorFlow (CPU): Dense(512, relu), Dense(10, softmax),
rmsprop, categorical crossentropy, 5 epochs of batch 128. Usage: mnist_keras.py [threads]
(absent or 0: TensorFlow's default thread pools)."""
import os
import sys
import time

started = time.perf_counter()
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_data import load  # noqa: E402
from report import report  # noqa: E402

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 0
if threads:
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
x_train, y_train, x_test, y_test = load()
model = keras.Sequential([
    keras.Input((28 * 28,)),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])


class EpochTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds, self.accuracy = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.t0 = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.t0)
        self.accuracy.append(logs["accuracy"])


timer = EpochTimer()
t0 = time.perf_counter()
model.fit(x_train, y_train, epochs=5, batch_size=128, verbose=0, callbacks=[timer])
fit_s = time.perf_counter() - t0
_, test_acc = model.evaluate(x_test, y_test, verbose=0)
report("keras", {"tensorflow": tf.__version__, "keras": keras.__version__, "threads": threads},
       timer.seconds, fit_s, timer.accuracy, test_acc, started)
