"""Plain-PyTorch reference of Lina-Speech's decoder ("gla-tts" family), one utterance, no batch.

Parameter names equal Lina-Speech's `LinaModel.state_dict()` keys (theodorblackbird/lina-speech,
model/modeling_lina.py, model/gla.py, model/crossatt.py, model/base_blocks.py, model/encoder.py,
GLA layer after fla-org/flash-linear-attention), so a released checkpoint loads after stripping
the Lightning wrapper's "model." prefix. Written from reading that code; none of it is copied.

Every recurrent module has
  init_state(prefix) -> dict of zero tensors, named as models/README.md's gla-tts state layout;
  step(x, state, prefix) -> y, one step, updating `state` in place (float32, as the runtime);
and the GLA layer and the whole decoder also have a parallel (chunk-free) form used to check the
steps: o_t = sum_{s<=t} (q_t * prod_{s<u<=t} alpha_u) k_s^T v_s (+ the initial state's term).
"""
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SPECIAL = 3          # PAD 0, BOS 1, EOS 2; audio code c is id c + 3 (in and out)
VOICE_SCALE = 0.02     # lina initial_state.py / AttentiveGLA.get_state_from_params default
CONV_POS_MAX_LEN = 2000
CONV_POS_KERNEL = 31


def config_defaults(**kw):
    """A gla-tts config (model.json keys) with Lina-Speech's defaults filled in."""
    cfg = OrderedDict(d_model=64, heads=2, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=16,
                      gate_logit_normalizer=16, use_short_conv=True, conv_size=4, encoder_layers=2,
                      decoder_layers=2, d_blind=32, pos_type="convolutional", n_quant=1, n_codebook=64,
                      text_vocab=256, text_layers=2, text_heads=2, eps=1e-5)
    for k, v in kw.items():
        if k not in cfg:
            raise KeyError(f"unknown gla-tts config key {k!r}")
        cfg[k] = v
    return cfg


# ----------------------------------------------------------------------------------------- GLA

class RMSNormSwishGate(nn.Module):
    """fla FusedRMSNormSwishGate: x / sqrt(mean(x^2) + eps) * weight * silu(g); no bias."""

    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x, g):
        rstd = torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * rstd * self.weight * (g * torch.sigmoid(g))


class GatedLinearAttention(nn.Module):
    """Lina's GatedLinearAttention (share_conv_kernel False, fuse_norm True, gate_fn swish)."""

    def __init__(self, hidden_size, num_heads, expand_k=1.0, expand_v=2.0, use_short_conv=False, conv_size=4,
                 gate_low_rank_dim=16, gate_logit_normalizer=16, eps=1e-5):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_heads = num_heads
        self.key_dim = int(hidden_size * expand_k)
        self.value_dim = int(hidden_size * expand_v)
        assert self.key_dim % num_heads == 0 and self.value_dim % num_heads == 0
        self.head_qk_dim = self.key_dim // num_heads
        self.head_v_dim = self.value_dim // num_heads
        self.use_short_conv = use_short_conv
        self.conv_size = conv_size
        self.gate_logit_normalizer = gate_logit_normalizer
        self.q_proj = nn.Linear(hidden_size, self.key_dim, bias=False)
        self.k_proj = nn.Linear(hidden_size, self.key_dim, bias=False)
        self.v_proj = nn.Linear(hidden_size, self.value_dim, bias=False)
        self.g_proj = nn.Linear(hidden_size, self.value_dim, bias=False)
        self.gk_proj = nn.Sequential(nn.Linear(hidden_size, gate_low_rank_dim, bias=False),
                                     nn.Linear(gate_low_rank_dim, self.key_dim, bias=True))
        self.o_proj = nn.Linear(self.value_dim, hidden_size, bias=False)
        if use_short_conv:
            # fla ShortConvolution: depthwise Conv1d, weight [C,1,W], bias=False (Lina never sets it).
            self.q_conv1d = nn.Conv1d(self.key_dim, self.key_dim, conv_size, groups=self.key_dim, bias=False)
            self.k_conv1d = nn.Conv1d(self.key_dim, self.key_dim, conv_size, groups=self.key_dim, bias=False)
            self.v_conv1d = nn.Conv1d(self.value_dim, self.value_dim, conv_size, groups=self.value_dim, bias=False)
        self.g_norm_swish_gate = RMSNormSwishGate(self.head_v_dim, eps)

    # -- state
    def init_state(self, prefix, S0=None):
        st = OrderedDict()
        if self.use_short_conv:
            st[prefix + ".conv_q"] = torch.zeros(self.key_dim, self.conv_size)
            st[prefix + ".conv_k"] = torch.zeros(self.key_dim, self.conv_size)
            st[prefix + ".conv_v"] = torch.zeros(self.value_dim, self.conv_size)
        st[prefix + ".S"] = (torch.zeros(self.num_heads, self.head_qk_dim, self.head_v_dim) if S0 is None
                             else S0.clone().float())
        return st

    def _gates(self, x):
        return F.logsigmoid(self.gk_proj(x)) / self.gate_logit_normalizer

    # -- one step
    def step(self, x, state, prefix):
        H, K, V = self.num_heads, self.head_qk_dim, self.head_v_dim
        q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        if self.use_short_conv:
            q = self._conv_step(self.q_conv1d, q, state, prefix + ".conv_q")
            k = self._conv_step(self.k_conv1d, k, state, prefix + ".conv_k")
            v = self._conv_step(self.v_conv1d, v, state, prefix + ".conv_v")
        gk = self._gates(x).view(H, K)
        q = q.view(H, K) * K ** -0.5
        k, v = k.view(H, K), v.view(H, V)
        S = state[prefix + ".S"] * gk.exp().unsqueeze(-1) + k.unsqueeze(-1) * v.unsqueeze(-2)
        state[prefix + ".S"] = S
        o = (q.unsqueeze(-1) * S).sum(-2)                      # [H, V]
        o = self.g_norm_swish_gate(o, self.g_proj(x).view(H, V)).reshape(H * V)
        return self.o_proj(o)

    @staticmethod
    def _conv_step(conv, x, state, name):
        ring = torch.cat([state[name][:, 1:], x.unsqueeze(-1)], dim=-1)   # oldest first, newest last
        state[name] = ring
        return F.silu((ring * conv.weight[:, 0, :]).sum(-1))

    # -- parallel form over a whole sequence X [T, d]
    def forward_parallel(self, X, state=None, prefix="gla"):
        """Chunk-free parallel form. `state` (optional, as from init_state) gives the rings and
        S before X[0]; it is not modified. Returns (Y [T,d], final state dict)."""
        H, K, V = self.num_heads, self.head_qk_dim, self.head_v_dim
        T = X.shape[0]
        st = state if state is not None else self.init_state(prefix)
        st = OrderedDict((n, t.to(X.dtype)) for n, t in st.items() if n.startswith(prefix + "."))
        out_state = OrderedDict()
        q, k, v = self.q_proj(X), self.k_proj(X), self.v_proj(X)
        if self.use_short_conv:
            for name, conv, key in (("q", self.q_conv1d, ".conv_q"), ("k", self.k_conv1d, ".conv_k"),
                                    ("v", self.v_conv1d, ".conv_v")):
                x = {"q": q, "k": k, "v": v}[name]
                ring = st[prefix + key]                                     # [C, W]
                full = torch.cat([ring.t(), x], dim=0)                     # [W + T, C]
                y = F.conv1d(full[1:].t().unsqueeze(0), conv.weight.to(X.dtype), groups=conv.weight.shape[0])
                y = F.silu(y[0].t())                                       # [T, C]
                out_state[prefix + key] = full[-self.conv_size:].t().contiguous()
                if name == "q":
                    q = y
                elif name == "k":
                    k = y
                else:
                    v = y
        gk = self._gates(X).view(T, H, K)
        q = q.view(T, H, K) * K ** -0.5
        k, v = k.view(T, H, K), v.view(T, H, V)
        S0 = st[prefix + ".S"]
        G = gk.cumsum(0)                                                   # log prod_{u<=t} alpha_u
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool)).view(T, T, 1, 1)
        diff = torch.where(causal, G.unsqueeze(1) - G.unsqueeze(0), torch.full((), -math.inf, dtype=X.dtype))
        A = torch.einsum("thk,tshk,shk->tsh", q, diff.exp(), k)             # [T, T, H]
        O = torch.einsum("tsh,shv->thv", A, v) + torch.einsum("thk,hkv->thv", q * G.exp(), S0)
        GT = G[-1]
        ST = GT.exp().unsqueeze(-1) * S0 + torch.einsum("shk,shv->hkv", (GT.unsqueeze(0) - G).exp() * k, v)
        out_state[prefix + ".S"] = ST
        g = self.g_proj(X).view(T, H, V)
        O = self.g_norm_swish_gate(O, g).reshape(T, H * V)
        # keep the layout order of init_state
        ordered = OrderedDict((n, out_state[n]) for n in st)
        return self.o_proj(O), ordered


# -------------------------------------------------------------------------------------- blocks

class SwiGLU(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.p_in = nn.Linear(d, (d * 4 // 3) * 2)
        self.p_out = nn.Linear(d * 4 // 3, d)

    def forward(self, x):
        gate, x = self.p_in(x).chunk(2, dim=-1)
        return self.p_out(F.silu(gate) * x)


class MixingBlock(nn.Module):
    """x = x + tmix(norm1(x)); x = x + cmix(norm2(x)). Registration order as Lina's."""

    def __init__(self, d, tmix, eps):
        super().__init__()
        self.tmix = tmix
        self.cmix = SwiGLU(d)
        self.norm1 = nn.LayerNorm(d, eps=eps)
        self.norm2 = nn.LayerNorm(d, eps=eps)

    def init_state(self, prefix, S0=None):
        return self.tmix.init_state(prefix, S0)

    def step(self, x, state, prefix):
        x = x + self.tmix.step(self.norm1(x), state, prefix)
        return x + self.cmix(self.norm2(x))

    def forward_parallel(self, X, state, prefix):
        y, st = self.tmix.forward_parallel(self.norm1(X), state, prefix)
        X = X + y
        return X + self.cmix(self.norm2(X)), st


def gla_block(d, cfg):
    return MixingBlock(d, GatedLinearAttention(
        d, cfg["heads"], cfg["expand_k"], cfg["expand_v"], cfg["use_short_conv"], cfg["conv_size"],
        cfg["gate_low_rank_dim"], cfg["gate_logit_normalizer"], cfg["eps"]), cfg["eps"])


# ----------------------------------------------------------------------------- cross-attention

class ConvPos(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.embed = nn.Embedding(CONV_POS_MAX_LEN, dim)
        self.dw_conv = nn.Conv1d(dim, dim, CONV_POS_KERNEL, groups=dim, padding=CONV_POS_KERNEL // 2)

    def forward(self, J):
        if J > CONV_POS_MAX_LEN:
            raise ValueError(f"text of {J} tokens is longer than the {CONV_POS_MAX_LEN} positions")
        y = self.embed.weight[:J].t().unsqueeze(0)           # [1, C, J]
        return self.dw_conv(y)[0].t()                        # [J, C]


class SinPos(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dim = dim

    def forward(self, J):
        e = 2 * torch.arange(self.dim // 2) / self.dim                        # float32
        pos = torch.arange(J).unsqueeze(1) * torch.pow(10000, -e).unsqueeze(0)
        return torch.sin(torch.cat([pos, pos + math.pi / 2], dim=1))


class BlindCrossAttention(nn.Module):
    """One head, no rotary (Lina's AttentiveGLA default). att_dim = q_dim = k_dim = d_model."""

    def __init__(self, cfg):
        super().__init__()
        d, db = cfg["d_model"], cfg["d_blind"]
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.pos_net = gla_block(db, cfg)
        if cfg["pos_type"] == "convolutional":
            self.pos_embed = ConvPos(db)
        elif cfg["pos_type"] == "sinusoidal":
            self.pos_embed = SinPos(db)
        else:
            raise ValueError(f"pos_type {cfg['pos_type']!r}: expected 'convolutional' or 'sinusoidal'")
        self.ln_q = nn.LayerNorm(d, eps=cfg["eps"])
        self.ln_k = nn.LayerNorm(d, eps=cfg["eps"])
        self.ln_v = nn.LayerNorm(d, eps=cfg["eps"])

    def prepare(self, ctx):
        """Once per utterance: K [J,d], V [J,d], P [J,d_blind]."""
        return self.ln_k(self.k(ctx)), self.ln_v(self.v(ctx)), self.pos_embed(ctx.shape[0]).to(ctx.dtype)

    def step(self, y, prep, state):
        K, V, P = prep
        qv = self.ln_q(self.q(y))
        a1 = torch.softmax((K @ qv) * (1.0 / math.sqrt(qv.shape[-1])), dim=-1)
        z = self.pos_net.step(a1 @ P, state, "pos_net")
        a2 = torch.softmax((P @ z) * (1.0 / math.sqrt(z.shape[-1])), dim=-1)
        return a2 @ V

    def forward_parallel(self, Y, prep, state):
        K, V, P = prep
        Q = self.ln_q(self.q(Y))
        A1 = torch.softmax((Q @ K.t()) * (1.0 / math.sqrt(Q.shape[-1])), dim=-1)
        Z, st = self.pos_net.forward_parallel(A1 @ P, state, "pos_net")
        A2 = torch.softmax((Z @ P.t()) * (1.0 / math.sqrt(Z.shape[-1])), dim=-1)
        return A2 @ V, st


# -------------------------------------------------------------------------------- text encoder

class Rotary(nn.Module):
    """rotary_embedding_torch.RotaryEmbedding(dim) as used by Lina: `freqs` [dim//2] is the only
    state_dict entry; interleaved pairs (x_2i, x_2i+1) rotated by pos * freqs[i]."""

    def __init__(self, dim):
        super().__init__()
        self.freqs = nn.Parameter(1.0 / (10000 ** (torch.arange(0, dim, 2)[:dim // 2].float() / dim)),
                                  requires_grad=False)

    def rotate(self, t):                                  # t [H, J, hd]
        J = t.shape[-2]
        ang = torch.arange(J, dtype=t.dtype).unsqueeze(1) * self.freqs.to(t.dtype).unsqueeze(0)
        ang = ang.repeat_interleave(2, dim=-1)            # [J, rot]
        rot = ang.shape[-1]
        x, rest = t[..., :rot], t[..., rot:]
        x2 = x.reshape(*x.shape[:-1], rot // 2, 2)
        half = torch.stack([-x2[..., 1], x2[..., 0]], dim=-1).reshape(x.shape)
        return torch.cat([x * ang.cos() + half * ang.sin(), rest], dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.heads = heads
        self.rotary = Rotary((dim // heads) // 2)

    def forward(self, x):                                  # x [J, d]
        J, d = x.shape
        hd = d // self.heads
        q, k, v = (t.view(J, self.heads, hd).transpose(0, 1) for t in self.qkv(x).chunk(3, dim=-1))
        q, k = self.rotary.rotate(q), self.rotary.rotate(k)
        a = torch.softmax((q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(hd)), dim=-1)
        return (a @ v).transpose(0, 1).reshape(J, d)


class TextEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        self.sa = nn.ModuleList([MixingBlock(d, SelfAttention(d, cfg["text_heads"]), cfg["eps"])
                                 for _ in range(cfg["text_layers"])])

    def forward(self, x):
        for b in self.sa:
            x = x + b.tmix(b.norm1(x))
            x = x + b.cmix(b.norm2(x))
        return x


# ---------------------------------------------------------------------------------- the model

class AttentiveGLA(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["d_model"]
        self.encoder = nn.ModuleList([gla_block(d, cfg) for _ in range(cfg["encoder_layers"])])
        self.decoder = nn.ModuleList([gla_block(d, cfg) for _ in range(cfg["decoder_layers"])])
        self.cross_att = BlindCrossAttention(cfg)

    def layers(self):
        """(prefix, block) for every GLA layer in state order."""
        return ([(f"encoder.{i}", b) for i, b in enumerate(self.encoder)]
                + [(f"decoder.{i}", b) for i, b in enumerate(self.decoder)]
                + [("pos_net", self.cross_att.pos_net)])


class TensorParam(nn.Module):
    """A module holding a single `weight` (Lina's MultiEmbedding and EinMix logits head)."""

    def __init__(self, *shape):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(*shape))


class LinaModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = OrderedDict(cfg)
        d = cfg["d_model"]
        n_tok = cfg["n_codebook"] + N_SPECIAL
        self.txt_encoder = TextEncoder(cfg)
        self.attentive_rnn = AttentiveGLA(cfg)
        self.txt_embed = nn.Embedding(cfg["text_vocab"], d, padding_idx=0)
        self.rvq_embed = TensorParam(cfg["n_quant"], n_tok, d)     # MultiEmbedding
        self.logits_head = TensorParam(cfg["n_quant"], n_tok, d)   # EinMix "b n d -> b n q l", weight "q l d"

    # -- state
    def init_state(self, voice_states=None):
        """Zero state, or with `voice_states` (list of S0 [H,Kh,Vh], encoder then decoder layers)."""
        st = OrderedDict()
        n_voice = len(self.attentive_rnn.encoder) + len(self.attentive_rnn.decoder)
        if voice_states is not None and len(voice_states) != n_voice:
            raise ValueError(f"voice has {len(voice_states)} layers, the model {n_voice}")
        for i, (prefix, blk) in enumerate(self.attentive_rnn.layers()):
            S0 = voice_states[i] if voice_states is not None and i < n_voice else None
            st.update(blk.init_state(prefix, S0))
        return st

    def prepare_text(self, text_ids):
        ctx = self.txt_encoder(self.txt_embed(text_ids))
        return self.attentive_rnn.cross_att.prepare(ctx)

    def embed_ids(self, ids):                                      # ids [..., n_quant] -> [..., d]
        W = self.rvq_embed.weight
        return sum(W[q][ids[..., q]] for q in range(W.shape[0]))

    def step(self, ids, prep, state):
        """ids [n_quant] int64 -> logits [n_quant, n_codebook+3]; state updated in place."""
        rnn = self.attentive_rnn
        y = self.embed_ids(ids)
        for i, b in enumerate(rnn.encoder):
            y = b.step(y, state, f"encoder.{i}")
        y = y + rnn.cross_att.step(y, prep, state)
        for i, b in enumerate(rnn.decoder):
            y = b.step(y, state, f"decoder.{i}")
        return torch.einsum("qld,d->ql", self.logits_head.weight, y)

    def run_steps(self, text_ids, ids, state=None):
        """Teacher-forced step-by-step run: ids [T, n_quant] -> logits [T, n_quant, L], final state."""
        with torch.no_grad():
            state = self.init_state() if state is None else OrderedDict((k, v.clone()) for k, v in state.items())
            prep = self.prepare_text(text_ids)
            out = [self.step(ids[t], prep, state) for t in range(ids.shape[0])]
        return torch.stack(out), state

    def forward_parallel(self, text_ids, ids, state=None):
        """The same run in parallel form (GLA closed form per layer)."""
        with torch.no_grad():
            state = self.init_state() if state is None else state
            prep = self.prepare_text(text_ids)
            rnn = self.attentive_rnn
            Y = self.embed_ids(ids).to(prep[0].dtype)
            final = OrderedDict()
            for i, b in enumerate(rnn.encoder):
                Y, st = b.forward_parallel(Y, state, f"encoder.{i}")
                final.update(st)
            v, st_pos = rnn.cross_att.forward_parallel(Y, prep, state)
            Y = Y + v
            for i, b in enumerate(rnn.decoder):
                Y, st = b.forward_parallel(Y, state, f"decoder.{i}")
                final.update(st)
            final.update(st_pos)
            final = OrderedDict((k, final[k]) for k in state)
            return torch.einsum("qld,td->tql", self.logits_head.weight, Y), final


# -------------------------------------------------------------------------------------- voices

def voice_layer_states(model, voice):
    """Lina initial_state.py voice dict -> list of S0 [H,Kh,Vh], encoder then decoder layers.
    Rank form: layer{i}_k [1,r,H,Kh,1], layer{i}_v [1,r,H,1,Vh], S0 = 0.02 * sum_r k_r (x) v_r.
    Full form (Lina's lora=None): layer{i} [1,H,Kh,Vh], used as S0 unscaled."""
    rnn = model.attentive_rnn
    blocks = list(rnn.encoder) + list(rnn.decoder)
    out = []
    for i, b in enumerate(blocks):
        H, K, V = b.tmix.num_heads, b.tmix.head_qk_dim, b.tmix.head_v_dim
        if f"layer{i}_k" in voice:
            k = torch.as_tensor(voice[f"layer{i}_k"]).float()
            v = torch.as_tensor(voice[f"layer{i}_v"]).float()
            if k.dim() != 5 or tuple(k.shape[2:]) != (H, K, 1) or v.dim() != 5 or tuple(v.shape[2:]) != (H, 1, V) \
                    or k.shape[:2] != v.shape[:2] or k.shape[0] != 1:
                raise ValueError(f"voice layer{i}: k {tuple(k.shape)}, v {tuple(v.shape)}; expected "
                                 f"[1,r,{H},{K},1] and [1,r,{H},1,{V}]")
            out.append(VOICE_SCALE * torch.einsum("brhkx,brhyv->hkv", k, v))
        elif f"layer{i}" in voice:
            s = torch.as_tensor(voice[f"layer{i}"]).float()
            if tuple(s.shape) != (1, H, K, V):
                raise ValueError(f"voice layer{i}: {tuple(s.shape)}; expected [1,{H},{K},{V}]")
            out.append(s[0])
        else:
            raise ValueError(f"voice has no layer{i}_k/layer{i}_v (nor layer{i}); it needs {len(blocks)} layers")
    extra = [k for k in voice if not any(k in (f"layer{i}_k", f"layer{i}_v", f"layer{i}") for i in range(len(blocks)))]
    if extra:
        raise ValueError(f"voice has entries for layers the model lacks: {sorted(extra)[:4]}")
    return out


# ----------------------------------------------------------------------------- random weights

def randomize(model, seed):
    """Seeded non-trivial weights: every norm weight/bias, gate bias and conv tap differs."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("rotary.freqs"):
                continue
            if ("norm" in name or ".ln_" in name) and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
            elif "conv1d" in name or "dw_conv" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif name.endswith("embed.weight") or name == "txt_embed.weight" or name == "rvq_embed.weight":
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[-1]))
    return model


def build(cfg, seed):
    torch.manual_seed(seed)
    return randomize(LinaModel(cfg).eval(), seed)


def state_dict_numpy(model):
    return OrderedDict((k, v.detach().cpu().float().numpy()) for k, v in model.state_dict().items())


def self_test():
    """Step-by-step and parallel forms agree (float64), with and without a voice, for a few shapes."""
    import copy
    cases = [config_defaults(),
             config_defaults(d_model=32, heads=1, use_short_conv=False, pos_type="sinusoidal", n_quant=2,
                             encoder_layers=1, decoder_layers=3, d_blind=16, text_heads=1, text_layers=1),
             config_defaults(d_model=48, heads=4, expand_k=0.5, expand_v=1.0, conv_size=3, d_blind=24,
                             text_heads=4, n_codebook=10)]
    for n, cfg in enumerate(cases):
        m = copy.deepcopy(build(cfg, n)).double()
        g = torch.Generator().manual_seed(n)
        text = torch.randint(3, cfg["text_vocab"], (9,), generator=g)
        ids = torch.randint(0, cfg["n_codebook"] + N_SPECIAL, (25, cfg["n_quant"]), generator=g)
        for voiced in (False, True):
            S0 = None
            if voiced:
                S0 = [torch.randn(b.tmix.num_heads, b.tmix.head_qk_dim, b.tmix.head_v_dim, generator=g).double() * 0.1
                      for b in list(m.attentive_rnn.encoder) + list(m.attentive_rnn.decoder)]
            st = OrderedDict((k, v.double()) for k, v in m.init_state(S0).items())
            ls, fs = m.run_steps(text, ids, st)
            lp, fp = m.forward_parallel(text, ids, st)
            assert (ls - lp).abs().max() < 1e-9, f"case {n}: logits"
            for k in fs:
                assert (fs[k] - fp[k]).abs().max() < 1e-9, f"case {n}: state {k}"
    print(f"lina.py self-test: step == parallel for {len(cases)} configs, with and without a voice")


if __name__ == "__main__":
    self_test()
