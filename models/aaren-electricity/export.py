"""Export the trained electricity forecaster (checkpoint.pt from train.py) as an Edge package here.

    /usr/bin/python3 models/aaren-electricity/export.py

Writes model.json, weights.safetensors, step.onnx, golden/ (the last 500 half-hours of the
series, outputs from the parallel form) and forecast/ (a 336-step forecast example); see
models/aaren-reference/export_forecaster.py.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))

import train  # noqa: E402
from export_forecaster import export  # noqa: E402

# How `edge forecast` turns CSV rows into this model's inputs (model.json "forecast").
FORECAST = {"value_column": "demand", "target": "delta", "base_input": 1, "season": 336, "inputs": [{"kind": "value"}, {"kind": "lag", "offset": -335}, {"kind": "lag", "offset": -336}, {"kind": "sin", "clock": "row", "period": 48}, {"kind": "cos", "clock": "row", "period": 48}, {"kind": "sin", "clock": "row", "period": 336}, {"kind": "cos", "clock": "row", "period": 336}]}


def main():
    y, X = train.load_data()
    with open(os.path.join(HERE, "metrics.json")) as f:
        metrics = json.load(f)
    N = len(y)
    provenance = {
        "data": "half-hourly electricity demand (MW) in England and Wales, Monday 2000-06-05 to "
                "Sunday 2000-08-27, 4032 points: dataset `taylor` of the R package forecast "
                "(Debian r-cran-forecast 8.20), provided by James W. Taylor; Taylor (2003), "
                "J. Operational Research Society 54, 799-805",
        "licence": "GPL-3 (the R package forecast, which ships the data set)",
        "script": "models/aaren-electricity/train.py, models/aaren-electricity/export.py",
        "task": "one-step-ahead forecast; output = demand[t+1] - demand[t+1-336] (MW)",
        "forecast": {"base_column": train.BASE_COL, "feedback_column": 0, "season": train.WEEK,
                     "max_horizon": train.WEEK, "damping": metrics["damping"]["chosen"],
                     "procedure": "models/aaren-reference/forecasting.py: forecast()"},
        "inputs": ["demand_mw", "demand[t+1-336]", "demand[t-336]", "sin(2*pi*(t%48)/48)",
                   "cos(2*pi*(t%48)/48)", "sin(2*pi*(t%336)/336)", "cos(2*pi*(t%336)/336)"],
        "split": {"train": [0, N - train.TEST], "test": [N - train.TEST, N],
                  "validation_for_hyperparameters": [N - train.TEST - train.VAL, N - train.TEST]},
        "metrics": metrics,
    }
    # The damping rolling_origin.py chose on validation folds (train.py copies it into metrics.json).
    export(HERE, X, horizon=train.WEEK, provenance=provenance, base_col=train.BASE_COL,
           forecast_spec=dict(FORECAST, damping=metrics["damping"]["chosen"]))


if __name__ == "__main__":
    main()
