"""Write the tiny random-weight gla-tts package the speech tests run: tests/fixtures/speech/tts-tiny/.

    /usr/bin/python3 models/tts-default/make_test_package.py

The default voice model's shape at toy size: Lina-Speech (lina.py) with d_model 32, n_quant 1,
n_codebook 256, text_vocab 40, the one-id-per-character tokenizer of text.py, a copy of this folder's
codec/ (the real mel-vq codec), and two random voices in Lina's rank form: voices/default.safetensors
(the voice used when none is given) and voices/other.safetensors. Deterministic (torch seed 0).
The weights are random: the audio is noise-like, for correctness tests only (streaming, seeds,
cancellation, allocation, the command line), never for intelligibility.
"""
import os
import shutil
import sys
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "lina-reference"))
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
import text as textmod  # noqa: E402
from edge_package import write_package, write_safetensors  # noqa: E402

OUT = os.path.join(ROOT, "tests", "fixtures", "speech", "tts-tiny")
CONFIG = lina.config_defaults(d_model=32, heads=2, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=8,
                              gate_logit_normalizer=16, use_short_conv=True, conv_size=4, encoder_layers=1,
                              decoder_layers=1, d_blind=16, pos_type="convolutional", n_quant=1, n_codebook=256,
                              text_vocab=textmod.TEXT_VOCAB, text_layers=1, text_heads=2, eps=1e-5)


def random_voice(model, seed, rank=1):
    """Lina's initial_state.py form: layer{i}_k [1,r,H,Kh,1], layer{i}_v [1,r,H,1,Vh]."""
    g = torch.Generator().manual_seed(seed)
    voice = OrderedDict()
    rnn = model.attentive_rnn
    for i, b in enumerate(list(rnn.encoder) + list(rnn.decoder)):
        H, K, V = b.tmix.num_heads, b.tmix.head_qk_dim, b.tmix.head_v_dim
        voice[f"layer{i}_k"] = (3 * torch.randn(1, rank, H, K, 1, generator=g)).numpy()
        voice[f"layer{i}_v"] = (3 * torch.randn(1, rank, H, 1, V, generator=g)).numpy()
    return voice


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "voices"))
    shutil.copytree(os.path.join(HERE, "codec"), os.path.join(OUT, "codec"))
    textmod.write_tokenizer(os.path.join(OUT, "tokenizer.json"))
    model = lina.build(CONFIG, 0)
    write_safetensors(os.path.join(OUT, "voices", "default.safetensors"), random_voice(model, 1))
    write_safetensors(os.path.join(OUT, "voices", "other.safetensors"), random_voice(model, 2))
    files = ["tokenizer.json", "codec/codec.json", "codec/codec.safetensors",
             "voices/default.safetensors", "voices/other.safetensors"]
    write_package(OUT, "gla-tts", dict(CONFIG), lina.state_dict_numpy(model),
                  provenance={"data": "random weights (torch seed 0); no training data",
                              "script": "models/tts-default/make_test_package.py",
                              "licence": "random weights; code and files of the Edge project"},
                  extra_files=files, tokenizer="tokenizer.json", codec="codec", voices="voices")
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT) for f in fs)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
