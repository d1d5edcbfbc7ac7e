"""PyTorch reference of the `cae` family: a 1-D convolutional autoencoder anomaly detector.

The exact math, config keys, weight names and state layout are in README.md (this folder);
this module is what every golden file comes from. `cae_numpy.py` is a second, independent
float64 implementation written from README.md alone; `self_test` checks that both agree.

Batch form (training):  window x [B, F, W] (normalised, oldest sample first) -> score [B].
Streaming form (`step`): state = ring of the last W normalised samples + counters; every step
writes one sample and, once the ring is full and every `hop` samples, scores the ring read in
time order.
"""
import math
import warnings
from collections import OrderedDict

import torch
from torch import nn

CONFIG_KEYS = ("input_dim", "window", "hop", "channels", "kernels", "strides", "latent_dim",
               "threshold", "error_clip", "channel_weights", "input_mean", "input_std")
STATE_NAMES = ("ring", "ring_fill", "ring_next", "phase", "score")


class Cae(nn.Module):
    def __init__(self, input_dim, window, hop, channels, kernels, strides, latent_dim, threshold,
                 error_clip=None, channel_weights=None, input_mean=None, input_std=None):
        super().__init__()
        self.input_dim, self.window, self.hop = int(input_dim), int(window), int(hop)
        self.channels = [int(c) for c in channels]
        self.kernels = [int(k) for k in kernels]
        self.strides = [int(s) for s in strides]
        self.latent_dim = int(latent_dim)
        self.threshold = float(threshold)
        self.error_clip = None if error_clip is None else float(error_clip)
        E = len(self.channels)
        if not (E >= 1 and len(self.kernels) == E and len(self.strides) == E):
            raise ValueError("channels, kernels and strides need the same length >= 1")
        if self.hop < 1 or self.window < 1 or self.latent_dim < 1:
            raise ValueError("window, hop and latent_dim must be >= 1")
        if self.error_clip is not None and not self.error_clip > 0:
            raise ValueError("error_clip must be > 0 (leave it out for no clipping)")
        lengths = [self.window]
        for k, s in zip(self.kernels, self.strides):
            if k % 2 != 1 or s < 1 or lengths[-1] % s != 0:
                raise ValueError("kernels must be odd and each layer's length divisible by its stride")
            lengths.append(lengths[-1] // s)
        self.lengths = lengths                  # L_0 = W, L_i = L_{i-1} / s_i
        ins = [self.input_dim] + self.channels[:-1]
        self.encoder = nn.ModuleList(
            nn.Conv1d(ci, co, k, stride=s, padding=k // 2) for ci, co, k, s in
            zip(ins, self.channels, self.kernels, self.strides))
        flat = self.channels[-1] * lengths[-1]
        self.bottleneck = nn.Linear(flat, self.latent_dim)
        self.expand = nn.Linear(self.latent_dim, flat)
        # decoder.{j} mirrors encoder.{E-1-j}: ConvTranspose1d(c_i -> c_{i-1}), c_{-1} = F.
        self.decoder = nn.ModuleList(
            nn.ConvTranspose1d(self.channels[i], ins[i], self.kernels[i], stride=self.strides[i],
                               padding=self.kernels[i] // 2, output_padding=self.strides[i] - 1)
            for i in reversed(range(E)))

        def vec(v, default):
            n = self.input_dim
            t = torch.full((n,), float(default)) if v is None else torch.as_tensor(v, dtype=torch.float32).reshape(n)
            return t.clone().to(torch.float32)

        self.register_buffer("input_mean", vec(input_mean, 0.0), persistent=False)
        self.has_channel_weights = channel_weights is not None
        self.register_buffer("channel_weights", vec(channel_weights, 1.0), persistent=False)
        if (self.channel_weights < 0).any() or not (self.channel_weights > 0).any():
            raise ValueError("channel_weights must be >= 0 with at least one > 0")
        self.register_buffer("input_std", vec(input_std, 1.0), persistent=False)

    # ----------------------------------------------------------------- config
    def config(self):
        f = lambda t: [float(v) for v in t.detach().to(torch.float32).cpu().numpy()]
        c = OrderedDict([
            ("input_dim", self.input_dim), ("window", self.window), ("hop", self.hop),
            ("channels", list(self.channels)), ("kernels", list(self.kernels)),
            ("strides", list(self.strides)), ("latent_dim", self.latent_dim),
            ("threshold", float(torch.tensor(self.threshold, dtype=torch.float32)))])
        if self.error_clip is not None:
            c["error_clip"] = float(torch.tensor(self.error_clip, dtype=torch.float32))
        if self.has_channel_weights:
            c["channel_weights"] = f(self.channel_weights)
        c["input_mean"] = f(self.input_mean)
        c["input_std"] = f(self.input_std)
        return c

    @classmethod
    def from_config(cls, config):
        unknown = set(config) - set(CONFIG_KEYS)
        if unknown:
            raise ValueError(f"unknown config keys {sorted(unknown)}")
        return cls(**{k: config[k] for k in CONFIG_KEYS if k in config})

    def weight_tensors(self):
        return OrderedDict((k, v.detach().to(torch.float32).cpu().numpy()) for k, v in self.state_dict().items())

    def expected_names(self):
        names = {"bottleneck.weight", "bottleneck.bias", "expand.weight", "expand.bias"}
        for i in range(len(self.channels)):
            names |= {f"encoder.{i}.weight", f"encoder.{i}.bias", f"decoder.{i}.weight", f"decoder.{i}.bias"}
        return names

    # ------------------------------------------------------------ batch math
    def reconstruct(self, x):
        """x [B, F, W] normalised -> reconstruction [B, F, W]."""
        h = x
        for conv in self.encoder:
            h = torch.relu(conv(h))
        z = self.bottleneck(h.flatten(1))
        h = torch.relu(self.expand(z)).reshape(x.shape[0], self.channels[-1], self.lengths[-1])
        for j, deconv in enumerate(self.decoder):
            h = deconv(h)
            if j + 1 < len(self.decoder):
                h = torch.relu(h)
        return h

    def errors(self, x):
        """Elementwise squared error, clipped at error_clip, times the channel's weight: [B, F, W]."""
        e = (x - self.reconstruct(x)) ** 2
        if self.error_clip is not None:
            e = torch.clamp(e, max=self.error_clip)
        return e * self.channel_weights.reshape(1, -1, 1)

    def score(self, x):
        """Anomaly score of windows x [B, F, W] (normalised): mean over F*W of the weighted clipped errors."""
        return self.errors(x).mean((1, 2))

    def normalise(self, x):
        return (x - self.input_mean) / self.input_std

    # --------------------------------------------------------------- streaming
    def initial_state(self):
        s = OrderedDict()
        s["ring"] = torch.zeros(self.window, self.input_dim)
        s["ring_fill"] = torch.zeros(1)
        s["ring_next"] = torch.zeros(1)
        s["phase"] = torch.zeros(1)
        s["score"] = torch.zeros(1)
        return s

    def step_tensors(self, x, ring, fill, nxt, phase, score):
        """Positional step (also the ONNX graph). x [F] physical -> (output [2], state')."""
        W = self.window
        x0 = self.normalise(x)
        rows = torch.arange(W, dtype=torch.float32)
        ring_new = torch.where((rows == nxt).unsqueeze(1), x0.unsqueeze(0), ring)
        nxt1 = nxt + 1
        nxt_new = torch.where(nxt1 >= float(W), nxt1 - float(W), nxt1)
        fill_new = torch.clamp(fill + 1, max=float(W))
        order = rows + nxt_new                      # oldest sample sits where the next write goes
        order = torch.where(order >= float(W), order - float(W), order).to(torch.int64)
        win = ring_new.index_select(0, order).t().unsqueeze(0)      # [1, F, W]
        s = self.score(win).reshape(1)
        ready = fill_new >= float(W)
        run = ready & (phase == 0)
        zero = torch.zeros(1)
        score_new = torch.where(run, s, torch.where(ready, score, zero))
        ph1 = phase + 1
        phase_new = torch.where(ready, torch.where(ph1 >= float(self.hop), ph1 - float(self.hop), ph1), zero)
        flag = (score_new > self.threshold).to(torch.float32)
        out = torch.cat([score_new, flag])
        return out, ring_new, fill_new, nxt_new, phase_new, score_new

    @torch.no_grad()
    def step(self, x, state):
        x = torch.as_tensor(x, dtype=torch.float32).reshape(self.input_dim)
        res = self.step_tensors(x, *[state[n] for n in STATE_NAMES])
        return res[0], OrderedDict(zip(STATE_NAMES, res[1:]))

    @torch.no_grad()
    def run_steps(self, xs, state=None):
        """Step loop over xs [T, F] (physical). Returns (outputs [T, 2], final state)."""
        state = self.initial_state() if state is None else state
        ys = []
        for x in torch.as_tensor(xs, dtype=torch.float32):
            y, state = self.step(x, state)
            ys.append(y)
        return torch.stack(ys), state

    @torch.no_grad()
    def scores_batch(self, xs, chunk=4096):
        """Scores of every full window of xs [T, F] (physical), hop 1: [T - W + 1], entry i = step W-1+i."""
        x0 = self.normalise(torch.as_tensor(xs, dtype=torch.float32))
        wins = x0.unfold(0, self.window, 1)          # [T-W+1, F, W]
        return torch.cat([self.score(wins[i:i + chunk]) for i in range(0, wins.shape[0], chunk)])


class StepGraph(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input, *state):
        res = self.model.step_tensors(input.reshape(-1), *state)
        return (res[0].reshape(1, -1),) + tuple(res[1:])


def export_step_onnx(model, path):
    """One streaming step as ONNX (opset 17): inputs input [1,F] + the state, outputs output [1,2] + <name>_out."""
    import onnx
    model = model.eval()
    st = model.initial_state()
    args = (torch.zeros(1, model.input_dim),) + tuple(st[n] for n in STATE_NAMES)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(StepGraph(model), args, path, input_names=["input"] + list(STATE_NAMES),
                          output_names=["output"] + [n + "_out" for n in STATE_NAMES], opset_version=17,
                          do_constant_folding=True)
    g = onnx.load(path)
    onnx.checker.check_model(g, full_check=True)
    assert [i.name for i in g.graph.input] == ["input"] + list(STATE_NAMES)
    assert [o.name for o in g.graph.output] == ["output"] + [n + "_out" for n in STATE_NAMES]
    return path


def self_test(model, xs, atol=1e-5):
    """Step loop == batch scores (hop 1 semantics), and the torch module == cae_numpy (float64)."""
    import numpy as np
    import cae_numpy
    ys, _ = model.run_steps(xs)
    W, hop = model.window, model.hop
    batch = model.scores_batch(xs)
    assert (ys[:W - 1] == 0).all(), "output before the ring is full must be 0, 0"
    want = torch.stack([batch[((i - (W - 1)) // hop) * hop] for i in range(W - 1, len(xs))])
    err = (ys[W - 1:, 0] - want).abs().max().item()
    assert err < atol * max(1.0, want.abs().max().item()), f"step loop differs from batch scores by {err}"
    cfg = model.config()
    wts = {k: v.astype(np.float64) for k, v in model.weight_tensors().items()}
    ref = cae_numpy.run(cfg, wts, np.asarray(xs, dtype=np.float64))
    d = np.abs(ref - ys.numpy().astype(np.float64))
    scale = max(1.0, float(np.abs(ref[:, 0]).max()))
    assert d[:, 0].max() < atol * scale, f"torch differs from the float64 reference by {d[:, 0].max()}"
    # flags agree except where the score sits within float32 noise of the threshold
    near = np.abs(ref[:, 0] - cfg["threshold"]) < 1e-5 * scale
    assert (d[~near, 1] == 0).all(), "anomaly flags differ from the float64 reference"
    return err, float(d[:, 0].max())


if __name__ == "__main__":
    torch.manual_seed(0)
    for hop, clip in ((1, None), (3, 2.0)):
        m = Cae(3, 16, hop, [6, 5], [5, 3], [2, 2], 4, threshold=0.8, error_clip=clip,
                channel_weights=None if clip is None else [1.0, 0.0, 2.5],
                input_mean=[1, -2, 0.5], input_std=[2, 0.5, 1])
        xs = torch.randn(60, 3) * 2 + torch.tensor([1.0, -2.0, 0.5])
        print(f"hop {hop} clip {clip}: step vs batch, torch vs float64 numpy:", self_test(m, xs))
    print(sorted(Cae(3, 16, 1, [6, 5], [5, 3], [2, 2], 4, 0.8).state_dict()))
