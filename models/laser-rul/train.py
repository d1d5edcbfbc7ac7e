"""Train the gru-attention remaining-useful-life (RUL) model of a laser, run once an anomaly is detected.

Input per step: the five features of models/laser-aging/aging.py; output: the remaining
useful life in hours (time to the 20 % end-of-life criterion), at every step.
How the pipeline runs it: when the detector fires at sample t_d, a fresh state is fed the
WARMUP = 48 samples t_d-47..t_d (the recent window, 96 h), then one step per new sample; the
output after each step is the RUL estimate at that sample.
Training: random crops of the training units that end by the wear-out criterion (a sudden
failure has no precursor in the signal, so its time cannot be learned): a detection time t_d
drawn from 48 h before the anomaly label up to the end of life, the warm-up window before
it and up to MAX_STEPS steps after; L1 loss of the normalised RUL on steps t_d and later.
Validation units pick the iteration; held-out test units are measured once at the end.
Baseline: least-squares line through the last WARMUP samples of rel_bias (after a running
median of 5, which removes single glitches), extrapolated to rel_bias = 0.2.
Writes trained.safetensors and train_result.json.

Run: /usr/bin/python3 train.py      (make_data.py first; a few minutes on one core)
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gru-attention-ecg"))
sys.path.insert(0, os.path.join(HERE, "..", "laser-aging"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from aging import DT_H, EOL_RISE, FEATURES, load_split  # noqa: E402
from edge_package import write_safetensors  # noqa: E402
from reference import GruAttention, self_test  # noqa: E402

WARMUP = 48
MAX_STEPS = 256
HYPER = dict(hidden=32, layers=1, attn_dim=16, attention_window=0, linear_before_reset=True,
             batch=48, iterations=400, eval_every=50, lr=3e-3, lr_min=1e-4, clip=1.0, seed=0,
             early_detection_h=48.0)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_flush_denormal(True)


def indices(u):
    """(index of the anomaly label, index of the last sample at or before end of life)."""
    a = int(np.argmax(u["anomaly"]))
    e = int(np.nonzero(u["time"] <= u["eol_h"])[0][-1])
    return a, e


def gradual(units):
    return [u for u in units if u["end_reason"] == "criterion"]


def linear_baseline(u, start, end, cap, window=WARMUP):
    """RUL (h) by a line through the last `window` samples of rel_bias, for samples start..end."""
    r = u["feat"][:, 0]
    out = []
    for t in range(start, end + 1):
        lo = max(0, t - window + 1)
        seg = r[lo:t + 1]
        pad = np.concatenate([seg[:1].repeat(2), seg, seg[-1:].repeat(2)])
        med = np.median(np.lib.stride_tricks.sliding_window_view(pad, 5), axis=1)
        tt = u["time"][lo:t + 1]
        if len(tt) < 2:
            out.append(cap)
            continue
        slope, icpt = np.polyfit(tt, med, 1)
        now = slope * tt[-1] + icpt
        rul = (EOL_RISE - now) / slope if slope > 0 else cap
        out.append(float(np.clip(rul, 0.0, cap)))
    return np.array(out)


@torch.no_grad()
def run_from(model, u, start, end):
    """Fresh state fed samples start-WARMUP+1..end; returns the outputs at samples start..end."""
    lo = max(0, start - WARMUP + 1)
    xs = torch.as_tensor(u["feat"][lo:end + 1], dtype=torch.float32)[None]
    st = model.initial_batch_state(1)
    outs = []
    for i in range(0, xs.shape[1], 512):
        y, st = model.forward_sequence(xs[:, i:i + 512], st)
        outs.append(y[0, :, 0])
    y = torch.cat(outs).numpy().astype(np.float64)
    return y[start - lo:]


def evaluate(model, units, cap, with_baseline=True, run_fn=None):
    run_fn = run_fn or (lambda u, s, e: run_from(model, u, s, e))
    err, lin, lin_all, per_unit = [], [], [], {}
    for u in units:
        a, e = indices(u)
        if e < a:
            continue                  # a sudden failure between two samples: nothing to estimate
        truth = u["rul"][a:e + 1]
        p = run_fn(u, a, e)
        err.append(p - truth)
        row = {"model_mae_h": float(np.abs(p - truth).mean())}
        if with_baseline:
            b = linear_baseline(u, a, e, cap)
            ball = np.array([linear_baseline(u, t, t, cap, window=t - a + WARMUP)[0] for t in range(a, e + 1)])
            lin.append(b - truth)
            lin_all.append(ball - truth)
            row["linear_mae_h"] = float(np.abs(b - truth).mean())
            row["linear_since_detection_mae_h"] = float(np.abs(ball - truth).mean())
        per_unit[u["unit_id"]] = {k: round(v, 1) for k, v in row.items()}
    mae = lambda parts: float(np.mean(np.abs(np.concatenate(parts))))
    rmse = lambda parts: float(np.sqrt(np.mean(np.concatenate(parts) ** 2)))
    m = {"model_mae_h": mae(err), "model_rmse_h": rmse(err), "steps": int(sum(len(x) for x in err)),
         "units": [int(k) for k in per_unit], "per_unit": per_unit}
    if with_baseline:
        m.update(linear_mae_h=mae(lin), linear_rmse_h=rmse(lin),
                 linear_since_detection_mae_h=mae(lin_all), linear_since_detection_rmse_h=rmse(lin_all))
    return m


def crops(units, rng, n, early_steps):
    """n random training crops: (x [T,F], rul [T], loss mask [T]) padded to WARMUP + MAX_STEPS."""
    T = WARMUP + MAX_STEPS
    X = np.zeros((n, T, len(FEATURES)))
    Y = np.zeros((n, T))
    M = np.zeros((n, T))
    for i in range(n):
        u = units[int(rng.integers(0, len(units)))]
        a, e = indices(u)
        d = int(rng.integers(max(WARMUP - 1, a - early_steps), e + 1))
        lo, hi = d - WARMUP + 1, min(e, d + MAX_STEPS - 1)
        k = hi - lo + 1
        X[i, :k], Y[i, :k] = u["feat"][lo:hi + 1], u["rul"][lo:hi + 1]
        X[i, k:] = u["feat"][hi]
        M[i, WARMUP - 1:k] = 1.0
    f = lambda a: torch.as_tensor(a, dtype=torch.float32)
    return f(X), f(Y), f(M)


def check_forms(model, u):
    """The training form equals the streaming step; outputs are hours near 1e3, so the float32
    tolerance is relative (1e-6 of the output scale)."""
    self_test(model, torch.as_tensor(u["feat"][:300], dtype=torch.float32), window=64,
              atol=1e-6 * float(model.output_mean.abs().max() + model.output_std.max()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=HYPER["iterations"])
    args = ap.parse_args()
    hp = dict(HYPER, iterations=args.iterations)
    seed_everything(hp["seed"])
    t0 = time.time()
    train, val, test = gradual(load_split("train")), gradual(load_split("val")), load_split("test")
    test_gradual = gradual(test)

    xin = np.concatenate([u["feat"][indices(u)[0] - WARMUP:indices(u)[1] + 1][~u["glitch"][indices(u)[0] - WARMUP:indices(u)[1] + 1]] for u in train])
    rul = np.concatenate([u["rul"][indices(u)[0]:indices(u)[1] + 1] for u in train])
    cap = float(max(u["rul"][indices(u)[0]] for u in train)) * 1.5
    model = GruAttention(len(FEATURES), hp["hidden"], hp["layers"], hp["attn_dim"], 1, hp["attention_window"],
                         hp["linear_before_reset"], input_mean=xin.mean(0), input_std=xin.std(0),
                         output_mean=[rul.mean()], output_std=[rul.std()])
    check_forms(model, test[0])

    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    rng = np.random.default_rng(hp["seed"])
    early = int(hp["early_detection_h"] / DT_H)
    ostd = model.output_std
    best, best_it, best_state, history = math.inf, 0, None, []
    for it in range(hp["iterations"]):
        model.train()
        X, Y, M = crops(train, rng, hp["batch"], early)
        pred, _ = model.forward_sequence(X, model.initial_batch_state(X.shape[0]))
        loss = ((pred[..., 0] - Y).abs() / ostd * M).sum() / M.sum()
        lr = hp["lr_min"] + 0.5 * (hp["lr"] - hp["lr_min"]) * (1 + math.cos(math.pi * it / hp["iterations"]))
        for g in opt.param_groups:
            g["lr"] = lr
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
        opt.step()
        if (it + 1) % hp["eval_every"] == 0 or it + 1 == hp["iterations"]:
            model.eval()
            v = evaluate(model, val, cap, with_baseline=False)["model_mae_h"]
            history.append(round(v, 2))
            if v < best:
                best, best_it = v, it + 1
                best_state = {k: t.clone() for k, t in model.state_dict().items()}
            print(f"it {it + 1}/{hp['iterations']} loss {loss.item():.4f} val mae {v:.1f} h "
                  f"lr {lr:.1e} {time.time() - t0:.0f}s", flush=True)

    model.load_state_dict(best_state)
    model.eval()
    check_forms(model, test[0])
    m_val = evaluate(model, val, cap)
    m_test = evaluate(model, test_gradual, cap)
    m_sudden = evaluate(model, [u for u in test if u["end_reason"] != "criterion"], cap)
    train_s = time.time() - t0
    print("val", json.dumps({k: v for k, v in m_val.items() if k != "per_unit"}))
    print("test", json.dumps(m_test))
    print("test sudden", json.dumps(m_sudden))
    print(f"trained in {train_s:.0f}s, best iteration {best_it}")
    write_safetensors(os.path.join(HERE, "trained.safetensors"), model.weight_tensors())
    result = {"config": model.config(), "hyper": hp, "warmup": WARMUP, "max_steps": MAX_STEPS,
              "baseline_cap_h": cap, "best_iteration": best_it, "val_history": history,
              "val_metrics": m_val, "test_metrics": m_test, "test_sudden_failure_metrics": m_sudden,
              "train_seconds": round(train_s, 1), "train_units": [u["unit_id"] for u in train],
              "torch": torch.__version__}
    with open(os.path.join(HERE, "train_result.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if m_test["model_mae_h"] >= min(m_test["linear_mae_h"], m_test["linear_since_detection_mae_h"]):
        print("WARNING: the model does not beat linear extrapolation on the held-out units", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
