"""Write the random-weight gla-tts reference package into models/lina-reference/.

    /usr/bin/python3 models/lina-reference/make_package.py

Needs tokenizer.json beside this file (make_tokenizer.py writes it). Writes model.json,
weights.safetensors, voices/demo.safetensors (rank 1, random), and two golden runs:
  golden/        zero initial state
  golden-voice/  initial state from voices/demo.safetensors (also saved as initial_state.safetensors)
each with text.txt, text_ids.npy (int64 [J], "[BOS]" + text + "[EOS]"), input.npy (int64
[T, n_quant], teacher forced, row 0 = BOS), output.npy (float32 [T, n_quant*(n_codebook+3)],
logits of step t in row t, quantizer-major) and final_state.safetensors: the step-by-step run in
float64, cast to float32. Before writing, it is asserted to equal the parallel (closed-form) run
and to be matched by a float32 step run within 2e-4 relative.
The weights are random (seed 0): for correctness tests only, they make no speech.
"""
import os
import shutil
import sys
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
import make_tokenizer  # noqa: E402
from edge_package import write_package, write_safetensors  # noqa: E402

TEXT = "The Edge runtime reads 42 words, then speaks: quietly, and in order!"
CONFIG = lina.config_defaults(d_model=64, heads=2, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=16,
                              gate_logit_normalizer=16, use_short_conv=True, conv_size=4, encoder_layers=2,
                              decoder_layers=2, d_blind=32, pos_type="convolutional", n_quant=1, n_codebook=64,
                              text_vocab=256, text_layers=2, text_heads=2, eps=1e-5)
LICENCE = ("random weights, no training data; code and files of the Edge project. tokenizer.json: trained by "
           "make_tokenizer.py on Jane Austen's novels (public domain).")


def random_voice(model, seed, rank=1):
    """A voice file as Lina's initial_state.py stores it: layer{i}_k [1,r,H,Kh,1], layer{i}_v [1,r,H,1,Vh]."""
    g = torch.Generator().manual_seed(seed)
    rnn = model.attentive_rnn
    voice = OrderedDict()
    for i, b in enumerate(list(rnn.encoder) + list(rnn.decoder)):
        H, K, V = b.tmix.num_heads, b.tmix.head_qk_dim, b.tmix.head_v_dim
        voice[f"layer{i}_k"] = torch.randn(1, rank, H, K, 1, generator=g).numpy()
        voice[f"layer{i}_v"] = torch.randn(1, rank, H, 1, V, generator=g).numpy()
    return voice


def teacher_ids(cfg, T, seed):
    """BOS row, random codes, one PAD (id 0 is an ordinary embedding row), EOS row last."""
    rng = np.random.RandomState(seed)
    ids = rng.randint(lina.N_SPECIAL, cfg["n_codebook"] + lina.N_SPECIAL, size=(T, cfg["n_quant"])).astype(np.int64)
    ids[0, :] = 1
    ids[T // 2, 0] = 0
    ids[-1, :] = 2
    return ids


def state_numpy(state):
    return OrderedDict((k, v.detach().float().numpy().copy()) for k, v in state.items())


def golden_run(model, folder, text, tok, ids, voice=None, tol=2e-4):
    """Golden = the step-by-step run in float64 (cast to float32). Asserted first: it equals the
    parallel form (float64) to 1e-9, and the float32 step run stays within `tol` (relative)."""
    os.makedirs(folder, exist_ok=True)
    text_ids = np.array(make_tokenizer.encode(tok, "[BOS]" + text + "[EOS]"), dtype=np.int64)
    S0 = lina.voice_layer_states(model, voice) if voice is not None else None
    state0 = model.init_state(S0)
    state64 = OrderedDict((k, v.double()) for k, v in state0.items())
    t_ids, t_in = torch.from_numpy(text_ids), torch.from_numpy(ids)
    m64 = _double(model)
    logits, final = m64.run_steps(t_ids, t_in, state64)
    lp, fp = m64.forward_parallel(t_ids, t_in, state64)
    l32, f32 = model.run_steps(t_ids, t_in, state0)
    scale = max(1.0, logits.abs().max().item())
    e_par = (logits - lp).abs().max().item()
    e32 = (l32.double() - logits).abs().max().item()
    assert e_par < 1e-9 * scale, f"{folder}: step vs parallel logits differ by {e_par}"
    assert e32 < tol * scale, f"{folder}: float32 steps differ from float64 by {e32} (scale {scale})"
    for k in final:
        sk = max(1.0, final[k].abs().max().item())
        assert (final[k] - fp[k]).abs().max().item() < 1e-9 * sk, f"{folder}: parallel state {k} differs"
        assert (f32[k].double() - final[k]).abs().max().item() < tol * sk, f"{folder}: float32 state {k} differs"
    T = ids.shape[0]
    with open(os.path.join(folder, "text.txt"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    np.save(os.path.join(folder, "text_ids.npy"), text_ids)
    np.save(os.path.join(folder, "input.npy"), ids)
    np.save(os.path.join(folder, "output.npy"), logits.reshape(T, -1).float().numpy())
    write_safetensors(os.path.join(folder, "final_state.safetensors"), state_numpy(final))
    if voice is not None:
        write_safetensors(os.path.join(folder, "initial_state.safetensors"), state_numpy(state0))
    return e_par, e32, scale


def _double(model):
    import copy
    return copy.deepcopy(model).double()


def write_model_package(folder, cfg, seed, T, text, tokenizer_src, script, voice_seed=None, golden_dirs=True):
    """Random model + package + golden/ (+ golden-voice/ and voices/demo.safetensors if voice_seed)."""
    os.makedirs(folder, exist_ok=True)
    tok_dst = os.path.join(folder, "tokenizer.json")
    if os.path.abspath(tokenizer_src) != os.path.abspath(tok_dst):
        shutil.copyfile(tokenizer_src, tok_dst)
    tok = make_tokenizer.load(tok_dst)
    model = lina.build(cfg, seed)
    write_package(folder, "gla-tts", dict(cfg), lina.state_dict_numpy(model),
                  provenance={"data": f"random weights (torch seed {seed}); no training data",
                              "licence": LICENCE, "script": script},
                  extra_files=["tokenizer.json"], tokenizer="tokenizer.json")
    ids = teacher_ids(cfg, T, seed + 1)
    report = {"golden": golden_run(model, os.path.join(folder, "golden"), text, tok, ids)}
    if voice_seed is not None:
        voice = random_voice(model, voice_seed)
        os.makedirs(os.path.join(folder, "voices"), exist_ok=True)
        write_safetensors(os.path.join(folder, "voices", "demo.safetensors"), voice)
        report["golden-voice"] = golden_run(model, os.path.join(folder, "golden-voice"), text, tok, ids, voice)
    return model, report


def main():
    tok = os.path.join(HERE, "tokenizer.json")
    if not os.path.exists(tok):
        sys.exit("tokenizer.json is missing: run make_tokenizer.py first")
    _, report = write_model_package(HERE, CONFIG, 0, 120, TEXT, tok, "models/lina-reference/make_package.py",
                                    voice_seed=100)
    for k, (e_par, e32, scale) in report.items():
        print(f"{k}: float64 step vs parallel {e_par:.1e}, float32 vs float64 steps {e32:.1e} (max |logit| {scale:.2f})")
    for root, _, files in os.walk(HERE):
        for f in files:
            p = os.path.join(root, f)
            assert os.path.getsize(p) < 2 << 20, f"{p} is over 2 MB"


if __name__ == "__main__":
    main()
