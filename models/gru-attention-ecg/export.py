"""Package the trained ECG model: model.json, weights.safetensors, step.onnx, golden/.

Needs train.py to have run (reads trained.safetensors and train_result.json).
Run: /usr/bin/python3 export.py
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from edge_package import read_safetensors  # noqa: E402
from gru_package import write_golden, write_model_package  # noqa: E402
from reference import GruAttention, self_test  # noqa: E402
from train import evaluate, load_ecg, split  # noqa: E402

GOLDEN_STEPS = 500


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    with open(os.path.join(HERE, "train_result.json")) as f:
        result = json.load(f)
    model = GruAttention.from_config(result["config"])
    weights, _ = read_safetensors(os.path.join(HERE, "trained.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    model.eval()
    assert model.config() == result["config"]

    x = load_ecg()
    s = split(x)
    assert [s, len(x)] == result["split"]["test"]
    te_in, te_out = x[s:-1], x[s + 1:]
    self_test(model, torch.as_tensor(te_in[:300], dtype=torch.float32).reshape(-1, 1), window=64)

    # Measured here again, with the step-by-step reference, on the whole held-out tail.
    m, _ = evaluate(model, te_in, te_out)
    assert m["model_mae_mv"] < m["naive_mae_mv"] and m["model_rmse_mv"] < m["naive_rmse_mv"], m
    # A second, stronger classical baseline for context: linear extrapolation 2 x(t) - x(t-1).
    lin = 2 * te_in - x[s - 1:-2]
    m["linear_extrapolation_mae_mv"] = float(np.abs(lin - te_out).mean())
    m["linear_extrapolation_rmse_mv"] = float(np.sqrt(((lin - te_out) ** 2).mean()))
    metrics = {"task": "next-sample ECG forecast at 360 Hz, output in mV",
               "test_tail": f"samples {s}..{len(x) - 1} (last 20%), run from a fresh state",
               **{k: round(v, 6) if isinstance(v, float) else v for k, v in m.items()}}

    print(json.dumps(metrics, indent=1))
    provenance = {
        "data": "MIT-BIH Arrhythmia Database record 208, lead MLII, excerpt 19:35-24:35 "
                "(108000 samples at 360 Hz), as shipped in Debian's python3-scipy "
                "(scipy/misc/ecg.dat); mV = (raw - 1024) / 200. Moody & Mark 2001, "
                "doi:10.13026/C2F305; PhysioNet (Goldberger et al. 2000)",
        "licence": "ODC-By 1.0 (Open Data Commons Attribution License)",
        "script": "models/gru-attention-ecg/train.py, models/gru-attention-ecg/export.py",
        "metrics": metrics,
    }
    write_model_package(HERE, model, provenance, onnx=True)
    xs = x[s:s + GOLDEN_STEPS].astype(np.float32).reshape(-1, 1)
    ys, _ = write_golden(HERE, model, xs)
    err = np.abs(ys[:-1, 0] - x[s + 1:s + GOLDEN_STEPS]).mean()
    print(f"golden: {len(xs)} steps, MAE vs next sample {err:.4f} mV")
    for name in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, name)
        if os.path.isfile(p):
            print(f"{os.path.getsize(p):>9}  {name}")


if __name__ == "__main__":
    main()
