"""Train the aaren CO2 forecaster (weekly Mauna Loa CO2, statsmodels' co2 data set).

    /usr/bin/python3 models/aaren-co2/train.py        # writes checkpoint.pt and metrics.json here

Data: statsmodels/datasets/co2/co2.csv from Debian's python3-statsmodels (public domain,
2284 weekly rows 1958-03-29..2001-12-29, 59 missing values linearly interpolated).
Input row t: [co2_t (ppm), sin(2 pi phi_t), cos(2 pi phi_t)], phi_t = fractional year of the
row's date = ((date - 1958-01-01) in days / 365.2425) mod 1.
Output t: co2_{t+1} - co2_t (ppm), so the forecast is yhat_{t+1} = row_t[0] + output_t.
Split: last 104 weeks test, the 104 before validation (model selection: the checkpoint with
the best validation score, evaluated every 50 iterations), the rest training.
"""
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from aaren import Aaren  # noqa: E402
from forecasting import evaluate, train  # noqa: E402

CSV = "/usr/lib/python3/dist-packages/statsmodels/datasets/co2/co2.csv"
SEASON = 52
BASE_COL = 0          # output = co2[t+1] - row_t[0]
TEST = 104
VAL = 104
SEED = 0
CONFIG = dict(d_model=32, heads=4, layers=2, ffn_dim=64, activation="gelu_tanh", eps=1e-5)
STEPS = 300
LR = 3e-3


def phase_features(dates):
    days = (dates - np.datetime64("1958-01-01")).astype("timedelta64[D]").astype(np.float64)
    phi = np.mod(days / 365.2425, 1.0)
    return np.stack([np.sin(2 * np.pi * phi), np.cos(2 * np.pi * phi)], 1)


def load_data():
    """Returns dates [N] datetime64[D], y [N] float64 (interpolated), observed mask [N], X [N,3] float32."""
    raw = np.genfromtxt(CSV, delimiter=",", skip_header=1, dtype=str)
    dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:8]}" for d in raw[:, 0]], dtype="datetime64[D]")
    assert len(dates) == 2284 and np.all(np.diff(dates).astype(int) == 7), "expected 2284 regular weekly rows"
    y = np.array([float(v) if v.strip() else np.nan for v in raw[:, 1]])
    observed = ~np.isnan(y)
    idx = np.arange(len(y))
    y = np.interp(idx, idx[observed], y[observed])         # linear interpolation of the gaps
    X = np.concatenate([y[:, None], phase_features(dates)], 1).astype(np.float32)
    return dates, y, observed, X


def build_model(X, y, train_end):
    d = np.diff(y[:train_end])
    torch.manual_seed(SEED)
    return Aaren(input_dim=X.shape[1], output_dim=1,
                 input_mean=[float(y[:train_end].mean()), 0.0, 0.0],
                 input_std=[float(y[:train_end].std()), 1.0, 1.0],
                 output_mean=[float(d.mean())], output_std=[float(d.std())], **CONFIG)


def main():
    torch.set_num_threads(1)  # 2 threads contend badly on a 2-core machine
    dates, y, observed, X = load_data()
    N = len(y)
    test_start = N - TEST
    val_start = test_start - VAL
    model = build_model(X, y, val_start)

    def val_fn(m):
        r = evaluate(m, X[:test_start], y[:test_start], val_start, SEASON, [SEASON])
        return 0.5 * (r["one_step"]["model_over_snaive"] + r[f"horizon_{SEASON}"]["model_over_snaive"])

    t0 = time.time()
    hist, best = train(model, X, y, val_start, test_start, STEPS, lr=LR, crop=512, batch=8,
                       loss="l1", seed=SEED, val_fn=val_fn, val_every=50)
    train_s = time.time() - t0
    res = evaluate(model, X, y, test_start, SEASON, [SEASON, 2 * SEASON])
    res["val_score"] = best
    res["train_seconds"] = round(train_s, 1)
    res["test_interpolated_targets"] = int((~observed[test_start:]).sum())
    print(json.dumps(res, indent=1))
    torch.save({"config": model.config(), "state_dict": model.state_dict()}, os.path.join(HERE, "checkpoint.pt"))
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
