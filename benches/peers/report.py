"""The one JSON line every MNIST peer prints: per-epoch times, their median, fit time, accuracies."""
import json
import time

import numpy as np


def report(tool, versions, epoch_s, fit_s, train_acc, test_acc, started):
    print(json.dumps({
        "tool": tool, **versions,
        "epoch_s": [round(t, 3) for t in epoch_s],
        "median_epoch_s": round(float(np.median(epoch_s)), 3),
        "fit_s": round(fit_s, 2),
        "train_acc": [round(float(a), 4) for a in train_acc],
        "test_acc": round(float(test_acc), 4),
        "process_s": round(time.perf_counter() - started, 2),
    }))
