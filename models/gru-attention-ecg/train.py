"""Train the gru-attention ECG next-sample predictor on MIT-BIH record 208 (scipy's ecg.dat).

Task: from the current sample x(t) (mV), predict the next one x(t+1) (mV), 360 Hz.
Split: first 80% of the record trains, the last 20% is the held-out test tail.
Training: truncated BPTT over B parallel contiguous streams, state (h, m, c, a) carried
across windows and detached; attention_window 0 so the parallel form of the reference is used.
Writes trained.safetensors (the state_dict) and train_result.json (config, metrics, settings).

Run: /usr/bin/python3 train.py   (CPU, about 5 minutes on 2 cores)
"""
import argparse
import io
import json
import math
import os
import random
import sys
import time
import zipfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from reference import GruAttention, self_test  # noqa: E402
from edge_package import write_safetensors  # noqa: E402

FS = 360
TEST_FRACTION = 0.2
HYPER = dict(hidden=48, layers=1, attn_dim=16, attention_window=0, linear_before_reset=True,
             streams=16, window=200, epochs=40, lr=3e-3, lr_min=1e-4, clip=1.0, seed=0)


def ecg_path():
    import scipy.misc
    return os.path.join(os.path.dirname(scipy.misc.__file__), "ecg.dat")


def load_ecg():
    """MIT-BIH record 208 as float64 millivolts, 108000 samples at 360 Hz."""
    with zipfile.ZipFile(ecg_path()) as z:
        raw = np.load(io.BytesIO(z.read("ecg.npy")))
    assert raw.shape == (108000,) and raw.dtype == np.uint16, (raw.shape, raw.dtype)
    return (raw.astype(np.float64) - 1024.0) / 200.0


def split(x):
    """Index of the first test-tail sample."""
    return int(round(len(x) * (1 - TEST_FRACTION)))


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    torch.set_flush_denormal(True)


def metrics(pred, target, naive):
    err, nerr = pred - target, naive - target
    return {"model_mae_mv": float(np.abs(err).mean()), "model_rmse_mv": float(np.sqrt((err ** 2).mean())),
            "naive_mae_mv": float(np.abs(nerr).mean()), "naive_rmse_mv": float(np.sqrt((nerr ** 2).mean())),
            "samples": int(len(target))}


def evaluate(model, x_in, target):
    """Run the reference step by step (float32) from a fresh state; returns metrics dict."""
    ys, _ = model.run_steps(torch.as_tensor(x_in, dtype=torch.float32).reshape(-1, 1))
    pred = ys[:, 0].numpy().astype(np.float64)
    return metrics(pred, target, x_in), pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=HYPER["epochs"])
    args = ap.parse_args()
    hp = dict(HYPER, epochs=args.epochs)
    seed_everything(hp["seed"])
    t0 = time.time()

    x = load_ecg()
    s = split(x)
    train = x[:s]
    tr_in, tr_out = train[:-1], train[1:]
    te_in, te_out = x[s:-1], x[s + 1:]
    model = GruAttention(1, hp["hidden"], hp["layers"], hp["attn_dim"], 1, hp["attention_window"],
                         hp["linear_before_reset"], input_mean=[tr_in.mean()], input_std=[tr_in.std()],
                         output_mean=[tr_out.mean()], output_std=[tr_out.std()])
    # The training form must equal the streaming step (asserted before and after training).
    self_test(model, torch.as_tensor(te_in[:300], dtype=torch.float32).reshape(-1, 1), window=64)

    B, K = hp["streams"], hp["window"]
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    xin = torch.as_tensor(tr_in, dtype=torch.float32)
    xout = torch.as_tensor(tr_out, dtype=torch.float32)
    ostd = model.output_std
    steps_per_epoch = (len(tr_in) - K) // B // K
    total = hp["epochs"] * steps_per_epoch
    it = 0
    rng = np.random.default_rng(hp["seed"])
    for epoch in range(hp["epochs"]):
        off = int(rng.integers(0, K))
        per = (len(tr_in) - off) // B
        n_win = per // K
        starts = off + per * np.arange(B)
        state = model.initial_batch_state(B)
        run_loss = 0.0
        for w in range(n_win):
            idx = torch.as_tensor(starts[:, None] + w * K + np.arange(K)[None, :])
            xb, yb = xin[idx].unsqueeze(2), xout[idx].unsqueeze(2)
            pred, state = model.forward_sequence(xb, state)
            state = {k: v.detach() for k, v in state.items()}
            loss = (((pred - yb) / ostd) ** 2).mean()
            lr = hp["lr_min"] + 0.5 * (hp["lr"] - hp["lr_min"]) * (1 + math.cos(math.pi * min(it, total) / total))
            for g in opt.param_groups:
                g["lr"] = lr
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), hp["clip"])
            opt.step()
            run_loss += loss.item()
            it += 1
        print(f"epoch {epoch + 1}/{hp['epochs']} loss {run_loss / n_win:.6f} lr {lr:.2e} "
              f"{time.time() - t0:.0f}s", flush=True)

    model.eval()
    self_test(model, torch.as_tensor(te_in[:300], dtype=torch.float32).reshape(-1, 1), window=64)
    m_test, _ = evaluate(model, te_in, te_out)
    train_s = time.time() - t0
    print(json.dumps(m_test, indent=1))
    print(f"trained in {train_s:.0f}s")

    write_safetensors(os.path.join(HERE, "trained.safetensors"), model.weight_tensors())
    result = {"config": model.config(), "hyper": hp, "test_metrics": m_test,
              "split": {"train": [0, s], "test": [s, len(x)], "samples": len(x), "fs_hz": FS},
              "train_seconds": round(train_s, 1), "torch": torch.__version__}
    with open(os.path.join(HERE, "train_result.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if m_test["model_mae_mv"] >= m_test["naive_mae_mv"] or m_test["model_rmse_mv"] >= m_test["naive_rmse_mv"]:
        print("WARNING: the model does not beat the naive last-value forecast", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
