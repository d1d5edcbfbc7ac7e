"""Export the trained CO2 forecaster (checkpoint.pt from train.py) as an Edge package here.

    /usr/bin/python3 models/aaren-co2/export.py

Writes model.json, weights.safetensors, step.onnx, golden/ (the last 500 weeks of the series,
outputs from the parallel form) and forecast/ (a 52-week forecast example); see
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
FORECAST = {"value_column": "co2", "time_column": "date", "time_format": "yyyyMMdd", "target": "delta", "season": 52, "inputs": [{"kind": "value"}, {"kind": "sin", "clock": "time", "period": 365.2425, "origin": "1958-01-01"}, {"kind": "cos", "clock": "time", "period": 365.2425, "origin": "1958-01-01"}]}


def main():
    dates, y, observed, X = train.load_data()
    with open(os.path.join(HERE, "metrics.json")) as f:
        metrics = json.load(f)
    provenance = {
        "data": "Mauna Loa weekly atmospheric CO2 (ppm), 1958-03-29..2001-12-29, 2284 weeks, "
                "statsmodels.datasets.co2 (Debian python3-statsmodels: statsmodels/datasets/co2/co2.csv); "
                "Keeling & Whorf (2004), SIO / CDIAC",
        "licence": "public domain (statsmodels: 'This is public domain.')",
        "script": "models/aaren-co2/train.py, models/aaren-co2/export.py",
        "task": "one-step-ahead forecast; output = co2[t+1] - co2[t] (ppm)",
        "forecast": {"base_column": train.BASE_COL, "feedback_column": 0, "season": train.SEASON,
                     "procedure": "models/aaren-reference/forecasting.py: forecast()"},
        "inputs": ["co2_ppm", "sin(2*pi*phi)", "cos(2*pi*phi)"],
        "split": {"train": [0, len(y) - train.TEST - train.VAL], "validation": [len(y) - train.TEST - train.VAL, len(y) - train.TEST],
                  "test": [len(y) - train.TEST, len(y)]},
        "metrics": metrics,
    }
    export(HERE, X, horizon=train.SEASON, provenance=provenance, base_col=train.BASE_COL,
           forecast_spec=FORECAST)


if __name__ == "__main__":
    main()
