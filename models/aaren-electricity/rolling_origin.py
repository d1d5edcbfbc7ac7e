"""Rolling-origin evaluation of the training recipe (time-series cross-validation), and the choice of
the forecast damping.

    /usr/bin/python3 models/aaren-electricity/rolling_origin.py [FOLD ...]   # fits folds, writes rolling_origin.json
    /usr/bin/python3 models/aaren-electricity/rolling_origin.py --rescore [FOLD ...]   # re-scores saved fold models

The package's own test (train.py) has one held-out tail, weeks 11-12, and its week-ahead figure rests
on how one week's level moved. This script repeats the whole recipe on a rolling origin: for fold k
(k = 5..11) the recipe of train.py is fitted from scratch on weeks 1..k-1 only, then every origin o
from the last half-hour of week k-1 to the last of week k forecasts the next 1, 48 and 336 half-hours
(fed back, exactly as `edge forecast`), all targets inside weeks k..k+1 and none of them seen in
training. Fold 11 is train.py's test. Weekly seasonal naive is scored on the same targets.

Damping (model.json forecast.damping, phi): the 48- and 336-step forecasts are also scored with the
model's correction damped by phi^h for each phi of DAMPING_GRID. The package's phi is the one with the
lowest 336-step MAE pooled over the validation folds 5-9, whose targets (weeks 5..10) all precede the
test weeks; folds 10 (targets in weeks 10-11) and 11 play no part in the choice. train.py reads it
from here.

Results go to rolling_origin.json (folds already there are kept, so folds can run in separate
processes: `rolling_origin.py 5 7 9 11 & rolling_origin.py 6 8 10`). Each fold's model is saved
to folds/fold{k}.pt (not committed) so that --rescore can score a new grid without refitting.
"""
import fcntl
import json
import os
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "aaren-reference"))

import train as T  # noqa: E402
from aaren import Aaren  # noqa: E402
from forecasting import evaluate, rolling_forecasts_damped, train  # noqa: E402

FOLDS = tuple(range(5, 12))
VALIDATION_FOLDS = tuple(range(5, 10))
DAMPING_GRID = (1.0, 0.9995, 0.999, 0.998, 0.995, 0.99, 0.98, 0.95, 0.9, 0.8, 0.5)
OUT = os.path.join(HERE, "rolling_origin.json")


def fold_span(y, k):
    return (k - 1) * T.WEEK, min(len(y), (k + 1) * T.WEEK)


def score_damping(model, X, y, train_end, end):
    """{"48": {phi: MAE}, "336": {...}} over every origin of the fold, as evaluate() picks them."""
    out = {}
    for H in (T.DAY, T.WEEK):
        origins = list(range(train_end - 1, end - H))
        idx = np.array(origins)[:, None] + 1 + np.arange(H)[None, :]
        preds = rolling_forecasts_damped(model, X[:end], origins, H, T.BASE_COL, DAMPING_GRID)
        out[str(H)] = {str(phi): float(np.mean(np.abs(preds[phi] - y[idx]))) for phi in DAMPING_GRID}
    return out


def run_fold(y, X, k):
    train_end, end = fold_span(y, k)
    model = T.build_model(X, y, train_end)
    t0 = time.time()
    train(model, X[:end], y[:end], train_end, end, T.STEPS, lr=T.LR, seed=T.SEED, base_col=T.BASE_COL, **T.TRAIN_KW)
    train_s = time.time() - t0
    os.makedirs(os.path.join(HERE, "folds"), exist_ok=True)
    torch.save({"config": model.config(), "state_dict": model.state_dict()}, os.path.join(HERE, "folds", f"fold{k}.pt"))
    res = evaluate(model, X[:end], y[:end], train_end, T.SEASON, [T.DAY, T.WEEK], base_col=T.BASE_COL)
    res.update(fold=k, train_weeks=[1, k - 1], train_seconds=round(train_s, 1),
               model_mae_by_damping=score_damping(model, X, y, train_end, end))
    return res


def pooled(folds):
    """Mean over folds of each fold's MAE (every fold has the same number of forecasts per horizon)."""
    out = {}
    for key in ("one_step", "horizon_48", "horizon_336"):
        m = np.array([f[key]["model_mae"] for f in folds])
        s = np.array([f[key]["snaive_mae"] for f in folds])
        out[key] = {"model_mae": float(m.mean()), "snaive_mae": float(s.mean()),
                    "folds_model_better": int((m < s).sum()), "folds": len(folds)}
        out[key]["model_over_snaive"] = out[key]["model_mae"] / out[key]["snaive_mae"]
    if all(f["model_mae_by_damping"] for f in folds):
        out["model_mae_by_damping"] = {H: {phi: float(np.mean([f["model_mae_by_damping"][H][phi] for f in folds]))
                                           for phi in folds[0]["model_mae_by_damping"][H]}
                                       for H in folds[0]["model_mae_by_damping"]}
    return out


def repool(doc):
    folds = [doc["folds"][str(k)] for k in FOLDS if str(k) in doc["folds"]]
    doc["pooled_all_folds"] = pooled(folds)
    validation = [doc["folds"][str(k)] for k in VALIDATION_FOLDS if str(k) in doc["folds"]]
    if len(validation) == len(VALIDATION_FOLDS) and all(f["model_mae_by_damping"] for f in validation):
        doc["pooled_validation_folds"] = pooled(validation)
        by = doc["pooled_validation_folds"]["model_mae_by_damping"][str(T.WEEK)]
        doc["damping"] = {"chosen": float(min(by, key=by.get)), "folds": list(VALIDATION_FOLDS),
                          "by": "lowest 336-step MAE pooled over the validation folds"}
    doc["recipe"] = "models/aaren-electricity/train.py (STEPS, LR, TRAIN_KW, CONFIG, SEED)"


def update(change):
    with open(os.path.join(tempfile.gettempdir(), "aaren-electricity-rolling-origin.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        doc = json.load(open(OUT)) if os.path.exists(OUT) else {"folds": {}}
        change(doc)
        repool(doc)
        tmp = OUT + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=1)
        os.replace(tmp, OUT)
        return doc


def rescore(y, X, folds):
    def change(doc):
        for key, f in doc["folds"].items():
            if folds and int(key) not in folds:
                continue
            ck = torch.load(os.path.join(HERE, "folds", f"fold{key}.pt"))
            model = Aaren.from_config(ck["config"])
            model.load_state_dict(ck["state_dict"])
            f["model_mae_by_damping"] = score_damping(model.float().eval(), X, y, *fold_span(y, int(key)))
            print(f"fold {key} re-scored", flush=True)
    return update(change)


def main():
    torch.set_num_threads(1)
    y, X = T.load_data()
    if sys.argv[1:2] == ["--rescore"]:
        doc = rescore(y, X, [int(a) for a in sys.argv[2:]])
        print(json.dumps({k: doc.get(k) for k in ("damping", "pooled_validation_folds")}, indent=1))
        return
    folds = [int(a) for a in sys.argv[1:]] or list(FOLDS)
    for k in folds:
        assert k in FOLDS, f"fold {k}: folds are {FOLDS}"
        res = run_fold(y, X, k)
        r1, r48, r336 = res["one_step"], res["horizon_48"], res["horizon_336"]
        print(f"fold {k} (train weeks 1-{k - 1}): model/snaive  1 step {r1['model_over_snaive']:.3f}  "
              f"48 steps {r48['model_over_snaive']:.3f}  336 steps {r336['model_over_snaive']:.3f} "
              f"({r336['model_mae']:.0f} vs {r336['snaive_mae']:.0f} MW; {res['train_seconds']:.0f} s)", flush=True)
        update(lambda doc: doc["folds"].__setitem__(str(k), res))


if __name__ == "__main__":
    main()
