"""Train the gru-attention predictor of a laser's degradation signal (next-step relative bias current).

Input per step: the five features of models/laser-aging/aging.py (rel_bias, rel_bias_tc,
rel_monitor, case_temp_c, d_temp) of sample t; output: rel_bias of sample t+1 (bias / bias_ref - 1).
Data: the generated accelerated-aging runs; training units only (validation units pick the
epoch, held-out test units are measured once at the end).
Training: every training unit is one stream from a fresh state at its first sample (as the
pipeline runs it), truncated BPTT in chunks, state carried (detached) between chunks; padded
steps, targets that are labelled sensor glitches and steps after a sudden failure are masked
out of the loss (and left out of the normalisation statistics).
Writes trained.safetensors (the state_dict) and train_result.json.

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
from aging import EOL_RISE, FEATURES, load_split  # noqa: E402
from edge_package import write_safetensors  # noqa: E402
from reference import GruAttention, self_test  # noqa: E402

HYPER = dict(hidden=32, layers=1, attn_dim=16, attention_window=0, linear_before_reset=True,
             chunk=256, epochs=30, lr=3e-3, lr_min=1e-4, clip=1.0, seed=0)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_flush_denormal(True)


def pairs(u):
    """(inputs [N-1,F], targets [N-1], clean mask [N-1]) of one unit: predict sample t+1 from t.
    clean: neither sample is a labelled sensor glitch and the target is before any sudden failure."""
    x, y = u["feat"][:-1], u["feat"][1:, 0]
    clean = ~(u["glitch"][:-1] | u["glitch"][1:])
    if u["sudden_failure_h"] is not None:
        # the jump to the current limit at a sudden failure has no precursor, and a dead laser
        # has no degradation signal left to predict: not "clean"
        clean &= u["time"][1:] < u["sudden_failure_h"]
    return x, y, clean


def batch(units):
    n = max(len(u["feat"]) - 1 for u in units)
    X = np.zeros((len(units), n, len(FEATURES)))
    Y = np.zeros((len(units), n))
    M = np.zeros((len(units), n))
    for i, u in enumerate(units):
        x, y, _ = pairs(u)
        X[i, :len(x)], Y[i, :len(y)] = x, y
        X[i, len(x):] = x[-1]                   # padding: repeat the last input (masked anyway)
        M[i, :len(y)] = pairs(u)[2]              # glitches and a dead laser are not targets to learn
    return (torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(Y, dtype=torch.float32),
            torch.as_tensor(M, dtype=torch.float32))


@torch.no_grad()
def predict(model, x):
    """Parallel form over one whole unit from a fresh state (equals the step loop: self_test)."""
    st = model.initial_batch_state(1)
    out = []
    xs = torch.as_tensor(x, dtype=torch.float32)[None]
    for i in range(0, xs.shape[1], 512):
        y, st = model.forward_sequence(xs[:, i:i + 512], st)
        out.append(y[0, :, 0])
    return torch.cat(out).numpy().astype(np.float64)


def evaluate(model, units, predict_fn=None):
    predict_fn = predict_fn or (lambda x: predict(model, x))
    err, base, errc, basec = [], [], [], []
    for u in units:
        x, y, clean = pairs(u)
        p = predict_fn(x)
        err.append(p - y)
        base.append(x[:, 0] - y)                 # persistence: rel_bias(t+1) = rel_bias(t)
        errc.append((p - y)[clean])
        basec.append((x[:, 0] - y)[clean])
    rmse = lambda parts: float(np.sqrt(np.mean(np.concatenate(parts) ** 2)))
    mae = lambda parts: float(np.mean(np.abs(np.concatenate(parts))))
    return {"model_rmse": rmse(err), "persistence_rmse": rmse(base),
            "model_rmse_clean": rmse(errc), "persistence_rmse_clean": rmse(basec),
            "model_mae_clean": mae(errc), "persistence_mae_clean": mae(basec),
            "model_rmse_eol_units": rmse(err) / EOL_RISE, "persistence_rmse_eol_units": rmse(base) / EOL_RISE,
            "model_rmse_clean_eol_units": rmse(errc) / EOL_RISE,
            "persistence_rmse_clean_eol_units": rmse(basec) / EOL_RISE,
            "steps": int(sum(len(e) for e in err)), "clean_steps": int(sum(len(e) for e in errc)),
            "units": [u["unit_id"] for u in units]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=HYPER["epochs"])
    args = ap.parse_args()
    hp = dict(HYPER, epochs=args.epochs)
    seed_everything(hp["seed"])
    t0 = time.time()
    train, val, test = load_split("train"), load_split("val"), load_split("test")

    # normalisation statistics of the clean steps (a glitch or a dead laser would set the scale)
    xin = np.concatenate([pairs(u)[0][pairs(u)[2]] for u in train])
    yout = np.concatenate([pairs(u)[1][pairs(u)[2]] for u in train])
    model = GruAttention(len(FEATURES), hp["hidden"], hp["layers"], hp["attn_dim"], 1, hp["attention_window"],
                         hp["linear_before_reset"], input_mean=xin.mean(0), input_std=xin.std(0),
                         output_mean=[yout.mean()], output_std=[yout.std()])
    self_test(model, torch.as_tensor(test[0]["feat"][:300], dtype=torch.float32), window=64)

    X, Y, M = batch(train)
    ostd, omean = model.output_std, model.output_mean
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    K = hp["chunk"]
    rng = np.random.default_rng(hp["seed"])
    total = hp["epochs"] * (X.shape[1] // K + 1)
    it, best, best_state, history = 0, math.inf, None, []
    for epoch in range(hp["epochs"]):
        model.train()
        first = int(rng.integers(K // 2, K + 1))           # move the chunk boundaries every epoch
        bounds = [0] + list(range(first, X.shape[1], K)) + [X.shape[1]]
        state = model.initial_batch_state(X.shape[0])
        run, n = 0.0, 0
        for a, b in zip(bounds[:-1], bounds[1:]):
            pred, state = model.forward_sequence(X[:, a:b], state)
            state = {k: v.detach() for k, v in state.items()}
            m = M[:, a:b]
            if m.sum() == 0:
                continue
            loss = ((((pred[..., 0] - Y[:, a:b]) / ostd) ** 2) * m).sum() / m.sum()
            lr = hp["lr_min"] + 0.5 * (hp["lr"] - hp["lr_min"]) * (1 + math.cos(math.pi * min(it, total) / total))
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
            opt.step()
            run += loss.item()
            n += 1
            it += 1
        model.eval()
        if (epoch + 1) % 2 and epoch + 1 < hp["epochs"]:
            print(f"epoch {epoch + 1}/{hp['epochs']} loss {run / max(n, 1):.5f} {time.time() - t0:.0f}s", flush=True)
            continue
        v = evaluate(model, val)["model_rmse_clean"]
        history.append(round(v, 6))
        if v < best:
            best, best_epoch = v, epoch + 1
            best_state = {k: t.clone() for k, t in model.state_dict().items()}
        print(f"epoch {epoch + 1}/{hp['epochs']} loss {run / max(n, 1):.5f} val rmse {v:.5f} "
              f"lr {lr:.1e} {time.time() - t0:.0f}s", flush=True)

    model.load_state_dict(best_state)
    model.eval()
    self_test(model, torch.as_tensor(test[0]["feat"][:300], dtype=torch.float32), window=64)
    m_val, m_test = evaluate(model, val), evaluate(model, test)
    train_s = time.time() - t0
    print("val", json.dumps(m_val))
    print("test", json.dumps(m_test))
    print(f"trained in {train_s:.0f}s, best epoch {best_epoch}")
    write_safetensors(os.path.join(HERE, "trained.safetensors"), model.weight_tensors())
    result = {"config": model.config(), "hyper": hp, "best_epoch": best_epoch, "val_history": history,
              "val_metrics": m_val, "test_metrics": m_test, "train_seconds": round(train_s, 1),
              "train_units": [u["unit_id"] for u in train], "torch": torch.__version__}
    with open(os.path.join(HERE, "train_result.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if m_test["model_rmse_clean"] >= m_test["persistence_rmse_clean"]:
        print("WARNING: the model does not beat persistence on the held-out units", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
