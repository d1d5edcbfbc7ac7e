"""Make the gru-bench package: RANDOM weights (torch seed 0), for benchmarking only.

Writes model.json, weights.safetensors, step.onnx (the whole gru-attention step, same export as
the trained models), gru_cell.onnx (one torch.nn.GRU cell step with the same GRU weights, an
ONNX GRU operator) and a short golden run (100 random steps) so a benchmark can check it ran
the right math. Run: /usr/bin/python3 make.py
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gru-attention-ecg"))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from gru_package import write_golden, write_model_package  # noqa: E402
from reference import GruAttention, check_nn_gru, self_test  # noqa: E402

CONFIG = dict(input_dim=64, hidden=128, layers=1, attn_dim=32, output_dim=8, attention_window=0,
              linear_before_reset=True)
GOLDEN_STEPS = 100


def export_gru_cell(model, path):
    """One nn.GRU step: inputs x [1,1,F], h [1,1,H]; outputs y [1,1,H], h_out [1,1,H]."""
    import onnx
    g = torch.nn.GRU(model.input_dim, model.hidden, 1)
    with torch.no_grad():
        for name, p in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), model.gru_params(0)):
            getattr(g, name).copy_(p)
    g.eval()
    x, h = torch.zeros(1, 1, model.input_dim), torch.zeros(1, 1, model.hidden)
    torch.onnx.export(g, (x, h), path, input_names=["x", "h"], output_names=["y", "h_out"],
                      opset_version=17, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    assert [i.name for i in m.graph.input] == ["x", "h"], [i.name for i in m.graph.input]
    assert [o.name for o in m.graph.output] == ["y", "h_out"]
    assert [n.op_type for n in m.graph.node].count("GRU") == 1
    # The hand cell of the reference equals this nn.GRU step.
    xs, hs = torch.randn(1, 1, model.input_dim), torch.randn(1, 1, model.hidden)
    with torch.no_grad():
        y, _ = g(xs, hs)
        err = (model.cell(0, xs[0, 0], hs[0, 0]) - y[0, 0]).abs().max().item()
    assert err < 1e-5, err


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = GruAttention(**CONFIG).eval()     # PyTorch default init under seed 0
    xs = np.random.default_rng(0).standard_normal((GOLDEN_STEPS, CONFIG["input_dim"])).astype(np.float32)
    check_nn_gru(model, torch.from_numpy(xs[:20]))
    self_test(model, torch.from_numpy(xs), window=32)
    provenance = {"data": "none: random weights (torch.manual_seed(0), PyTorch default init) "
                          "for benchmarking only; not a trained model",
                  "licence": "generated, no data",
                  "script": "models/gru-bench/make.py",
                  "metrics": {}}
    export_gru_cell(model, os.path.join(HERE, "gru_cell.onnx"))
    write_model_package(HERE, model, provenance, onnx=True, extra_files=["gru_cell.onnx"])
    write_golden(HERE, model, xs)
    for name in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, name)
        if os.path.isfile(p):
            print(f"{os.path.getsize(p):>9}  {name}")


if __name__ == "__main__":
    main()
