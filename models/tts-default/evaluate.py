"""Speak test sentences with the trained model (PyTorch, lina.py's step form: what the C# runtime
runs), decode them with codec.py, and let the judge (recognize.py) listen. Writes out/eval/*.wav.

    /usr/bin/python3 evaluate.py [--n 10] [--speaker en-us] [--top-k 10 --temperature 0.7 | --greedy]
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lina-reference"))
import lina  # noqa: E402

import codec  # noqa: E402
import recognize  # noqa: E402
import text as textmod  # noqa: E402


def load(checkpoint):
    st = torch.load(checkpoint)
    model = lina.LinaModel(st["cfg"])
    model.load_state_dict(st["model"])
    model.eval()
    return model, st


def voice(st, speaker):
    s = st["speakers"].index(speaker)
    vk, vv = st["voice_k"], st["voice_v"]
    return [lina.VOICE_SCALE * torch.einsum("rhk,rhv->hkv", vk[i, s], vv[i, s]) for i in range(vk.shape[0])]


def generate(model, sentence, S0, top_k, temperature, seed, max_steps=1000):
    g = torch.Generator().manual_seed(seed)
    n_cb = model.cfg["n_codebook"]
    with torch.no_grad():
        state = model.init_state(S0)
        prep = model.prepare_text(torch.tensor(textmod.encode(sentence)))
        ids, out = torch.tensor([1]), []
        for _ in range(max_steps):
            logits = model.step(ids, prep, state)[0]
            if top_k <= 1:
                nxt = int(logits.argmax())
            else:
                v, i = logits.topk(top_k)
                p = torch.softmax(v / temperature, -1)
                nxt = int(i[torch.multinomial(p, 1, generator=g)])
            if nxt == 2:
                break
            if nxt < 3:                      # PAD/BOS are never targets; treat as the end
                break
            out.append(nxt - 3)
            ids = torch.tensor([nxt])
    return np.array(out, dtype=np.int64), len(out) < max_steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=os.path.join(HERE, "checkpoints", "last.pt"))
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--speaker", default="en-us")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--temperature", type=float, default=0.7)
    ap.add_argument("--greedy", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    model, st = load(a.checkpoint)
    S0 = voice(st, a.speaker)
    cb = np.load(os.path.join(HERE, "data", "codebook.npy")).astype(np.float64)
    inv = np.linalg.pinv(codec.mel_filterbank())
    out = os.path.join(HERE, "out", "eval")
    os.makedirs(out, exist_ok=True)
    pairs, t0, frames = [], time.time(), 0
    for i, s in enumerate(recognize.candidates()[:a.n]):
        codes, eos = generate(model, s, S0, 1 if a.greedy else a.top_k, a.temperature, a.seed + i)
        frames += len(codes)
        y = codec.decode(codes, cb, inv) if len(codes) else np.zeros(codec.HOP)
        y *= 0.9 / max(1e-9, np.abs(y).max())
        path = os.path.join(out, f"{a.speaker}-{i:02d}.wav")
        codec.write_wav(path, y)
        pairs.append((path, s))
        print(f"  {s!r}: {len(codes)} frames ({len(codes) / 50:.1f} s){'' if eos else ', no EOS'}", flush=True)
    n, res = recognize.judge(pairs)
    for e, h in res:
        if e != h:
            print(f"  miss: {e!r} heard {h!r}")
    print(f"step {st['step']}: {n}/{len(pairs)} recognized ({a.speaker}, "
          f"{'greedy' if a.greedy else f'top-k {a.top_k} T {a.temperature}'}; {frames} frames, {time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
