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
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))

from forecasting import forecast_package  # noqa: E402

if __name__ == "__main__":
    forecast_package(HERE, sys.argv[1:])
