"""Shared export step of the aaren forecasting packages (models/aaren-co2, models/aaren-electricity).

Writes into the package folder:
  step.onnx                    recurrent step, opset 17, normalization inside (checked)
  golden/input.npy             float32 [G,F]: the last G rows of the series (fresh state at row 0)
  golden/output.npy            float32 [G,1]: the PARALLEL form on those rows, float64 then cast
  golden/final_state.safetensors  m, c, a after the last row: the RECURRENT form, float64 then cast
  forecast/history.npy         float32 [N-H,F] = every row of the series but the last H
                               (a forecast from a fresh state needs the long history the model
                               was trained with; a 500-row history forecasts much worse)
  forecast/future.npy          float32 [H,F]   = the last H rows with column 0 set to NaN
  forecast/expected.npy        float32 [H]     = forecasting.forecast(model, history, future, base_col,
                                                 damping = forecast_spec["damping"], 1 when absent)
  forecast/truth.npy           float32 [H]     = the observed values of those H rows
  model.json, weights.safetensors (edge_package.write_package, onnx="step.onnx")
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "common"))

from aaren import Aaren, check_agreement, export_step_onnx  # noqa: E402
from edge_package import write_package, write_safetensors  # noqa: E402
from forecasting import forecast  # noqa: E402
from onnx_eval import check_step_onnx  # noqa: E402


def export(folder, X, horizon, provenance, base_col=0, golden_steps=500, forecast_spec=None):
    ckpt = torch.load(os.path.join(folder, "checkpoint.pt"))
    model = Aaren.from_config(ckpt["config"])
    model.load_state_dict(ckpt["state_dict"])
    model = model.float().eval()
    G = golden_steps
    Xg = np.ascontiguousarray(np.asarray(X, dtype=np.float32)[-G:])

    par, state, e64, e32 = check_agreement(model, Xg)
    onnx_path = os.path.join(folder, "step.onnx")
    export_step_onnx(model, onnx_path)
    e_onnx = check_step_onnx(onnx_path, model, Xg)

    gold = os.path.join(folder, "golden")
    os.makedirs(gold, exist_ok=True)
    np.save(os.path.join(gold, "input.npy"), Xg)
    np.save(os.path.join(gold, "output.npy"), par.numpy().astype(np.float32))
    write_safetensors(os.path.join(gold, "final_state.safetensors"),
                      {k: state[k].numpy().astype(np.float32) for k in ("m", "c", "a")})

    fc = os.path.join(folder, "forecast")
    os.makedirs(fc, exist_ok=True)
    Xa = np.asarray(X, dtype=np.float32)
    history, future = Xa[:-horizon], Xa[-horizon:].copy()
    truth = future[:, 0].copy()
    future[:, 0] = np.nan
    damping = float((forecast_spec or {}).get("damping", 1.0))
    expected = forecast(model, history, future, base_col=base_col, damping=damping)
    np.save(os.path.join(fc, "history.npy"), history)
    np.save(os.path.join(fc, "future.npy"), future)
    np.save(os.path.join(fc, "expected.npy"), expected)
    np.save(os.path.join(fc, "truth.npy"), truth)
    fc_mae = float(np.mean(np.abs(expected - truth)))

    prov = dict(provenance)
    prov.setdefault("checks", {})
    prov["checks"].update({"max_abs_recurrent_minus_parallel_f64": e64,
                           "max_abs_recurrent_f32_minus_parallel_f64": e32,
                           "max_rel_step_onnx_minus_reference_f32": e_onnx,
                           "forecast_example_mae": fc_mae})
    extra = {"forecast": forecast_spec} if forecast_spec else {}
    write_package(folder, "aaren", model.config(),
                  {k: v.numpy() for k, v in model.state_dict().items()}, prov, onnx="step.onnx", **extra)
    print(f"{os.path.basename(folder)}: f64 rec-par {e64:.1e}, f32 rec vs par {e32:.1e}, onnx {e_onnx:.1e}, "
          f"forecast example ({horizon} steps) MAE {fc_mae:.4f}")
    return model
