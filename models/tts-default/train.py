"""Train the default voice model: Lina-Speech's architecture (models/lina-reference/lina.py, the same
parameter names), small, on data/dataset.npz from make_data.py.

Training-only pieces (none of them change what runs at inference):
  - a batched, chunked form of the GLA layer (chunks of 16 steps; the step form is lina.py's);
  - one learned rank-r initial state per speaker (Lina-Speech's initial-state voices), trained jointly,
    exported as voices/<speaker>.safetensors;
  - a guided-attention loss on the cross-attention's two maps (Tachibana et al. 2017, DC-TTS), so the
    text-to-audio alignment forms within the budget;
  - input-code corruption (a few teacher-forced codes replaced at random) against exposure bias.
Writes checkpoints/last.pt every few minutes and resumes from it; out/loss.csv, out/attention-*.png.

    /usr/bin/python3 train.py --minutes 90            # stops at the budget, or at --steps
"""
import argparse
import csv
import math
import os
import sys
import time

# OpenBLAS's worker threads wait for each other by spinning on sched_yield. On a shared 2-core machine one
# starved worker made every step 15x slower (2.7 s became 45 s), so OpenBLAS gets exactly --threads threads,
# set before torch loads it.
_threads = next((sys.argv[i + 1] for i, arg in enumerate(sys.argv[:-1]) if arg == "--threads"), "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lina-reference"))
import lina  # noqa: E402

import text as textmod  # noqa: E402

CHUNK = 16
VOICE_RANK = 4


def model_config(n_codebook):
    return lina.config_defaults(d_model=192, heads=2, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=16,
                                gate_logit_normalizer=16, use_short_conv=True, conv_size=4, encoder_layers=2,
                                decoder_layers=3, d_blind=64, pos_type="convolutional", n_quant=1,
                                n_codebook=n_codebook, text_vocab=textmod.TEXT_VOCAB, text_layers=3,
                                text_heads=2, eps=1e-5)


# ------------------------------------------------------------------------------ batched forms

def gla_chunked(layer, X, S0):
    """lina.GatedLinearAttention over a batch X [B, T, w] from initial S0 [B, H, K, V] (or None)."""
    B, T, _ = X.shape
    H, K, V = layer.num_heads, layer.head_qk_dim, layer.head_v_dim
    q, k, v = layer.q_proj(X), layer.k_proj(X), layer.v_proj(X)
    if layer.use_short_conv:
        def conv(c, x):                                       # causal, zero history
            y = F.conv1d(F.pad(x.transpose(1, 2), (layer.conv_size - 1, 0)), c.weight, groups=c.weight.shape[0])
            return F.silu(y.transpose(1, 2))
        q, k, v = conv(layer.q_conv1d, q), conv(layer.k_conv1d, k), conv(layer.v_conv1d, v)
    gk = layer._gates(X)
    pad = (-T) % CHUNK
    if pad:
        q, k, v, gk = (F.pad(t, (0, 0, 0, pad)) for t in (q, k, v, gk))
    N = (T + pad) // CHUNK
    q = (q * K ** -0.5).view(B, N, CHUNK, H, K).permute(0, 1, 3, 2, 4)      # [B, N, H, C, K]
    k = k.view(B, N, CHUNK, H, K).permute(0, 1, 3, 2, 4)
    v = v.view(B, N, CHUNK, H, V).permute(0, 1, 3, 2, 4)
    G = gk.view(B, N, CHUNK, H, K).permute(0, 1, 3, 2, 4).cumsum(3)
    qg, kg = q * G.exp(), k * (-G).exp()
    mask = torch.tril(torch.ones(CHUNK, CHUNK, dtype=torch.bool))
    A = (qg @ kg.transpose(-1, -2)).masked_fill(~mask, 0.0)                  # [B, N, H, C, C]
    O = A @ v
    GL = G[:, :, :, -1:, :]                                                  # [B, N, H, 1, K]
    kd = k * (GL - G).exp()
    S = S0 if S0 is not None else X.new_zeros(B, H, K, V)
    outs = []
    for n in range(N):
        outs.append(O[:, n] + qg[:, n] @ S)
        S = GL[:, n].transpose(-1, -2).exp() * S + kd[:, n].transpose(-1, -2) @ v[:, n]
    O = torch.stack(outs, 1).permute(0, 1, 3, 2, 4).reshape(B, N * CHUNK, H, V)[:, :T]
    g = layer.g_proj(X).view(B, T, H, V)
    return layer.o_proj(layer.g_norm_swish_gate(O, g).reshape(B, T, H * V))


def block(b, X, S0=None):
    X = X + gla_chunked(b.tmix, b.norm1(X), S0)
    return X + b.cmix(b.norm2(X))


def text_encoder(model, ids, tmask):
    """ids [B, J] (0-padded), tmask [B, J] bool -> [B, J, d]."""
    x = model.txt_embed(ids)
    for b in model.txt_encoder.sa:
        sa = b.tmix
        h = b.norm1(x)
        B, J, d = h.shape
        hd = d // sa.heads
        q, kk, vv = (t.view(B, J, sa.heads, hd).transpose(1, 2) for t in sa.qkv(h).chunk(3, dim=-1))
        q, kk = sa.rotary.rotate(q), sa.rotary.rotate(kk)
        att = (q @ kk.transpose(-1, -2)) * (1.0 / math.sqrt(hd))
        att = att.masked_fill(~tmask[:, None, None, :], -1e9).softmax(-1)
        x = x + (att @ vv).transpose(1, 2).reshape(B, J, d)
        x = x + b.cmix(b.norm2(x))
    return x


def positions(ca, tmask):
    """ConvPos per utterance: rows beyond each text's length are zero (as the runtime's zero padding)."""
    J = tmask.shape[1]
    e = ca.pos_embed.embed.weight[:J].unsqueeze(0) * tmask.unsqueeze(-1)      # [B, J, db]
    return ca.pos_embed.dw_conv(e.transpose(1, 2)).transpose(1, 2)


def voice_states(voice_k, voice_v, spk):
    """Per speaker rank-r factors -> S0 per GLA layer [B, H, K, V] (lina's 0.02 * sum_r k (x) v)."""
    k, v = voice_k[:, spk], voice_v[:, spk]                     # [L, B, r, H, K], [L, B, r, H, V]
    return lina.VOICE_SCALE * torch.einsum("lbrhk,lbrhv->lbhkv", k, v)


def forward(model, voice_k, voice_v, text_ids, tmask, inp, spk):
    rnn, ca = model.attentive_rnn, model.attentive_rnn.cross_att
    S0 = voice_states(voice_k, voice_v, spk)
    ctx = text_encoder(model, text_ids, tmask)
    K, Vt, P = ca.ln_k(ca.k(ctx)), ca.ln_v(ca.v(ctx)), positions(ca, tmask)
    y = model.rvq_embed.weight[0][inp]
    li = 0
    for b in rnn.encoder:
        y = block(b, y, S0[li])
        li += 1
    Q = ca.ln_q(ca.q(y))
    A1 = ((Q @ K.transpose(1, 2)) / math.sqrt(Q.shape[-1])).masked_fill(~tmask[:, None, :], -1e9).softmax(-1)
    Z = block(ca.pos_net, A1 @ P)
    A2 = ((Z @ P.transpose(1, 2)) / math.sqrt(Z.shape[-1])).masked_fill(~tmask[:, None, :], -1e9).softmax(-1)
    y = y + A2 @ Vt
    for b in rnn.decoder:
        y = block(b, y, S0[li])
        li += 1
    return y @ model.logits_head.weight[0].t(), A1, A2


def guided_weights(tlen, alen, J, T, g=0.2):
    j = torch.arange(J).float()[None, None, :] / tlen[:, None, None].float()
    t = torch.arange(T).float()[None, :, None] / alen[:, None, None].float()
    return 1.0 - torch.exp(-((j - t) ** 2) / (2 * g * g))


# -------------------------------------------------------------------------------------- data

class Data:
    def __init__(self, path, n_codebook, seed):
        z = np.load(path)
        self.codes, self.off = z["codes"].astype(np.int64), z["offsets"]
        self.spk, self.texts = z["speakers"], [str(t) for t in z["texts"]]
        self.speaker_names = [str(s) for s in z["speaker_names"]]
        self.tids = [textmod.encode(t) for t in self.texts]
        # Validation: the last 2 % of the utterances (the corpus is already shuffled). A dataset grown
        # with make_data.py --minutes keeps its first utterances, so what was trained on stays in training
        # and the validation sentences are ones no run has seen.
        n = len(self.texts)
        n_val = max(8, n // 50)
        rng = np.random.default_rng(seed)
        self.val = list(range(n - n_val, n))
        self.train = list(range(n - n_val))
        self.n_codebook = n_codebook
        self.rng = rng

    def frames(self, i):
        return self.codes[self.off[i]:self.off[i + 1]]

    def batches(self, frames_per_batch):
        """Length-bucketed batches of about `frames_per_batch` audio frames, shuffled."""
        idx = sorted(self.train, key=lambda i: self.off[i + 1] - self.off[i] + self.rng.random() * 8)
        out, cur, longest = [], [], 0
        for i in idx:
            ln = self.off[i + 1] - self.off[i] + 1
            if cur and max(longest, ln) * (len(cur) + 1) > frames_per_batch:
                out.append(cur)
                cur, longest = [], 0
            cur.append(i)
            longest = max(longest, ln)
        if cur:
            out.append(cur)
        self.rng.shuffle(out)
        return out

    def collate(self, items, corrupt=0.0):
        B = len(items)
        J = max(len(self.tids[i]) for i in items)
        T = max(self.off[i + 1] - self.off[i] for i in items) + 1
        text = torch.zeros(B, J, dtype=torch.long)
        inp = torch.zeros(B, T, dtype=torch.long)
        tgt = torch.full((B, T), -100, dtype=torch.long)
        tlen, alen = torch.zeros(B, dtype=torch.long), torch.zeros(B, dtype=torch.long)
        for b, i in enumerate(items):
            t = self.tids[i]
            text[b, :len(t)] = torch.tensor(t)
            c = torch.from_numpy(self.frames(i)) + lina.N_SPECIAL
            x = torch.cat([torch.tensor([1]), c])
            if corrupt > 0:
                flip = torch.from_numpy(self.rng.random(len(x)) < corrupt)
                flip[0] = False
                x = torch.where(flip, torch.from_numpy(self.rng.integers(0, self.n_codebook, len(x))) + 3, x)
            inp[b, :len(x)] = x
            tgt[b, :len(c)] = c
            tgt[b, len(c)] = 2
            tlen[b], alen[b] = len(t), len(c) + 1
        tmask = torch.arange(J)[None, :] < tlen[:, None]
        spk = torch.tensor([int(self.spk[i]) for i in items])
        return text, tmask, inp, tgt, spk, tlen, alen


# ------------------------------------------------------------------------------------ training

def make_model(cfg, n_speakers, seed):
    torch.manual_seed(seed)
    model = lina.LinaModel(cfg)
    with torch.no_grad():
        model.rvq_embed.weight.normal_(0, 0.3)
        model.logits_head.weight.normal_(0, 0.02)
    rnn = model.attentive_rnn
    first = rnn.encoder[0].tmix
    L = len(rnn.encoder) + len(rnn.decoder)
    voice_k = torch.nn.Parameter(torch.randn(L, n_speakers, VOICE_RANK, first.num_heads, first.head_qk_dim) * 0.5)
    voice_v = torch.nn.Parameter(torch.randn(L, n_speakers, VOICE_RANK, first.num_heads, first.head_v_dim) * 0.5)
    return model, voice_k, voice_v


def plot_attention(path, A1, A2, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.6))
    for a, m, name in ((ax[0], A1, "first map (text keys)"), (ax[1], A2, "second map (positions)")):
        a.imshow(m.T, aspect="auto", origin="lower", interpolation="nearest", cmap="viridis")
        a.set_xlabel("audio frame")
        a.set_ylabel("text token")
        a.set_title(name)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def evaluate(model, vk, vv, data):
    model.eval()
    tot, n = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(data.val), 16):
            text, tmask, inp, tgt, spk, tlen, alen = data.collate(data.val[s:s + 16])
            logits, _, _ = forward(model, vk, vv, text, tmask, inp, spk)
            tot += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), reduction="sum").item()
            n += (tgt >= 0).sum().item()
    model.train()
    return tot / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=90.0, help="wall-clock budget of this run")
    ap.add_argument("--steps", type=int, default=6000, help="schedule length (cosine decay over it)")
    ap.add_argument("--frames-per-batch", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--guided", type=float, default=1.0, help="guided-attention loss weight")
    ap.add_argument("--corrupt", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=1, help="1: on a shared 2-core machine two OpenMP threads ran 8x slower")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--fresh", action="store_true", help="ignore checkpoints/last.pt")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    data_dir, ck_dir, out_dir = (os.path.join(HERE, d) for d in ("data", "checkpoints", "out"))
    os.makedirs(ck_dir, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    n_codebook = int(np.load(os.path.join(data_dir, "codebook.npy")).shape[0])
    data = Data(os.path.join(data_dir, "dataset.npz"), n_codebook, a.seed)
    cfg = model_config(n_codebook)
    model, vk, vv = make_model(cfg, len(data.speaker_names), a.seed)
    params = list(model.parameters()) + [vk, vv]
    opt = torch.optim.AdamW(params, lr=a.lr, betas=(0.9, 0.98), weight_decay=0.01)
    step, elapsed_before = 0, 0.0
    ck = os.path.join(ck_dir, "last.pt")
    loss_log = os.path.join(out_dir, "loss.csv")
    if os.path.exists(ck) and not a.fresh:
        st = torch.load(ck)
        model.load_state_dict(st["model"])
        with torch.no_grad():
            vk.copy_(st["voice_k"])
            vv.copy_(st["voice_v"])
        opt.load_state_dict(st["opt"])
        step, elapsed_before = st["step"], st["elapsed"]
        data.rng = np.random.default_rng(a.seed + step)
        print(f"resumed at step {step} ({elapsed_before / 60:.1f} min trained)", flush=True)
    elif os.path.exists(loss_log):
        os.remove(loss_log)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model {n_params / 1e6:.2f} M parameters; {len(data.train)} training utterances, "
          f"{len(data.val)} validation; speakers {data.speaker_names}", flush=True)

    def save():
        tmp = ck + ".tmp"
        torch.save({"model": model.state_dict(), "voice_k": vk.detach(), "voice_v": vv.detach(),
                    "opt": opt.state_dict(), "step": step, "elapsed": elapsed_before + time.time() - t0,
                    "cfg": dict(cfg), "speakers": data.speaker_names}, tmp)
        os.replace(tmp, ck)

    t0, last_save, last_print, step0 = time.time(), time.time(), time.time(), step
    done = False
    while not done:
        for items in data.batches(a.frames_per_batch):
            lr = a.lr * min(1.0, (step + 1) / 200) * 0.5 * (1 + math.cos(math.pi * min(step, a.steps) / a.steps))
            for g in opt.param_groups:
                g["lr"] = max(lr, a.lr * 0.02)
            text, tmask, inp, tgt, spk, tlen, alen = data.collate(items, a.corrupt)
            logits, A1, A2 = forward(model, vk, vv, text, tmask, inp, spk)
            ce = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))
            W = guided_weights(tlen, alen, text.shape[1], inp.shape[1])
            amask = (tgt >= 0).unsqueeze(-1) & tmask.unsqueeze(1)
            # per audio frame: the attention mass off the diagonal band (0 = on the band), averaged over frames
            ga = ((A1 + A2) * W * amask).sum() / (2 * (tgt >= 0).sum())
            loss = ce + a.guided * ga
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            new_log = not os.path.exists(loss_log)
            with open(loss_log, "a", newline="") as f:
                w = csv.writer(f)
                if new_log:
                    w.writerow(["step", "minutes", "ce", "guided", "val_ce"])
                val = evaluate(model, vk, vv, data) if step % 200 == 0 else ""
                w.writerow([step, f"{(elapsed_before + time.time() - t0) / 60:.2f}", f"{ce.item():.4f}",
                            f"{ga.item():.4f}", f"{val:.4f}" if val != "" else ""])
            if time.time() - last_print > 30 or step % 200 == 0:
                last_print = time.time()
                spent = elapsed_before + time.time() - t0
                print(f"step {step}/{a.steps}  ce {ce.item():.3f}  guided {ga.item():.4f}"
                      + (f"  val_ce {val:.3f}" if val != "" else "")
                      + f"  lr {lr:.2e}  {spent / 60:.1f} min  ({(time.time() - t0) / max(1, step - step0):.2f} s/step)",
                      flush=True)
            if step % 200 == 0:
                L = int(alen[0])
                plot_attention(os.path.join(out_dir, f"attention-{step:05d}.png"),
                               A1[0, :L, :int(tlen[0])].detach().numpy(), A2[0, :L, :int(tlen[0])].detach().numpy(),
                               f"step {step}: {data.texts[items[0]][:60]}")
            if time.time() - last_save > 300:
                save()
                last_save = time.time()
            if step >= a.steps or time.time() - t0 > a.minutes * 60:
                done = True
                break
    save()
    print(f"stopped at step {step}; validation cross-entropy {evaluate(model, vk, vv, data):.3f}; "
          f"checkpoint {os.path.relpath(ck, HERE)}", flush=True)


if __name__ == "__main__":
    main()
