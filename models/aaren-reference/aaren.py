"""Reference PyTorch module for the `aaren` family (docs/families/aaren.md).

Aaren ("Attention as an RNN", Feng et al. 2024): every layer attends with one learned,
constant query token over the keys and values of all steps so far. Written from the
equations in docs/families/aaren.md (no code copied).

Two forms, which must agree (`check_agreement`):

* `step(x, state)`: the recurrent form, one step, running-max softmax; state is a dict
  `m [L,NH]` (start -inf), `c [L,NH]` (start 0), `a [L,D]` (start 0).
* `forward_parallel(X)`: for every step t, ordinary softmax attention of the constant query
  over the keys/values of steps 1..t (a causally masked softmax); this is the oracle.

Normalization: x0 = (x - input_mean) / input_std; output = y * output_std + output_mean.
The four arrays are non-persistent buffers, so `state_dict()` holds exactly the weights
named in docs/families/aaren.md (in_proj.*, layers.{l}.norm1.*, layers.{l}.query,
layers.{l}.attn.{q,k,v,o}_proj.*, layers.{l}.norm2.*, layers.{l}.ffn.fc1.*,
layers.{l}.ffn.fc2.*, norm_f.*, head.*).
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))

ACTIVATIONS = ("gelu_tanh", "silu", "relu")
CONFIG_KEYS = ("input_dim", "d_model", "heads", "layers", "ffn_dim", "activation", "output_dim",
               "eps", "input_mean", "input_std", "output_mean", "output_std")
STATE_NAMES = ("m", "c", "a")


def activation(name, x):
    if name == "gelu_tanh":
        return F.gelu(x, approximate="tanh")
    if name == "silu":
        return x * torch.sigmoid(x)
    if name == "relu":
        return torch.relu(x)
    raise ValueError(f"unknown activation {name!r}")


class Attn(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.o_proj = nn.Linear(d, d)


class FFN(nn.Module):
    def __init__(self, d, fd):
        super().__init__()
        self.fc1 = nn.Linear(d, fd)
        self.fc2 = nn.Linear(fd, d)


class Layer(nn.Module):
    def __init__(self, d, fd, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=eps)
        self.query = nn.Parameter(torch.randn(d) * 0.5)
        self.attn = Attn(d)
        self.norm2 = nn.LayerNorm(d, eps=eps)
        self.ffn = FFN(d, fd)


class Aaren(nn.Module):
    def __init__(self, input_dim, d_model, heads, layers, ffn_dim, activation="gelu_tanh",
                 output_dim=1, eps=1e-5, input_mean=None, input_std=None, output_mean=None,
                 output_std=None):
        super().__init__()
        if d_model % heads:
            raise ValueError("d_model must be a multiple of heads")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}")
        self.input_dim, self.d_model, self.heads, self.n_layers = input_dim, d_model, heads, layers
        self.ffn_dim, self.activation, self.output_dim, self.eps = ffn_dim, activation, output_dim, eps
        self.head_dim = d_model // heads
        self.in_proj = nn.Linear(input_dim, d_model)
        self.layers = nn.ModuleList([Layer(d_model, ffn_dim, eps) for _ in range(layers)])
        self.norm_f = nn.LayerNorm(d_model, eps=eps)
        self.head = nn.Linear(d_model, output_dim)

        def buf(name, value, n, default):
            v = torch.full((n,), float(default)) if value is None else torch.tensor(value, dtype=torch.float32).reshape(n)
            self.register_buffer(name, v, persistent=False)

        buf("input_mean", input_mean, input_dim, 0.0)
        buf("input_std", input_std, input_dim, 1.0)
        buf("output_mean", output_mean, output_dim, 0.0)
        buf("output_std", output_std, output_dim, 1.0)

    # ---- config <-> module -------------------------------------------------------------
    @classmethod
    def from_config(cls, cfg):
        unknown = set(cfg) - set(CONFIG_KEYS)
        if unknown:
            raise ValueError(f"unknown aaren config keys {sorted(unknown)}")
        return cls(**{k: cfg[k] for k in CONFIG_KEYS if k in cfg})

    def config(self):
        f = lambda t: [float(v) for v in t.detach().cpu().double().numpy()]
        return {"input_dim": self.input_dim, "d_model": self.d_model, "heads": self.heads,
                "layers": self.n_layers, "ffn_dim": self.ffn_dim, "activation": self.activation,
                "output_dim": self.output_dim, "eps": self.eps,
                "input_mean": f(self.input_mean), "input_std": f(self.input_std),
                "output_mean": f(self.output_mean), "output_std": f(self.output_std)}

    # ---- recurrent form ----------------------------------------------------------------
    def initial_state(self, dtype=torch.float32):
        L, NH, D = self.n_layers, self.heads, self.d_model
        return {"m": torch.full((L, NH), -math.inf, dtype=dtype),
                "c": torch.zeros((L, NH), dtype=dtype),
                "a": torch.zeros((L, D), dtype=dtype)}

    def step(self, x, state):
        """One step. x: [F] or [1,F]; state: dict m [L,NH], c [L,NH], a [L,D].
        Returns (output [1,O], new state dict). Pure function of its inputs (no mutation)."""
        x = x.reshape(1, self.input_dim)
        NH, Dh = self.heads, self.head_dim
        z = self.in_proj((x - self.input_mean) / self.input_std)                 # [1,D]
        ms, cs, as_ = [], [], []
        for l, layer in enumerate(self.layers):
            u = layer.norm1(z)
            q = layer.attn.q_proj(layer.query)                                     # [D] constant
            k = layer.attn.k_proj(u)
            v = layer.attn.v_proj(u)
            s = (q.reshape(NH, Dh) * k.reshape(NH, Dh)).sum(-1) / math.sqrt(Dh)    # [NH]
            m, c, a = state["m"][l], state["c"][l], state["a"][l].reshape(NH, Dh)
            m_new = torch.maximum(m, s)
            scale = torch.exp(m - m_new)                                           # 0 when m = -inf
            w = torch.exp(s - m_new)
            c_new = c * scale + w
            a_new = a * scale.unsqueeze(-1) + v.reshape(NH, Dh) * w.unsqueeze(-1)
            o = (a_new / c_new.unsqueeze(-1)).reshape(1, self.d_model)
            z = z + layer.attn.o_proj(o)
            z = z + layer.ffn.fc2(activation(self.activation, layer.ffn.fc1(layer.norm2(z))))
            ms.append(m_new)
            cs.append(c_new)
            as_.append(a_new.reshape(self.d_model))
        y = self.head(self.norm_f(z))
        out = y * self.output_std + self.output_mean
        return out, {"m": torch.stack(ms), "c": torch.stack(cs), "a": torch.stack(as_)}

    def forward(self, x, m, c, a):
        """Flat signature used for the ONNX export of one step."""
        out, st = self.step(x, {"m": m, "c": c, "a": a})
        return out, st["m"], st["c"], st["a"]

    @torch.no_grad()
    def run_recurrent(self, X, state=None):
        """Run step() over X [T,F]; returns (outputs [T,O], final state)."""
        dtype = next(self.parameters()).dtype
        X = torch.as_tensor(np.asarray(X), dtype=dtype)
        state = self.initial_state(dtype) if state is None else state
        outs = []
        for t in range(X.shape[0]):
            y, state = self.step(X[t], state)
            outs.append(y[0])
        return torch.stack(outs), state

    # ---- parallel form (oracle) --------------------------------------------------------
    def _parallel(self, X, block=256):
        dtype = next(self.parameters()).dtype
        X = torch.as_tensor(np.asarray(X), dtype=dtype)
        T = X.shape[0]
        NH, Dh, D = self.heads, self.head_dim, self.d_model
        z = self.in_proj((X - self.input_mean.to(dtype)) / self.input_std.to(dtype))   # [T,D]
        all_scores = []
        for layer in self.layers:
            u = layer.norm1(z)
            q = layer.attn.q_proj(layer.query).reshape(NH, Dh)
            k = layer.attn.k_proj(u).reshape(T, NH, Dh)
            v = layer.attn.v_proj(u).reshape(T, NH, Dh)
            s = torch.einsum("hd,thd->ht", q, k) / math.sqrt(Dh)                   # [NH,T]
            all_scores.append(s.t())
            o = torch.empty(T, NH, Dh, dtype=dtype)
            cols = torch.arange(T).unsqueeze(0)
            for t0 in range(0, T, block):                                          # rows t0..t1-1
                t1 = min(T, t0 + block)
                rows = torch.arange(t0, t1).unsqueeze(1)
                scores = s.unsqueeze(1).expand(NH, t1 - t0, T).masked_fill((cols > rows).unsqueeze(0), -math.inf)
                p = torch.softmax(scores, dim=-1)                                  # [NH,rows,T]
                o[t0:t1] = torch.einsum("hrt,thd->rhd", p, v)
            z = z + layer.attn.o_proj(o.reshape(T, D))
            z = z + layer.ffn.fc2(activation(self.activation, layer.ffn.fc1(layer.norm2(z))))
        y = self.head(self.norm_f(z))
        return y * self.output_std.to(dtype) + self.output_mean.to(dtype), torch.stack(all_scores)

    @torch.no_grad()
    def forward_parallel(self, X):
        """X [T,F] -> outputs [T,O]. For each t, each layer's o_t is the softmax attention of
        the constant query over the keys/values of steps 1..t (causal masked softmax)."""
        return self._parallel(X)[0]

    @torch.no_grad()
    def scores(self, X):
        """Attention scores [L,T,NH] (for diagnostics)."""
        return self._parallel(X)[1]


def double_copy(model):
    """A float64 copy (for golden outputs)."""
    import copy
    m = copy.deepcopy(model).double()
    return m


def check_agreement(model, X, rtol=1e-9, atol=1e-9):
    """Assert that the recurrent and the parallel forms agree in float64 on X [T,F], and that
    the float32 recurrent form stays close. Returns (parallel64 [T,O], recurrent64 final state)."""
    m64 = double_copy(model)
    par = m64.forward_parallel(X)
    rec, state = m64.run_recurrent(X)
    err = (par - rec).abs().max().item()
    scale = par.abs().max().item()
    assert err <= atol + rtol * scale, f"recurrent vs parallel (float64) differ by {err} (scale {scale})"
    rec32, _ = model.float().run_recurrent(X)
    err32 = (par - rec32.double()).abs().max().item()
    assert err32 <= 1e-3 * max(1.0, scale), f"float32 recurrent vs float64 parallel differ by {err32}"
    return par, state, err, err32


def load_package(folder):
    """Load a package written by edge_package.write_package into an Aaren module."""
    import json
    from edge_package import read_safetensors
    with open(os.path.join(folder, "model.json")) as f:
        doc = json.load(f)
    assert doc["family"] == "aaren"
    model = Aaren.from_config(doc["config"])
    tensors, _ = read_safetensors(os.path.join(folder, doc["weights"]))
    sd = model.state_dict()
    missing = set(sd) - set(tensors)
    extra = set(tensors) - set(sd)
    if missing or extra:
        raise ValueError(f"missing {sorted(missing)} extra {sorted(extra)}")
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    return model.eval(), doc


def export_step_onnx(model, path, opset=17):
    """Export the recurrent step (normalization inside) as ONNX: inputs input [1,F], m, c, a;
    outputs output [1,O], m_out, c_out, a_out. Checked with onnx.checker."""
    import onnx
    model = model.float().eval()
    L, NH, D, Fi = model.n_layers, model.heads, model.d_model, model.input_dim
    args = (torch.zeros(1, Fi), torch.zeros(L, NH), torch.zeros(L, NH), torch.zeros(L, D))
    torch.onnx.export(model, args, path, opset_version=opset,
                      input_names=["input", "m", "c", "a"],
                      output_names=["output", "m_out", "c_out", "a_out"],
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    return path


if __name__ == "__main__":
    # Self-check on random weights.
    torch.manual_seed(0)
    for act, nh, d, L in (("gelu_tanh", 1, 8, 1), ("silu", 4, 16, 2), ("relu", 8, 32, 1)):
        model = Aaren(3, d, nh, L, 2 * d, act, 2, 1e-5,
                      input_mean=[0.1, -0.2, 0.3], input_std=[1.5, 0.5, 2.0],
                      output_mean=[1.0, -1.0], output_std=[2.0, 0.5]).eval()
        X = np.random.RandomState(0).randn(300, 3).astype(np.float32)
        _, _, e64, e32 = check_agreement(model, X)
        print(f"{act} NH={nh} D={d} L={L}: float64 |rec-par| {e64:.2e}, float32 rec vs par {e32:.2e}")
