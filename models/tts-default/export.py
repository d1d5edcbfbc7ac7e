"""Write the default voice package into this folder from data/ and checkpoints/last.pt:

  model.json, weights.safetensors     gla-tts (Lina-Speech names), float16 ("precision": "fp16")
  tokenizer.json                      one id per character (text.py)
  codec/codec.json, codec/codec.safetensors   the mel-vq codec (codec.py): codebook, filterbank, inverse
  voices/<speaker>.safetensors        each training speaker's learned initial state (Lina's rank form);
                                      voices/default.safetensors is en-us, the voice used when none is given
  golden-voice/                       a teacher-forced run of the exported model with the default voice,
                                      in float64 (lina.py), for the runtime's golden test

    /usr/bin/python3 export.py --codec-only     # just codec/ (needs data/codebook.npy)
    /usr/bin/python3 export.py                  # everything
"""
import argparse
import json
import os
import sys
from collections import OrderedDict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, os.path.join(HERE, "..", "lina-reference"))
import edge_package  # noqa: E402

import codec  # noqa: E402
import text as textmod  # noqa: E402

DEFAULT_SPEAKER = "en-us"


def export_codec(lookahead, iterations):
    cb = np.load(os.path.join(HERE, "data", "codebook.npy")).astype(np.float32)
    fb = codec.mel_filterbank()
    folder = os.path.join(HERE, "codec")
    os.makedirs(folder, exist_ok=True)
    edge_package.write_safetensors(os.path.join(folder, "codec.safetensors"), OrderedDict(
        codebook=cb, filterbank=fb.astype(np.float32), inverse=np.linalg.pinv(fb).astype(np.float32)))
    with open(os.path.join(folder, "codec.json"), "w") as f:
        json.dump(codec.config(len(cb), lookahead, iterations), f, indent=2)
        f.write("\n")
    print(f"wrote codec/ ({len(cb)} codes)")


def export_model(checkpoint):
    import torch
    import lina
    st = torch.load(checkpoint)
    cfg = st["cfg"]
    model = lina.LinaModel(cfg)
    # float16 weights (6.9 MB instead of 13.8; the runtime widens them to float32 at load). The model is
    # rounded the same way first, so the golden run below is of exactly the weights shipped.
    model.load_state_dict(OrderedDict((k, v.half().float()) for k, v in st["model"].items()))
    tensors = OrderedDict((k, v.detach().numpy().astype(np.float16)) for k, v in model.state_dict().items())
    textmod.write_tokenizer(os.path.join(HERE, "tokenizer.json"))

    vdir = os.path.join(HERE, "voices")
    os.makedirs(vdir, exist_ok=True)
    vk, vv = st["voice_k"], st["voice_v"]                 # [L, S, r, H, K], [L, S, r, H, V]
    for s, name in enumerate(st["speakers"]):
        voice = OrderedDict()
        for i in range(vk.shape[0]):
            voice[f"layer{i}_k"] = vk[i, s].unsqueeze(0).unsqueeze(-1).numpy().astype(np.float32)   # [1,r,H,K,1]
            voice[f"layer{i}_v"] = vv[i, s].unsqueeze(0).unsqueeze(-2).numpy().astype(np.float32)   # [1,r,H,1,V]
        names = [name] + (["default"] if name == DEFAULT_SPEAKER else [])
        for n in names:
            edge_package.write_safetensors(os.path.join(vdir, f"{n}.safetensors"), voice)
    files = ["tokenizer.json", "codec/codec.json", "codec/codec.safetensors"] + sorted(
        f"voices/{f}" for f in os.listdir(vdir))
    provenance = {
        "made_by": "models/tts-default/train.py, export.py",
        "data": "Jane Austen's novels (public domain; Debian r-cran-janeaustenr) spoken by espeak-ng voices "
                + ", ".join(st["speakers"]),
        "training_steps": st["step"], "training_minutes": round(st["elapsed"] / 60, 1),
    }
    edge_package.write_package(HERE, "gla-tts", dict(cfg), tensors, provenance, extra_files=files,
                               weights_dtype=np.float16, precision="fp16",
                               tokenizer="tokenizer.json", codec="codec", voices="voices")
    golden(model, os.path.join(vdir, "default.safetensors"))
    print(f"wrote the package: {sum(v.size for v in tensors.values()) / 1e6:.2f} M parameters, "
          f"step {st['step']}, voices {st['speakers']}")


def golden(model, voice_path):
    """golden-voice/: the first validation utterance's text and its first 48 codes, teacher forced."""
    import make_package
    import make_tokenizer
    z = np.load(os.path.join(HERE, "data", "dataset.npz"))
    n = len(z["texts"])
    i = n - max(8, n // 50)                                   # the first validation utterance (train.py)
    codes = z["codes"][z["offsets"][i]:z["offsets"][i + 1]][:48].astype(np.int64) + 3
    ids = np.concatenate([[1], codes]).reshape(-1, 1).astype(np.int64)
    voice, _ = edge_package.read_safetensors(voice_path)
    tok = make_tokenizer.load(os.path.join(HERE, "tokenizer.json"))
    e_par, e32, scale = make_package.golden_run(model, os.path.join(HERE, "golden-voice"), str(z["texts"][i]), tok, ids,
                                                voice=voice)
    print(f"golden-voice: {len(ids)} steps; float32 within {e32:.2e} of float64 (logits up to {scale:.1f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--codec-only", action="store_true")
    ap.add_argument("--checkpoint", default=os.path.join(HERE, "checkpoints", "last.pt"))
    ap.add_argument("--lookahead", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=8)
    a = ap.parse_args()
    export_codec(a.lookahead, a.iterations)
    if not a.codec_only:
        export_model(a.checkpoint)


if __name__ == "__main__":
    main()
