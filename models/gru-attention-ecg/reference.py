"""PyTorch reference of the `gru-attention` family (docs/families/gru-attention.md).

One step, input x in physical units:
    x0 = (x - input_mean) / input_std
    L stacked GRU cells (gate rows r, z, n; linear_before_reset true = nn.GRU, false = ONNX default)
    e = attn.context . tanh(attn.proj(h_top))
    W = 0: running softmax over all steps (m, c, a);  W > 0: softmax over a ring of the last W (h, e)
    y = head([ctx ; h_top]);  output = y * output_std + output_mean

`GruAttention.step` is the reference every golden file comes from. `forward_sequence` is a
faster form for training (W = 0 only) that must equal the step loop; `self_test` checks that.
State names and order follow models/README.md:
    W = 0: h [L,H], m [1], c [1], a [H]                 (start 0, -inf, 0, 0)
    W > 0: h [L,H], ring [W,H+1], ring_fill [1], ring_next [1]
"""
import math
import warnings
from collections import OrderedDict

import torch
from torch import nn

CONFIG_KEYS = ("input_dim", "hidden", "layers", "attn_dim", "output_dim", "attention_window",
               "linear_before_reset", "input_mean", "input_std", "output_mean", "output_std")


class Attention(nn.Module):
    """Additive attention score e = context . tanh(proj(h)) of one hidden state."""

    def __init__(self, hidden, attn_dim):
        super().__init__()
        self.proj = nn.Linear(hidden, attn_dim)
        self.context = nn.Parameter(torch.randn(attn_dim) / math.sqrt(attn_dim))

    def forward(self, h):
        return (torch.tanh(self.proj(h)) * self.context).sum(-1)


class GruAttention(nn.Module):
    def __init__(self, input_dim, hidden, layers, attn_dim, output_dim, attention_window=0,
                 linear_before_reset=True, input_mean=None, input_std=None, output_mean=None,
                 output_std=None):
        super().__init__()
        self.input_dim, self.hidden, self.layers = int(input_dim), int(hidden), int(layers)
        self.attn_dim, self.output_dim = int(attn_dim), int(output_dim)
        self.attention_window = int(attention_window)
        self.linear_before_reset = bool(linear_before_reset)
        if self.attention_window < 0:
            raise ValueError("attention_window must be >= 0")
        self.gru = nn.GRU(self.input_dim, self.hidden, self.layers)
        self.attn = Attention(self.hidden, self.attn_dim)
        self.head = nn.Linear(2 * self.hidden, self.output_dim)

        def vec(v, n, default):
            t = torch.full((n,), float(default)) if v is None else torch.as_tensor(v, dtype=torch.float32).reshape(n)
            return t.clone().to(torch.float32)

        # Not part of state_dict: they live in model.json's config.
        self.register_buffer("input_mean", vec(input_mean, self.input_dim, 0.0), persistent=False)
        self.register_buffer("input_std", vec(input_std, self.input_dim, 1.0), persistent=False)
        self.register_buffer("output_mean", vec(output_mean, self.output_dim, 0.0), persistent=False)
        self.register_buffer("output_std", vec(output_std, self.output_dim, 1.0), persistent=False)

    # ----------------------------------------------------------------- config
    def config(self):
        """model.json config, exactly the family's keys (floats rounded through float32)."""
        f = lambda t: [float(v) for v in t.detach().to(torch.float32).cpu().numpy()]
        return OrderedDict([
            ("input_dim", self.input_dim), ("hidden", self.hidden), ("layers", self.layers),
            ("attn_dim", self.attn_dim), ("output_dim", self.output_dim),
            ("attention_window", self.attention_window),
            ("linear_before_reset", self.linear_before_reset),
            ("input_mean", f(self.input_mean)), ("input_std", f(self.input_std)),
            ("output_mean", f(self.output_mean)), ("output_std", f(self.output_std))])

    @classmethod
    def from_config(cls, config):
        unknown = set(config) - set(CONFIG_KEYS)
        if unknown:
            raise ValueError(f"unknown config keys {sorted(unknown)}")
        return cls(**{k: config[k] for k in CONFIG_KEYS if k in config})

    def weight_tensors(self):
        """state_dict as float32 numpy arrays, in state_dict order."""
        return OrderedDict((k, v.detach().to(torch.float32).cpu().numpy()) for k, v in self.state_dict().items())

    # ------------------------------------------------------------------ state
    def state_names(self):
        if self.attention_window == 0:
            return ["h", "m", "c", "a"]
        return ["h", "ring", "ring_fill", "ring_next"]

    def initial_state(self):
        L, H, W = self.layers, self.hidden, self.attention_window
        s = OrderedDict()
        s["h"] = torch.zeros(L, H)
        if W == 0:
            s["m"] = torch.full((1,), -math.inf)
            s["c"] = torch.zeros(1)
            s["a"] = torch.zeros(H)
        else:
            s["ring"] = torch.zeros(W, H + 1)
            s["ring_fill"] = torch.zeros(1)
            s["ring_next"] = torch.zeros(1)
        return s

    # ------------------------------------------------------------------- math
    def gru_params(self, layer):
        g = self.gru
        return (getattr(g, f"weight_ih_l{layer}"), getattr(g, f"weight_hh_l{layer}"),
                getattr(g, f"bias_ih_l{layer}"), getattr(g, f"bias_hh_l{layer}"))

    def cell(self, layer, x, h):
        """One GRU cell, by hand, both reset modes. x [..., in], h [..., H] -> h' [..., H]."""
        w_ih, w_hh, b_ih, b_hh = self.gru_params(layer)
        H = self.hidden
        gi = x @ w_ih.t() + b_ih
        i_r, i_z, i_n = gi[..., :H], gi[..., H:2 * H], gi[..., 2 * H:]
        if self.linear_before_reset:
            gh = h @ w_hh.t() + b_hh
            h_r, h_z, h_n = gh[..., :H], gh[..., H:2 * H], gh[..., 2 * H:]
            r = torch.sigmoid(i_r + h_r)
            z = torch.sigmoid(i_z + h_z)
            n = torch.tanh(i_n + r * h_n)
        else:
            gh = h @ w_hh[:2 * H].t() + b_hh[:2 * H]
            r = torch.sigmoid(i_r + gh[..., :H])
            z = torch.sigmoid(i_z + gh[..., H:])
            n = torch.tanh(i_n + (r * h) @ w_hh[2 * H:].t() + b_hh[2 * H:])
        return (1 - z) * n + z * h

    def step_tensors(self, x, h, *att):
        """Positional form of `step` (used by the ONNX export). x [F] physical -> (y [O], h', *att')."""
        x0 = (x - self.input_mean) / self.input_std
        hs = []
        inp = x0
        for layer in range(self.layers):
            inp = self.cell(layer, inp, h[layer])
            hs.append(inp)
        top = inp
        e = self.attn(top).reshape(1)
        W = self.attention_window
        if W == 0:
            m, c, a = att
            m_new = torch.maximum(m, e)
            scale = torch.exp(m - m_new)
            p = torch.exp(e - m_new)
            c_new = c * scale + p
            a_new = a * scale + top * p
            ctx = a_new / c_new
            new_att = (m_new, c_new, a_new)
        else:
            ring, fill, nxt = att
            H = self.hidden
            rows = torch.arange(W, dtype=torch.float32)
            row = torch.cat([top, e])
            ring_new = torch.where((rows == nxt).unsqueeze(1), row.unsqueeze(0), ring)
            fill_new = torch.clamp(fill + 1, max=float(W))
            nxt1 = nxt + 1
            nxt_new = torch.where(nxt1 >= float(W), nxt1 - float(W), nxt1)
            scores = torch.where(rows < fill_new, ring_new[:, H], torch.full_like(rows, -math.inf))
            w = torch.exp(scores - scores.max())
            ctx = (w.unsqueeze(1) * ring_new[:, :H]).sum(0) / w.sum()
            new_att = (ring_new, fill_new, nxt_new)
        y = self.head(torch.cat([ctx, top]))
        out = y * self.output_std + self.output_mean
        return (out, torch.stack(hs)) + new_att

    @torch.no_grad()
    def step(self, x, state):
        """One step: x [F] (or [1,F]) in physical units, state dict -> (y [O], new state dict)."""
        x = torch.as_tensor(x, dtype=torch.float32).reshape(self.input_dim)
        names = self.state_names()
        res = self.step_tensors(x, *[state[n] for n in names])
        return res[0], OrderedDict(zip(names, res[1:]))

    @torch.no_grad()
    def run_steps(self, xs, state=None):
        """Step loop over xs [T,F] (physical). Returns (ys [T,O], final state)."""
        state = self.initial_state() if state is None else state
        ys = []
        for x in torch.as_tensor(xs, dtype=torch.float32):
            y, state = self.step(x, state)
            ys.append(y)
        return torch.stack(ys), state

    # -------------------------------------------------- parallel form (W = 0)
    def initial_batch_state(self, batch):
        L, H = self.layers, self.hidden
        return OrderedDict(h=torch.zeros(L, batch, H), m=torch.full((batch,), -math.inf),
                           c=torch.zeros(batch), a=torch.zeros(batch, H))

    def forward_sequence(self, xs, state):
        """Training form, W = 0: xs [B,T,F] physical, batch state (h [L,B,H], m [B], c [B], a [B,H]).

        The attention inside the window is the causal softmax over all earlier steps, with the
        carried (m, c, a) standing for the steps before the window; it equals the step loop.
        Returns (ys [B,T,O] physical, new batch state) with gradients (detach the state yourself).
        """
        if self.attention_window != 0:
            raise ValueError("forward_sequence supports attention_window 0 only")
        B, T, _ = xs.shape
        x0 = (xs - self.input_mean) / self.input_std
        if self.linear_before_reset:
            hs, h_last = self.gru(x0.transpose(0, 1), state["h"])
            hs = hs.transpose(0, 1)                                   # [B,T,H]
        else:
            inp = x0
            h_last = []
            for layer in range(self.layers):
                h = state["h"][layer]
                outs = []
                for t in range(T):
                    h = self.cell(layer, inp[:, t], h)
                    outs.append(h)
                inp = torch.stack(outs, 1)
                h_last.append(h)
            hs, h_last = inp, torch.stack(h_last)
        e = self.attn(hs)                                            # [B,T]
        m0, c0, a0 = state["m"], state["c"], state["a"]
        M = torch.maximum(torch.cummax(e, 1).values, m0.unsqueeze(1))  # running max [B,T]
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        diff = (e.unsqueeze(1) - M.unsqueeze(2)).masked_fill(~causal, -math.inf)  # [B,t,s]
        w = torch.exp(diff)
        carry = torch.exp(m0.unsqueeze(1) - M)                       # [B,T]
        num = carry.unsqueeze(2) * a0.unsqueeze(1) + w @ hs          # [B,T,H]
        den = carry * c0.unsqueeze(1) + w.sum(2)                     # [B,T]
        ctx = num / den.unsqueeze(2)
        y = self.head(torch.cat([ctx, hs], 2))
        out = y * self.output_std + self.output_mean
        new_state = OrderedDict(h=h_last, m=M[:, -1], c=den[:, -1], a=num[:, -1])
        return out, new_state


def self_test(model, xs, window=37, atol=1e-5):
    """Assert forward_sequence (in windows, state carried) == the step loop, for W = 0."""
    with torch.no_grad():
        ys_step, st_step = model.run_steps(xs)
        st = model.initial_batch_state(1)
        outs = []
        for i in range(0, xs.shape[0], window):
            y, st = model.forward_sequence(torch.as_tensor(xs[i:i + window], dtype=torch.float32)[None], st)
            outs.append(y[0])
        ys_par = torch.cat(outs)
    err = (ys_par - ys_step).abs().max().item()
    assert err < atol, f"parallel form differs from the step loop by {err}"
    for name, v in (("h", st["h"][:, 0]), ("m", st["m"]), ("c", st["c"]), ("a", st["a"][0])):
        d = (v - st_step[name]).abs().max().item() / max(1.0, st_step[name].abs().max().item())
        assert d < atol, f"state {name} differs by {d}"
    return err


def check_window(model, xs, atol=1e-5):
    """Assert the ring (W > 0) equals plain softmax attention over the last W hidden states."""
    W = model.attention_window
    assert W > 0
    with torch.no_grad():
        ys_step, _ = model.run_steps(xs)
        x0 = (torch.as_tensor(xs, dtype=torch.float32) - model.input_mean) / model.input_std
        h = torch.zeros(model.layers, model.hidden)
        tops, outs = [], []
        for x in x0:
            inp, hn = x, []
            for layer in range(model.layers):
                inp = model.cell(layer, inp, h[layer])
                hn.append(inp)
            h = torch.stack(hn)
            tops.append(inp)
            hist = torch.stack(tops[-W:])
            wts = torch.softmax(model.attn(hist), 0)
            ctx = (wts.unsqueeze(1) * hist).sum(0)
            outs.append(model.head(torch.cat([ctx, inp])) * model.output_std + model.output_mean)
        err = (torch.stack(outs) - ys_step).abs().max().item()
    assert err < atol, f"ring attention differs from windowed softmax by {err}"
    return err


def check_nn_gru(model, xs):
    """Assert the hand cell with linear_before_reset true equals torch.nn.GRU."""
    assert model.linear_before_reset
    with torch.no_grad():
        x0 = (torch.as_tensor(xs, dtype=torch.float32) - model.input_mean) / model.input_std
        ref, _ = model.gru(x0.unsqueeze(1))
        h = torch.zeros(model.layers, model.hidden)
        outs = []
        for x in x0:
            inp = x
            hn = []
            for layer in range(model.layers):
                inp = model.cell(layer, inp, h[layer])
                hn.append(inp)
            h = torch.stack(hn)
            outs.append(inp)
        err = (torch.stack(outs) - ref[:, 0]).abs().max().item()
    assert err < 1e-5, f"hand GRU cell differs from nn.GRU by {err}"
    return err


class StepGraph(nn.Module):
    """Wrapper exported to step.onnx: input [1,F] and the state entries in, output [1,O] and <name>_out out."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input, *state):
        res = self.model.step_tensors(input.reshape(-1), *state)
        return (res[0].reshape(1, -1),) + tuple(res[1:])


def export_step_onnx(model, path):
    """torch.onnx.export of one step (opset 17), checked with onnx.checker."""
    import onnx
    model = model.eval()
    names = model.state_names()
    st = model.initial_state()
    args = (torch.zeros(1, model.input_dim),) + tuple(st[n] for n in names)
    with warnings.catch_warnings():
        # torch 1.13 warns about shape inference of prim::Constant; the shapes come out right.
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(StepGraph(model), args, path, input_names=["input"] + names,
                          output_names=["output"] + [n + "_out" for n in names], opset_version=17,
                          do_constant_folding=True)
    g = onnx.load(path)
    onnx.checker.check_model(g, full_check=True)
    got_in = [i.name for i in g.graph.input]
    got_out = [o.name for o in g.graph.output]
    assert got_in == ["input"] + names, got_in
    assert got_out == ["output"] + [n + "_out" for n in names], got_out
    return path


if __name__ == "__main__":
    torch.manual_seed(0)
    for lbr in (True, False):
        m = GruAttention(3, 8, 2, 5, 2, 0, lbr, input_mean=[1, 2, 3], input_std=[2, 1, .5])
        xs = torch.randn(120, 3) * 2
        print("lbr", lbr, "parallel vs step max err", self_test(m, xs))
        if lbr:
            print("hand cell vs nn.GRU max err", check_nn_gru(m, xs))
    for lbr in (True, False):
        m = GruAttention(2, 5, 3, 3, 1, 4, lbr, output_mean=[3.0], output_std=[0.5])
        print("lbr", lbr, "W=4 ring vs windowed softmax max err", check_window(m, torch.randn(30, 2)))
    keys = list(GruAttention(3, 8, 2, 5, 2).state_dict())
    print(keys)
