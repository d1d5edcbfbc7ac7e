"""Package the trained `cae` laser anomaly detector: model.json, weights.safetensors, step.onnx, golden/.

Needs train.py's two outputs (committed) and the held-out units under
models/laser-aging/data/test (committed). Re-measures the held-out metrics with the
streaming step of the reference (one step per sample, from a fresh state per unit) and
checks it against the float64 implementation (cae_numpy.py).
Run: /usr/bin/python3 export.py
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "laser-aging"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from aging import FEATURES, load_split  # noqa: E402
from cae_reference import STATE_NAMES, Cae, export_step_onnx, self_test  # noqa: E402
from edge_package import read_safetensors, write_package, write_safetensors  # noqa: E402
from train import confusion, detection  # noqa: E402

GOLDEN_UNIT = 58
GOLDEN_STEPS = 500


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    with open(os.path.join(HERE, "train_result.json")) as f:
        result = json.load(f)
    model = Cae.from_config(result["config"])
    weights, _ = read_safetensors(os.path.join(HERE, "trained.safetensors"))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)
    model.eval()
    assert model.config() == result["config"]
    assert set(model.state_dict()) == model.expected_names()
    W = model.window
    test = load_split("test")
    print("self test (step vs batch, torch vs float64):",
          self_test(model, torch.as_tensor(test[0]["feat"][:W + 60], dtype=torch.float32)))

    # Held-out metrics from the streaming step itself (flags as the runtime will emit them).
    flags, labels, base, base_tc, scores = [], [], [], [], []
    for u in test:
        ys, _ = model.run_steps(torch.as_tensor(u["feat"], dtype=torch.float32))
        ys = ys.numpy()
        flags.append(ys[W - 1:, 1] > 0.5)
        scores.append(ys[W - 1:, 0].astype(np.float64))
        labels.append(u["anomaly"][W - 1:])
        base.append(u["feat"][W - 1:, 0] > result["baseline_threshold_rel_bias"])
        base_tc.append(u["feat"][W - 1:, 1] > result["baseline_threshold_rel_bias_tc"])
    lab = np.concatenate(labels)
    r = lambda d: {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}
    m = {"cae": r(confusion(np.concatenate(flags), lab)),
         "fixed_threshold_rel_bias": r(confusion(np.concatenate(base), lab)),
         "fixed_threshold_rel_bias_tc": r(confusion(np.concatenate(base_tc), lab))}
    assert m["cae"]["f1"] > m["fixed_threshold_rel_bias"]["f1"], m
    det = detection(test, scores, model.threshold, W)
    metrics = {"task": "per-sample anomaly flag (label: sample at or after the unit's anomaly time), "
                       f"samples {W - 1}.. of every held-out unit, streaming from a fresh state",
               "held_out_units": [u["unit_id"] for u in test],
               "baseline_thresholds": {"rel_bias": result["baseline_threshold_rel_bias"],
                                       "rel_bias_tc": result["baseline_threshold_rel_bias_tc"]},
               **m, "cae_detection_per_unit": det}
    print(json.dumps({k: v for k, v in metrics.items() if k != "cae_detection_per_unit"}, indent=1))

    export_step_onnx(model, os.path.join(HERE, "step.onnx"))
    provenance = {
        "data": "synthetic accelerated-aging runs of semiconductor lasers (APC mode, 70/85/100 degC), "
                "models/laser-aging/make_data.py seed 20261201; healthy windows of the training units "
                f"({len(result['train_units'])} units) train the autoencoder, validation units chose the threshold",
        "licence": "CC0-1.0 (generated data and weights)",
        "script": "models/laser-detector/train.py, models/laser-detector/export.py",
        "inputs": list(FEATURES),
        "output": ["score", "anomaly flag (score > threshold)"],
        "train_seconds": result["train_seconds"],
        "metrics": metrics,
    }
    write_package(HERE, "cae", dict(model.config()), model.weight_tensors(), provenance, onnx="step.onnx")

    u = next(x for x in test if x["unit_id"] == GOLDEN_UNIT)
    a = int(np.argmax(u["anomaly"]))
    lo = max(0, a - GOLDEN_STEPS + 150)
    xs = np.ascontiguousarray(u["feat"][lo:lo + GOLDEN_STEPS].astype(np.float32))
    ys, state = model.run_steps(torch.from_numpy(xs))
    g = os.path.join(HERE, "golden")
    os.makedirs(g, exist_ok=True)
    np.save(os.path.join(g, "input.npy"), xs)
    np.save(os.path.join(g, "output.npy"), ys.numpy().astype(np.float32))
    write_safetensors(os.path.join(g, "final_state.safetensors"),
                      {n: state[n].numpy().astype(np.float32) for n in STATE_NAMES})
    import cae_numpy
    ref = cae_numpy.run(model.config(), {k: v.astype(np.float64) for k, v in model.weight_tensors().items()},
                        xs.astype(np.float64))
    d = float(np.abs(ref[:, 0] - ys[:, 0].numpy()).max())
    print(f"golden vs float64 implementation: max score difference {d:.2e}")
    assert d < 1e-5 * max(1.0, float(np.abs(ref[:, 0]).max()))
    flagged = ys[:, 1].numpy() > 0.5
    print(f"golden: unit {GOLDEN_UNIT} samples {lo}..{lo + len(xs) - 1} (anomaly label at {a}), "
          f"first flag at {lo + int(np.argmax(flagged)) if flagged.any() else None}, {int(flagged.sum())} flagged")


if __name__ == "__main__":
    main()
