"""Build the lstm-stateful test package: a random-weight PyTorch LSTM exported as a stateful ONNX model.

It stands for "an ONNX model the project did not make" (a voice-activity or keyword model someone
brings): the recurrent state goes in as inputs and comes back as outputs under other names, the batch
dimension is symbolic, a scalar int64 input (`sr`, the sample rate) must be fed every step, and the
weights are Constant nodes instead of initializers (as some exporters and optimizers leave them).

Run from the repository root:  /usr/bin/python3 models/lstm-stateful/make.py
Writes models/lstm-stateful/{model.onnx, model.json, weights.safetensors, golden/*}.
"""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
from edge_package import write_package, write_safetensors  # noqa: E402

INPUT, HIDDEN, LAYERS, OUTPUT, STEPS, SR = 6, 16, 2, 3, 64, 16000


class StatefulLstm(nn.Module):
    """y, (hn, cn) = LSTM(x * sr / 16000, (h0, c0)); output = head(y)."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(INPUT, HIDDEN, LAYERS, batch_first=True)
        self.head = nn.Linear(HIDDEN, OUTPUT)

    def forward(self, input, sr, h0, c0):
        x = input * (sr.to(torch.float32) / 16000.0)
        y, (hn, cn) = self.lstm(x.unsqueeze(1), (h0, c0))
        return torch.tanh(self.head(y[:, 0])), hn, cn


def initializers_to_constants(model):
    """Move every initializer into a Constant node, so the weights live in the graph's nodes."""
    g = model.graph
    consts = [helper.make_node("Constant", [], [init.name], value=init, name=f"const_{i}")
              for i, init in enumerate(g.initializer)]
    del g.initializer[:]
    nodes = consts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    return model


def main():
    torch.manual_seed(20240611)
    net = StatefulLstm().eval()
    path = os.path.join(HERE, "model.onnx")
    batch = 1
    args = (torch.zeros(batch, INPUT), torch.tensor(SR, dtype=torch.int64),
            torch.zeros(LAYERS, batch, HIDDEN), torch.zeros(LAYERS, batch, HIDDEN))
    torch.onnx.export(
        net, args, path, opset_version=17, do_constant_folding=True,
        input_names=["input", "sr", "h0", "c0"], output_names=["output", "hn", "cn"],
        dynamic_axes={"input": {0: "batch"}, "h0": {1: "batch"}, "c0": {1: "batch"},
                      "output": {0: "batch"}, "hn": {1: "batch"}, "cn": {1: "batch"}})
    model = initializers_to_constants(onnx.load(path))
    onnx.checker.check_model(model, full_check=True)
    assert [i.name for i in model.graph.input] == ["input", "sr", "h0", "c0"]
    assert not model.graph.initializer
    assert any(n.op_type == "Constant" for n in model.graph.node)
    onnx.save(model, path)

    # Golden run: PyTorch stepping one frame at a time, state fed back.
    rng = np.random.default_rng(7)
    xs = rng.standard_normal((STEPS, INPUT)).astype(np.float32)
    h = torch.zeros(LAYERS, 1, HIDDEN)
    c = torch.zeros(LAYERS, 1, HIDDEN)
    sr = torch.tensor(SR, dtype=torch.int64)
    ys = []
    with torch.no_grad():
        for x in xs:
            y, h, c = net(torch.from_numpy(x)[None], sr, h, c)
            ys.append(y[0].numpy())
    golden = os.path.join(HERE, "golden")
    os.makedirs(golden, exist_ok=True)
    np.save(os.path.join(golden, "input.npy"), xs)
    np.save(os.path.join(golden, "output.npy"), np.stack(ys).astype(np.float32))
    write_safetensors(os.path.join(golden, "final_state.safetensors"),
                      {"h0": h.numpy().astype(np.float32), "c0": c.numpy().astype(np.float32)})

    config = {
        "input": "input",
        "output": "output",
        "state": [{"input": "h0", "output": "hn"}, {"input": "c0", "output": "cn"}],
        "constants": {"sr": {"dtype": "int64", "value": SR}},
    }
    provenance = {
        "data": "none: random weights (torch.manual_seed(20240611)); a test model, it predicts nothing",
        "licence": "CC0-1.0",
        "script": "models/lstm-stateful/make.py",
    }
    write_package(HERE, "onnx-stateful", config, {}, provenance, onnx="model.onnx",
                  name="lstm-stateful", description="Random-weight stateful LSTM test model for the onnx-stateful family")
    print("wrote", path, "and golden run of", STEPS, "steps")


if __name__ == "__main__":
    main()
