#!/usr/bin/env python3
"""The gla-tts decoder step at Lina-Speech's release size in PyTorch, written as a tuned step: the baseline
`edge bench --gla-release` is compared with (bench/README.md has the figures).

Sizes are those of src/Edge.Diagnostics/Benchmarks/GlaReleaseBenchmark.cs (d_model 1024, heads 2, expand_k 1,
expand_v 2, gate rank 16, short convs of 4, 6 encoder + 6 decoder GLA blocks, the blind cross-attention with its
d_blind 64 pos_net block, one codebook of 4096 + 3 ids); weights are random (uniform, 1/sqrt(fan-in)). The step
is the family's math (src/Edge.Runtime/Families/Gla/README.md): every matrix-vector product is torch.mv/addmv into
a preallocated output, the state (conv rings and S) is updated in place, everything runs under
torch.inference_mode(). OMP_WAIT_POLICY=PASSIVE is set before torch loads (idle OpenMP threads sleep, as Edge's
pool does); the thread count is set for both torch (torch.set_num_threads) and the BLAS behind torch.mv (Debian's
torch calls the system libblas.so.3, OpenBLAS where installed, through openblas_set_num_threads).

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/torch_gla_step.py [--steps 30] [--warmup 5] [--threads 1,2] [--json]

Prints tokens/s per thread count (mean over the timed steps), with the p50 ms per step.
"""
import argparse
import ctypes
import ctypes.util
import json
import math
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after OMP_WAIT_POLICY)
import torch.nn.functional as F  # noqa: E402

D, HEADS, EXPAND_K, EXPAND_V, RANK, NORMALIZER, CONV = 1024, 2, 1, 2, 16, 16.0, 4
ENCODER, DECODER, D_BLIND, VOCAB, TEXT_TOKENS, EPS = 6, 6, 64, 4096 + 3, 64, 1e-5


def blas_threads(n):
    """Sets OpenBLAS's thread count where the BLAS torch uses is OpenBLAS; returns whether it could."""
    for name in ("libblas.so.3", ctypes.util.find_library("openblas") or "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads(ctypes.c_int(n))
            return True
        except (OSError, AttributeError):
            continue
    return False


def uniform(g, *shape, scale=None):
    scale = 1 / math.sqrt(shape[-1]) if scale is None else scale
    return (torch.rand(*shape, generator=g) * 2 - 1) * scale


class Gla:
    """One GLA layer of width w: fused q|k|v|g|low projection, short conv rings, decay gate, per-head S."""

    def __init__(self, g, w):
        self.w, self.kd, self.vd = w, w * EXPAND_K, w * EXPAND_V
        self.kh, self.vh = self.kd // HEADS, self.vd // HEADS
        kd, vd = self.kd, self.vd
        self.in_proj = uniform(g, 2 * kd + 2 * vd + RANK, w)
        self.gate_up = uniform(g, kd, RANK)
        self.gate_bias = uniform(g, kd, scale=0.1)
        self.out_proj = uniform(g, w, vd)
        self.conv = uniform(g, CONV, 2 * kd + vd, scale=0.5)   # tap-major: conv[t] multiplies the sample t steps back
        self.norm = 1 + uniform(g, self.vh, scale=0.1)
        self.proj = torch.empty(2 * kd + 2 * vd + RANK)
        self.qkv_raw = torch.empty(2 * kd + vd)
        self.decay = torch.empty(kd)
        self.o = torch.empty(vd)
        self.sq = torch.empty(HEADS, self.vh)
        self.ms = torch.empty(HEADS, 1)

    def new_state(self):
        # ring[t] holds the pre-conv q|k|v of step (n - t) mod CONV; S[h] is the head's [kh, vh] memory.
        return {"ring": torch.zeros(CONV, 2 * self.kd + self.vd), "S": torch.zeros(HEADS, self.kh, self.vh), "n": 0}

    def step(self, x, state, residual):
        kd, vd, kh, vh = self.kd, self.vd, self.kh, self.vh
        torch.mv(self.in_proj, x, out=self.proj)
        qkv = self.proj[: 2 * kd + vd]
        g = self.proj[2 * kd + vd: 2 * kd + 2 * vd]
        low = self.proj[2 * kd + 2 * vd:]
        ring, n = state["ring"], state["n"]
        ring[n % CONV].copy_(qkv)
        torch.mul(ring[n % CONV], self.conv[0], out=qkv)
        for t in range(1, CONV):
            qkv.addcmul_(ring[(n - t) % CONV], self.conv[t])
        state["n"] = n + 1
        F.silu(qkv, inplace=True)
        q, k, v = qkv[:kd], qkv[kd: 2 * kd], qkv[2 * kd:]
        # decay = exp(logsigmoid(W2 low + b2) / normalizer), logsigmoid(z) = -log1p(exp(-z)), all in place.
        torch.addmv(self.gate_bias, self.gate_up, low, out=self.decay)
        self.decay.neg_().exp_().log1p_().neg_().div_(NORMALIZER).exp_()
        q.mul_(1 / math.sqrt(kh))
        S = state["S"]
        S.mul_(self.decay.view(HEADS, kh, 1))
        S.baddbmm_(k.view(HEADS, kh, 1), v.view(HEADS, 1, vh))
        o = self.o.view(HEADS, 1, vh)
        torch.bmm(q.view(HEADS, 1, kh), S, out=o)
        o = self.o.view(HEADS, vh)
        torch.mul(o, o, out=self.sq)
        torch.mean(self.sq, dim=1, keepdim=True, out=self.ms)
        self.ms.add_(EPS).rsqrt_()
        o.mul_(self.ms).mul_(self.norm)
        F.silu(g, inplace=True)
        self.o.mul_(g)
        residual.addmv_(self.out_proj, self.o)


class Block:
    """x += GLA(LN1 x); x += SwiGLU(LN2 x)."""

    def __init__(self, g, w):
        self.w, self.f = w, w * 4 // 3
        self.ln1 = (1 + uniform(g, w, scale=0.1), uniform(g, w, scale=0.1))
        self.ln2 = (1 + uniform(g, w, scale=0.1), uniform(g, w, scale=0.1))
        self.gla = Gla(g, w)
        self.p_in = uniform(g, 2 * self.f, w)
        self.p_in_bias = uniform(g, 2 * self.f, scale=0.1)
        self.p_out = uniform(g, w, self.f)
        self.p_out_bias = uniform(g, w, scale=0.1)
        self.hidden = torch.empty(2 * self.f)

    def step(self, x, state):
        h = F.layer_norm(x, (self.w,), *self.ln1, EPS)
        self.gla.step(h, state, x)
        h = F.layer_norm(x, (self.w,), *self.ln2, EPS)
        torch.addmv(self.p_in_bias, self.p_in, h, out=self.hidden)
        a, b = self.hidden[: self.f], self.hidden[self.f:]
        F.silu(a, inplace=True)
        a.mul_(b)
        x.addmv_(self.p_out, a)
        x.add_(self.p_out_bias)


class Decoder:
    def __init__(self, seed=1):
        g = torch.Generator().manual_seed(seed)
        self.embed = uniform(g, VOCAB, D)
        self.encoder = [Block(g, D) for _ in range(ENCODER)]
        self.decoder = [Block(g, D) for _ in range(DECODER)]
        self.q = uniform(g, D, D)
        self.q_bias = uniform(g, D, scale=0.1)
        self.ln_q = (1 + uniform(g, D, scale=0.1), uniform(g, D, scale=0.1))
        self.pos_net = Block(g, D_BLIND)
        # Per utterance (prepared once, as Edge's TextWorkspace): K [T, D], V^T [D, T], P [T, d_blind], P^T.
        self.keys = uniform(g, TEXT_TOKENS, D, scale=1.0)
        self.values_t = uniform(g, D, TEXT_TOKENS, scale=1.0)
        self.positions = uniform(g, TEXT_TOKENS, D_BLIND, scale=1.0)
        self.positions_t = self.positions.t().contiguous()
        self.head = uniform(g, VOCAB, D)
        self.y = torch.empty(D)
        self.qv = torch.empty(D)
        self.scores = torch.empty(TEXT_TOKENS)
        self.z = torch.empty(D_BLIND)
        self.logits = torch.empty(VOCAB)

    def new_state(self):
        return {"encoder": [b.gla.new_state() for b in self.encoder], "decoder": [b.gla.new_state() for b in self.decoder],
                "pos_net": self.pos_net.gla.new_state()}

    def parameters(self):
        n = self.embed.numel() + self.q.numel() + D + 2 * D + self.head.numel()
        for b in self.encoder + self.decoder + [self.pos_net]:
            l = b.gla
            n += sum(t.numel() for t in (l.in_proj, l.gate_up, l.gate_bias, l.out_proj, l.conv, l.norm, b.p_in, b.p_in_bias, b.p_out, b.p_out_bias))
            n += 4 * b.w
        return n

    def cross(self, y, state):
        torch.addmv(self.q_bias, self.q, y, out=self.qv)
        qv = F.layer_norm(self.qv, (D,), *self.ln_q, EPS)
        torch.mv(self.keys, qv, out=self.scores)
        scores = torch.softmax(self.scores.mul_(1 / math.sqrt(D)), 0)
        torch.mv(self.positions_t, scores, out=self.z)
        self.pos_net.step(self.z, state["pos_net"])
        torch.mv(self.positions, self.z, out=self.scores)
        scores = torch.softmax(self.scores.mul_(1 / math.sqrt(D_BLIND)), 0)
        y.addmv_(self.values_t, scores)

    def step(self, token, state):
        y = self.y
        y.copy_(self.embed[token])
        for b, s in zip(self.encoder, state["encoder"]):
            b.step(y, s)
        self.cross(y, state)
        for b, s in zip(self.decoder, state["decoder"]):
            b.step(y, s)
        torch.mv(self.head, y, out=self.logits)
        return self.logits


def run(model, threads, steps, warmup):
    torch.set_num_threads(threads)
    blas = blas_threads(threads)
    state = model.new_state()
    rng = torch.Generator().manual_seed(3)
    tokens = torch.randint(3, VOCAB, (warmup + steps,), generator=rng).tolist()
    with torch.inference_mode():
        for t in tokens[:warmup]:
            model.step(t, state)
        times = []
        for t in tokens[warmup:]:
            t0 = time.perf_counter()
            model.step(t, state)
            times.append(time.perf_counter() - t0)
    times_sorted = sorted(times)
    return {"threads": threads, "tokens_per_second": len(times) / sum(times), "ms_per_token_p50": 1000 * times_sorted[len(times) // 2],
            "best_tokens_per_second": 1 / times_sorted[0], "steps": steps, "openblas_threads_set": blas}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    model = Decoder()
    weight_bytes = 4 * (model.parameters() - model.embed.numel() + D)   # the step reads one embedding row
    state_bytes = 4 * sum(s["ring"].numel() + s["S"].numel() for s in model.new_state()["encoder"] + model.new_state()["decoder"])
    results = [run(model, int(n), a.steps, a.warmup) for n in a.threads.split(",")]
    out = {"torch": torch.__version__, "parameters": model.parameters(), "weight_bytes_per_token": weight_bytes,
           "state_bytes": state_bytes, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
           "load_average": os.getloadavg()[0], "runs": results}
    if a.json:
        print(json.dumps(out, indent=2))
        return
    print(f"torch {out['torch']}, {out['parameters'] / 1e6:.1f} M parameters (decoder side, text encoder not built), "
          f"weights read per token {weight_bytes / 1e6:.1f} MB, state {state_bytes / 1e6:.1f} MB, OMP_WAIT_POLICY={out['omp_wait_policy']}")
    for r in results:
        print(f"{r['threads']} thread{'s' if r['threads'] > 1 else ' '}  {r['tokens_per_second']:6.2f} tokens/s  "
              f"(p50 {r['ms_per_token_p50']:.1f} ms/token, fastest step {r['best_tokens_per_second']:.2f} tokens/s, {r['steps']} steps; "
              f"OpenBLAS threads set: {r['openblas_threads_set']})")
    print(f"load average {out['load_average']:.2f}")


if __name__ == "__main__":
    main()
