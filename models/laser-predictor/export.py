"""Package the trained laser degradation predictor: model.json, weights.safetensors, step.onnx, golden/.

Needs train.py's two outputs (trained.safetensors, train_result.json, both committed) and the
held-out units under models/laser-aging/data/test (committed). Re-measures the held-out
metrics with the step-by-step reference.
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
from reference import GruAttention, self_test  # noqa: E402
from train import evaluate  # noqa: E402

GOLDEN_UNIT = 17
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
    self_test(model, torch.as_tensor(test[0]["feat"][:300], dtype=torch.float32), window=64)

    # Measured again with the streaming step (float32), each unit from a fresh state.
    step = lambda x: model.run_steps(torch.as_tensor(x, dtype=torch.float32))[0][:, 0].numpy().astype(np.float64)
    m = evaluate(model, test, predict_fn=step)
    assert m["model_rmse_clean"] < m["persistence_rmse_clean"], m
    metrics = {"task": "next-step rel_bias = bias_ma / bias_ref - 1 (fraction of the beginning-of-life "
                       "current), 2 h steps; each held-out unit run from a fresh state",
               "held_out_units": m["units"],
               **{k: round(v, 6) if isinstance(v, float) else v for k, v in m.items() if k != "units"}}
    print(json.dumps(metrics, indent=1))
    provenance = {
        "data": "synthetic accelerated-aging runs of semiconductor lasers (APC mode, 70/85/100 degC), "
                "models/laser-aging/make_data.py seed 20261201; train units only "
                f"({len(result['train_units'])} units), validation units chose the epoch",
        "licence": "CC0-1.0 (generated data and weights)",
        "script": "models/laser-predictor/train.py, models/laser-predictor/export.py",
        "inputs": list(FEATURES),
        "output": "rel_bias of the next sample",
        "train_seconds": result["train_seconds"],
        "metrics": metrics,
    }
    write_model_package(HERE, model, provenance, onnx=True)
    u = next(x for x in test if x["unit_id"] == GOLDEN_UNIT)
    xs = u["feat"][:GOLDEN_STEPS].astype(np.float32)
    ys, _ = write_golden(HERE, model, xs)
    err = np.sqrt(np.mean((ys[:-1, 0] - u["feat"][1:GOLDEN_STEPS, 0]) ** 2))
    print(f"golden: unit {GOLDEN_UNIT}, {len(xs)} steps, RMSE vs next rel_bias {err:.5f}")


if __name__ == "__main__":
    main()
