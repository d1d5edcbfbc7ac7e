"""Initial-state tuning (Lina-Speech's voice method): learn a new speaker's per-layer initial state
(rank r factors layer{i}_k, layer{i}_v, S0 = 0.02 * sum_r k (x) v, as train.py learns one per training
speaker) from a few minutes of that speaker's audio, with the exported model frozen. Works from this
package (model.json, weights.safetensors, codec/, voices/), not from a training checkpoint.

The speaker here is espeak-ng's en-us-nyc, held out of the model's training. Its sentences come from the
same Jane Austen corpus as make_data.py's but from the far end of its shuffled order (make_data.py uses
the first 4,234), and none of tests/fixtures/speech/sentences.txt (the evaluation sentences) is among them.

Writes a voice file Edge loads: the rank form, with metadata binding it to this package's model sha256
(as Edge's own voices are bound), so the runtime refuses it once the model is re-exported.

    /usr/bin/python3 tune_voice.py                       # cloned/en-us-nyc-tuned.safetensors
    /usr/bin/python3 tune_voice.py --minutes-audio 3 --steps 60 --voice en-us-nyc --init en-us
"""
import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, os.path.join(HERE, "..", "lina-reference"))
import edge_package  # noqa: E402
import lina  # noqa: E402

import codec  # noqa: E402
import make_data  # noqa: E402
import text as textmod  # noqa: E402
import train  # noqa: E402


def model_sha256(folder):
    """Edge's model identity (ModelPackage.Sha256): SHA-256 over model.json's bytes and the weights' hex digest."""
    with open(os.path.join(folder, "model.json"), "rb") as f:
        raw = f.read()
    manifest = json.loads(raw)
    weights = manifest["sha256"].get(manifest["weights"]) or edge_package.sha256_file(
        os.path.join(folder, manifest["weights"]))
    return hashlib.sha256(raw + weights.encode("ascii")).hexdigest(), manifest


def load_model(folder):
    sha, manifest = model_sha256(folder)
    cfg = lina.config_defaults(**manifest["config"])
    model = lina.LinaModel(cfg)
    tensors, _ = edge_package.read_safetensors(os.path.join(folder, manifest["weights"]))
    model.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in tensors.items()})
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model, cfg, sha, manifest


def speaker_data(voice, minutes, work, skip_first):
    """espeak-ng `voice` speaking corpus sentences from the end of make_data.py's shuffled order, ~`minutes` of audio."""
    test = [l.strip() for l in open(os.path.join(HERE, "..", "..", "tests", "fixtures", "speech", "sentences.txt"))
            if l.strip()]
    os.makedirs(make_data.DATA, exist_ok=True)
    sents = make_data.sentences(make_data.austen_text(), test)
    np.random.default_rng(0).shuffle(sents)                    # make_data.py's order (seed 0)
    pool = sents[skip_first:]
    os.makedirs(work, exist_ok=True)
    items, seconds = [], 0.0
    for i, s in enumerate(reversed(pool)):
        if seconds >= minutes * 60:
            break
        path = os.path.join(work, f"{voice.replace('+', '_')}-{i:04d}.wav")
        if not os.path.exists(path):
            make_data.synth(voice, s, path)
        x = codec.read_wav(path)
        seconds += len(x) / codec.SAMPLE_RATE
        items.append((s, x))
    return items, seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", default=HERE)
    ap.add_argument("--voice", default=make_data.HELD_OUT, help="espeak-ng voice to learn")
    ap.add_argument("--minutes-audio", type=float, default=8.0)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--init", default="en-us", help="package voice to start from (a training speaker)")
    ap.add_argument("--frames-per-batch", type=int, default=1500)
    ap.add_argument("--skip-first", type=int, default=6000, help="corpus sentences make_data.py may use")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(HERE, "cloned", "en-us-nyc-tuned.safetensors"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    t_start = time.time()

    model, cfg, sha, manifest = load_model(a.package)
    cb, _ = edge_package.read_safetensors(os.path.join(a.package, manifest["codec"], "codec.safetensors"))
    codebook = cb["codebook"].astype(np.float64)
    items, seconds = speaker_data(a.voice, a.minutes_audio, os.path.join(HERE, "out", "tune", "wav"), a.skip_first)
    codes = [codec.encode(x, codebook).astype(np.int64) for _, x in items]
    tids = [textmod.encode(s) for s, _ in items]
    t_data = time.time() - t_start
    print(f"{a.voice}: {len(items)} sentences, {seconds / 60:.1f} min of audio, "
          f"{sum(len(c) for c in codes)} frames ({t_data:.0f} s to synthesize and encode)", flush=True)

    # The starting point: a training speaker's factors (rank r), so step 0 is a voice the model already speaks.
    L = cfg["encoder_layers"] + cfg["decoder_layers"]
    init, _ = edge_package.read_safetensors(os.path.join(a.package, manifest["voices"], f"{a.init}.safetensors"))
    k0 = np.stack([init[f"layer{i}_k"][0, :, :, :, 0] for i in range(L)])          # [L, r, H, K]
    v0 = np.stack([init[f"layer{i}_v"][0, :, :, 0, :] for i in range(L)])          # [L, r, H, V]
    if a.rank != k0.shape[1]:
        k0 = np.concatenate([k0, rng.normal(0, 0.05, (L, a.rank, *k0.shape[2:]))], 1)[:, :a.rank]
        v0 = np.concatenate([v0, rng.normal(0, 0.05, (L, a.rank, *v0.shape[2:]))], 1)[:, :a.rank]
    vk = torch.nn.Parameter(torch.tensor(k0, dtype=torch.float32).unsqueeze(1))     # [L, 1, r, H, K]
    vv = torch.nn.Parameter(torch.tensor(v0, dtype=torch.float32).unsqueeze(1))
    opt = torch.optim.Adam([vk, vv], lr=a.lr)

    # Batches of about frames_per_batch frames; the last 10 % of the sentences only measure the loss.
    n_val = max(2, len(items) // 10)
    train_idx, val_idx = list(range(len(items) - n_val)), list(range(len(items) - n_val, len(items)))

    def batch(idx):
        B, J, T = len(idx), max(len(tids[i]) for i in idx), max(len(codes[i]) for i in idx) + 1
        text = torch.zeros(B, J, dtype=torch.long)
        inp = torch.zeros(B, T, dtype=torch.long)
        tgt = torch.full((B, T), -100, dtype=torch.long)
        tlen = torch.zeros(B, dtype=torch.long)
        for b, i in enumerate(idx):
            text[b, :len(tids[i])] = torch.tensor(tids[i])
            c = torch.from_numpy(codes[i]) + lina.N_SPECIAL
            inp[b, :len(c) + 1] = torch.cat([torch.tensor([1]), c])
            tgt[b, :len(c)] = c
            tgt[b, len(c)] = 2
            tlen[b] = len(tids[i])
        tmask = torch.arange(J)[None, :] < tlen[:, None]
        return text, tmask, inp, tgt, torch.zeros(B, dtype=torch.long)

    def loss_of(idx):
        text, tmask, inp, tgt, spk = batch(idx)
        logits, _, _ = train.forward(model, vk, vv, text, tmask, inp, spk)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1))

    def validation():
        with torch.no_grad():
            return loss_of(val_idx).item()

    def batches():
        order = sorted(train_idx, key=lambda i: len(codes[i]) + rng.random() * 8)
        out, cur = [], []
        for i in order:
            if cur and (len(cur) + 1) * (len(codes[i]) + 1) > a.frames_per_batch:
                out.append(cur)
                cur = []
            cur.append(i)
        out.append(cur)
        rng.shuffle(out)
        return out

    v_start = validation()
    print(f"validation CE from the {a.init} voice: {v_start:.3f}", flush=True)
    t0, step, queue = time.time(), 0, []
    while step < a.steps:
        if not queue:
            queue = batches()
        loss = loss_of(queue.pop())
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 10 == 0 or step == a.steps:
            print(f"  step {step}: train CE {loss.item():.3f}, validation {validation():.3f}, "
                  f"{time.time() - t0:.0f} s", flush=True)
    train_seconds = time.time() - t0
    v_end = validation()

    voice = {}
    for i in range(L):
        voice[f"layer{i}_k"] = vk[i, 0].detach().unsqueeze(0).unsqueeze(-1).numpy().astype(np.float32)   # [1,r,H,K,1]
        voice[f"layer{i}_v"] = vv[i, 0].detach().unsqueeze(0).unsqueeze(-2).numpy().astype(np.float32)   # [1,r,H,1,V]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    edge_package.write_safetensors(a.out, voice, {
        "format": "edge-voice", "format_version": "1", "family": "gla-tts", "model_sha256": sha, "steps": "0",
        "made_by": "models/tts-default/tune_voice.py", "speaker": f"espeak-ng {a.voice}",
        "audio_minutes": f"{seconds / 60:.2f}", "tuning_steps": str(a.steps),
        "validation_ce": f"{v_start:.4f} -> {v_end:.4f}"})
    print(f"wrote {os.path.relpath(a.out)}: validation CE {v_start:.3f} -> {v_end:.3f}; "
          f"training {train_seconds:.0f} s ({train_seconds / a.steps:.2f} s/step, {a.threads} thread), "
          f"{time.time() - t_start:.0f} s in all", flush=True)


if __name__ == "__main__":
    sys.exit(main())
