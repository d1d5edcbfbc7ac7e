"""Train the aaren electricity-demand forecaster (half-hourly demand, England and Wales).

    /usr/bin/python3 models/aaren-electricity/train.py   # writes checkpoint.pt and metrics.json here

Data: `taylor` from the R package forecast (Debian: r-cran-forecast, GPL-3), read once with
Rscript into taylor.csv here (not committed; re-created when missing). 4032 half-hours,
Monday 5 June 2000 00:00 .. Sunday 27 August 2000, megawatts, no missing values.

Input row t (7 columns):
  0  demand_t (MW)                              fed back during a multi-step forecast
  1  lag1_t = demand_{t+1-336} (MW)             the demand one week before the predicted step
  2  lag0_t = demand_{t-336} (MW)               the demand one week before the current step
  3-4  sin/cos(2 pi (t mod 48)/48)              time of day
  5-6  sin/cos(2 pi (t mod 336)/336)            time of week
(t = 0 is the first half-hour of Monday 5 June 2000; in the first week, where there is no
lag, lag columns hold demand_t.) Columns 1..6 are known in advance for any step up to 336
steps past the last observation.
Output t: demand_{t+1} - lag1_t (MW), so the forecast is yhat_{t+1} = row_t[1] + output_t.
Split: last 672 half-hours (2 weeks) test. Hyperparameters were chosen on weeks 9-10 as a
validation split (README); the final model is fitted on everything before the test weeks
with a fixed number of iterations, keeping the last iterate.

Damping of multi-step forecasts (model.json forecast.damping, phi): the h-th forecast of a
multi-step run is row[1] + phi^h * output. phi comes from rolling_origin.py (run it first): the
recipe below fitted on weeks 1..k-1 for the validation folds k = 5..9, phi the grid value with the
lowest pooled 336-step MAE on their held-out weeks. The test weeks play no part in the choice.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from aaren import Aaren  # noqa: E402
from forecasting import evaluate, train  # noqa: E402

CSV = os.path.join(HERE, "taylor.csv")
DAY, WEEK = 48, 336
SEASON = WEEK
TEST = 2 * WEEK
VAL = 2 * WEEK
SEED = 0
CONFIG = dict(d_model=32, heads=4, layers=2, ffn_dim=64, activation="gelu_tanh", eps=1e-5)
LAGS = (1, 0)        # columns after the value: y[t+1-336] (BASE_COL), y[t-336]
BASE_COL = 1
STEPS = 400
LR = 3e-3
TRAIN_KW = dict(crop=672, batch=4, loss="l1", rollout_k=WEEK, rollout_batch=8, rollout_from=150,
                weight_decay=1e-4)


def calendar(t):
    t = np.asarray(t, dtype=np.float64)
    pd_, pw = np.mod(t, DAY) / DAY, np.mod(t, WEEK) / WEEK
    return np.stack([np.sin(2 * np.pi * pd_), np.cos(2 * np.pi * pd_),
                     np.sin(2 * np.pi * pw), np.cos(2 * np.pi * pw)], 1)


def lag_column(y, k):
    """lag_t = y[t+k-WEEK] for t >= WEEK-k, else y[t] (the first week has no lag)."""
    y = np.asarray(y, dtype=np.float64)
    lag = y.copy()
    lag[WEEK - k:] = y[:len(y) - WEEK + k]
    return lag


def load_data():
    """Returns y [N] float64, X [N,6] float32."""
    if not os.path.exists(CSV):
        subprocess.run(["Rscript", "-e", "library(forecast); write.csv(data.frame(demand=as.numeric(taylor)), "
                        f"'{CSV}', row.names=FALSE)"], check=True)
    y = np.loadtxt(CSV, skiprows=1, delimiter=",", dtype=np.float64)
    assert y.shape == (4032,) and not np.isnan(y).any()
    lags = [lag_column(y, k)[:, None] for k in LAGS]
    X = np.concatenate([y[:, None]] + lags + [calendar(np.arange(len(y)))], 1).astype(np.float32)
    return y, X


def build_model(X, y, train_end):
    d = y[1:train_end] - X[:train_end - 1, BASE_COL]
    torch.manual_seed(SEED)
    return Aaren(input_dim=X.shape[1], output_dim=1,
                 input_mean=[float(y[:train_end].mean())] * (1 + len(LAGS)) + [0.0] * 4,
                 input_std=[float(y[:train_end].std())] * (1 + len(LAGS)) + [1.0] * 4,
                 output_mean=[float(d.mean())], output_std=[float(d.std())], **CONFIG)


def chosen_damping():
    """(phi, how) from rolling_origin.json, written by rolling_origin.py."""
    path = os.path.join(HERE, "rolling_origin.json")
    if not os.path.exists(path):
        sys.exit("run models/aaren-electricity/rolling_origin.py first: it chooses the forecast damping on validation folds")
    with open(path) as f:
        damping = json.load(f)["damping"]
    return damping["chosen"], damping


def main():
    torch.set_num_threads(1)  # 2 threads contend badly on a 2-core machine
    y, X = load_data()
    N = len(y)
    test_start = N - TEST
    damping, how = chosen_damping()
    print(f"damping {damping} ({how['by']}, folds {how['folds']})", flush=True)
    t0 = time.time()
    model = build_model(X, y, test_start)
    train(model, X, y, test_start, N, STEPS, lr=LR, seed=SEED, base_col=BASE_COL, **TRAIN_KW)
    train_s = time.time() - t0
    res = evaluate(model, X, y, test_start, SEASON, [DAY, SEASON], base_col=BASE_COL, extra_naive=(DAY,),
                   damping=damping)
    res["damping"] = how
    res["train_seconds"] = round(train_s, 1)
    print(json.dumps(res, indent=1))
    torch.save({"config": model.config(), "state_dict": model.state_dict()}, os.path.join(HERE, "checkpoint.pt"))
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
