"""Write a gru-attention package and its golden run (used by export.py, the test fixtures and gru-bench)."""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from edge_package import write_package, write_safetensors  # noqa: E402
from reference import export_step_onnx  # noqa: E402


def write_golden(folder, model, xs):
    """golden/input.npy [T,F], golden/output.npy [T,O] (the reference step by step, float32),
    golden/final_state.safetensors (state after the last step, named as the state layout)."""
    g = os.path.join(folder, "golden")
    os.makedirs(g, exist_ok=True)
    xs = np.ascontiguousarray(np.asarray(xs, dtype=np.float32))
    assert xs.ndim == 2 and xs.shape[1] == model.input_dim, xs.shape
    ys, state = model.run_steps(torch.from_numpy(xs))
    ys = ys.numpy().astype(np.float32)
    assert np.isfinite(ys).all()
    np.save(os.path.join(g, "input.npy"), xs)
    np.save(os.path.join(g, "output.npy"), ys)
    write_safetensors(os.path.join(g, "final_state.safetensors"),
                      {k: v.numpy().astype(np.float32) for k, v in state.items()})
    return ys, state


def write_model_package(folder, model, provenance, onnx=True, extra_files=()):
    """model.json + weights.safetensors (+ step.onnx first, so its sha256 lands in model.json)."""
    os.makedirs(folder, exist_ok=True)
    if onnx:
        export_step_onnx(model, os.path.join(folder, "step.onnx"))
    tensors = model.weight_tensors()
    assert set(tensors) == expected_names(model.layers), sorted(tensors)
    write_package(folder, "gru-attention", dict(model.config()), tensors, provenance,
                  extra_files=extra_files, onnx="step.onnx" if onnx else None)


def expected_names(layers):
    names = {"attn.proj.weight", "attn.proj.bias", "attn.context", "head.weight", "head.bias"}
    for k in range(layers):
        names |= {f"gru.weight_ih_l{k}", f"gru.weight_hh_l{k}", f"gru.bias_ih_l{k}", f"gru.bias_hh_l{k}"}
    return names
