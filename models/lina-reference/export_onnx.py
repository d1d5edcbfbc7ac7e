"""Export the gla-tts decoder step of a package to step.onnx (ONNX Runtime backend).

    /usr/bin/python3 models/lina-reference/export_onnx.py [package ...]

Default packages: models/lina-reference and every tests/fixtures/gla/* package. For each, the model
is rebuilt from model.json + weights.safetensors (unchanged), its one decoder step is exported with
torch.onnx.export (opset 17), checked with onnx.checker and against lina.py's step on a short
run, and model.json gains "onnx": "step.onnx" and the file's sha256 (edge_package.add_package_file).

The graph is the decoder step only; the text encoder and the per-utterance cross-attention tensors
stay with the runtime (Edge computes them with its CPU code when the text is set):

  inputs   input  [1, n_quant]   float32 audio token ids (integers written as floats: the family's
                                 step contract; cast to int64 inside the graph)
           text_k [J, d_model]   K = ln_k(k(ctx))
           text_v [J, d_model]   V = ln_v(v(ctx))
           text_p [J, d_blind]   P, the positions
           one input per state entry, named as the family's state layout (encoder.0.conv_q, ..., pos_net.S)
  outputs  output [1, n_quant * (n_codebook + 3)]  logits, quantizer-major
           <name>_out per state entry

J (the text length, BOS and EOS included) is a symbolic dimension.
"""
import glob
import json
import os
import sys
import warnings
from collections import OrderedDict

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
from edge_package import add_package_file, read_safetensors  # noqa: E402

TEXT_INPUTS = ["text_k", "text_v", "text_p"]
OPSET = 17


class DecoderStep(nn.Module):
    """One LinaModel.step with the text tensors and the state as explicit inputs and outputs."""

    def __init__(self, model, names):
        super().__init__()
        self.model = model
        self.names = names

    def forward(self, input, text_k, text_v, text_p, *state):
        st = OrderedDict(zip(self.names, state))
        ids = input.reshape(-1).to(torch.int64)
        logits = self.model.step(ids, (text_k, text_v, text_p), st)
        return (logits.reshape(1, -1),) + tuple(st[n] for n in self.names)


def load_package(folder):
    with open(os.path.join(folder, "model.json")) as f:
        doc = json.load(f)
    if doc["family"] != "gla-tts":
        raise ValueError(f"{folder}: family {doc['family']!r}, expected gla-tts")
    cfg = lina.config_defaults(**doc["config"])
    model = lina.LinaModel(cfg).eval()
    tensors, _ = read_safetensors(os.path.join(folder, doc["weights"]))
    model.load_state_dict(OrderedDict((k, torch.from_numpy(v)) for k, v in tensors.items()), strict=True)
    return model, cfg


def export(model, cfg, path):
    names = list(model.init_state())
    J = 7
    prep = model.prepare_text(torch.arange(J) % cfg["text_vocab"])
    args = (torch.zeros(1, cfg["n_quant"]),) + tuple(t.detach() for t in prep) + tuple(model.init_state().values())
    dyn = {n: {0: "J"} for n in TEXT_INPUTS}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        # the scales d_model^-1/2 and d_blind^-1/2 come from static shapes: constants, as intended
        warnings.filterwarnings("ignore", message="Converting a tensor to a Python float")
        torch.onnx.export(DecoderStep(model, names), args, path, input_names=["input"] + TEXT_INPUTS + names,
                          output_names=["output"] + [n + "_out" for n in names], dynamic_axes=dyn,
                          opset_version=OPSET, do_constant_folding=True)
    import onnx
    g = onnx.load(path)
    onnx.checker.check_model(g, full_check=True)
    got_in = [i.name for i in g.graph.input]
    got_out = [o.name for o in g.graph.output]
    assert got_in == ["input"] + TEXT_INPUTS + names, got_in
    assert got_out == ["output"] + [n + "_out" for n in names], got_out
    return names


def check_with_reference(model, cfg, folder, names):
    """The traced graph (run by torch.jit on the traced module) follows lina.py on the golden input.
    ONNX Runtime is not available to Python here; Edge's parity tests run the exported file."""
    import numpy as np
    gdir = os.path.join(folder, "golden")
    text = torch.from_numpy(np.load(os.path.join(gdir, "text_ids.npy")))
    ids = torch.from_numpy(np.load(os.path.join(gdir, "input.npy")))
    want = torch.from_numpy(np.load(os.path.join(gdir, "output.npy")))
    with torch.no_grad():
        prep = model.prepare_text(text)
        state = model.init_state()
        step = DecoderStep(model, names)
        worst = 0.0
        for t in range(ids.shape[0]):
            out = step(ids[t].float().reshape(1, -1), *prep, *[state[n] for n in names])
            state = OrderedDict(zip(names, out[1:]))
            worst = max(worst, (out[0].reshape(-1) - want[t].reshape(-1)).abs().max().item())
    return worst


def export_package(folder):
    model, cfg = load_package(folder)
    path = os.path.join(folder, "step.onnx")
    names = export(model, cfg, path)
    err = check_with_reference(model, cfg, folder, names)
    assert err < 1e-3, f"{folder}: exported step vs golden {err:.1e}"
    add_package_file(folder, "step.onnx", onnx=True)
    print(f"{os.path.relpath(path, ROOT)}: {len(names)} state entries, {os.path.getsize(path)} bytes, "
          f"float32 step vs golden logits {err:.1e}")


def main():
    folders = sys.argv[1:] or [HERE] + sorted(d for d in glob.glob(os.path.join(ROOT, "tests", "fixtures", "gla", "*"))
                                              if os.path.isfile(os.path.join(d, "model.json")))
    for f in folders:
        export_package(f)


if __name__ == "__main__":
    main()
