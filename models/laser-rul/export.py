"""Package the trained laser RUL model: model.json, weights.safetensors, step.onnx, golden/.

Needs train.py's two outputs (committed) and the held-out units under
models/laser-aging/data/test (committed). Re-measures the held-out metrics with the
step-by-step reference.
Run: /usr/bin/python3 export.py
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gru-attention-ecg"))
sys.path.insert(0, os.path.join(HERE, "..", "laser-aging"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, HERE)  # last, so this folder's train.py wins over the ECG one
from aging import FEATURES, load_split  # noqa: E402
from edge_package import read_safetensors  # noqa: E402
from gru_package import write_golden, write_model_package  # noqa: E402
from reference import GruAttention  # noqa: E402
from train import WARMUP, check_forms, evaluate, gradual, indices  # noqa: E402

GOLDEN_UNIT = 38
GOLDEN_STEPS = 500


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    with open(os.path.join(HERE, "train_result.json")) as f:
        result = json.load(f)
    model = GruAttention.from_config(result["config"])
    weights, _ = read_safetensors(os.path.join(HERE, "trained.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    model.eval()
    assert model.config() == result["config"]
    test = load_split("test")
    check_forms(model, test[0])
    cap = result["baseline_cap_h"]

    def step_run(u, start, end):
        lo = max(0, start - WARMUP + 1)
        ys, _ = model.run_steps(torch.as_tensor(u["feat"][lo:end + 1], dtype=torch.float32))
        return ys[start - lo:, 0].numpy().astype(np.float64)

    m = evaluate(model, gradual(test), cap, run_fn=step_run)
    ms = evaluate(model, [u for u in test if u["end_reason"] != "criterion"], cap, run_fn=step_run)
    assert m["model_mae_h"] < min(m["linear_mae_h"], m["linear_since_detection_mae_h"]), m
    r = lambda d: {k: round(v, 2) if isinstance(v, float) else v for k, v in d.items()}
    metrics = {"task": "remaining useful life in hours to the 20% bias-current rise, at every sample from "
                       "the anomaly label to end of life; fresh state fed the 48 samples up to the anomaly "
                       "label first",
               "held_out_wear_out_units": r(m),
               "held_out_sudden_failure_units": r(ms)}
    print(json.dumps(metrics, indent=1))
    provenance = {
        "data": "synthetic accelerated-aging runs of semiconductor lasers (APC mode, 70/85/100 degC), "
                "models/laser-aging/make_data.py seed 20261201; training units that end by the wear-out "
                f"criterion ({len(result['train_units'])} units), validation units chose the iteration",
        "licence": "CC0-1.0 (generated data and weights)",
        "script": "models/laser-rul/train.py, models/laser-rul/export.py",
        "inputs": list(FEATURES),
        "output": "remaining useful life",
        "output_unit": "hours",
        "warmup_samples": WARMUP,
        "train_seconds": result["train_seconds"],
        "metrics": metrics,
    }
    write_model_package(HERE, model, provenance, onnx=True)
    u = next(x for x in test if x["unit_id"] == GOLDEN_UNIT)
    a, e = indices(u)
    lo = a - WARMUP + 1
    xs = u["feat"][lo:lo + GOLDEN_STEPS].astype(np.float32)
    ys, _ = write_golden(HERE, model, xs)
    k = min(GOLDEN_STEPS, e - lo + 1)
    err = np.abs(ys[WARMUP - 1:k, 0] - u["rul"][a:lo + k]).mean()
    print(f"golden: unit {GOLDEN_UNIT} from sample {lo}, {len(xs)} steps, MAE vs true RUL {err:.1f} h")


if __name__ == "__main__":
    main()
