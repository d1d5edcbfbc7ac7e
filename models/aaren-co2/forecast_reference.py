"""Reference multi-step forecast with this package (what `edge forecast` reproduces).

    /usr/bin/python3 forecast_reference.py                      # check forecast/expected.npy
    /usr/bin/python3 forecast_reference.py HISTORY.npy FUTURE.npy OUT.npy

HISTORY [T,F] float32: observed rows. FUTURE [H,F] float32: the next H rows with every column
but 0 filled in (column 0 is ignored). OUT [H] float32: the forecast of column 0 of those rows.

Procedure (models/aaren-reference/forecasting.py, forecast()), all in float32:
  state = initial (m = -inf, c = 0, a = 0)
  for each history row r: out, state = step(r, state)
  row = last history row
  for h = 0..H-1:
      yhat[h] = row[B] + out        B = provenance.forecast.base_column in model.json
      row = FUTURE[h] with column 0 replaced by yhat[h]
      if h < H-1: out, state = step(row, state)
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))

from aaren import load_package  # noqa: E402
from forecasting import forecast  # noqa: E402


def main(argv):
    model, doc = load_package(HERE)
    base = doc["provenance"]["forecast"]["base_column"]
    if len(argv) == 3:
        history, future = np.load(argv[0]), np.load(argv[1])
        np.save(argv[2], forecast(model, history, future, base_col=base))
        return
    history = np.load(os.path.join(HERE, "forecast", "history.npy"))
    future = np.load(os.path.join(HERE, "forecast", "future.npy"))
    expected = np.load(os.path.join(HERE, "forecast", "expected.npy"))
    truth = np.load(os.path.join(HERE, "forecast", "truth.npy"))
    got = forecast(model, history, future, base_col=base)
    err = float(np.abs(got - expected).max())
    print(f"{len(got)} steps: max |forecast - expected| = {err:.3g}; MAE vs truth {np.mean(np.abs(got - truth)):.4f}")
    assert err <= 1e-3 * max(1.0, float(np.abs(expected).max())), "forecast does not reproduce forecast/expected.npy"


if __name__ == "__main__":
    main(sys.argv[1:])
