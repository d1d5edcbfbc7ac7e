"""Convert a Lina-Speech training checkpoint into an Edge gla-tts package.

    /usr/bin/python3 models/lina-reference/convert.py CKPT OUT_DIR --tokenizer TOKENIZER.json \
        [--voice NAME=VOICE.safetensors ...] [--text-heads N] [--licence TEXT]

CKPT is what Lina-Speech's train_lina.py saves (PyTorch Lightning): a torch.save dict whose
`state_dict` holds the LightningModule's keys, i.e. "model." + LinaModel's keys (TrainLina keeps
the LinaModel in `self.model`), and whose `hyper_parameters` holds TrainLina's init arguments. A
bare LinaModel state_dict (no prefix) is accepted too. If the checkpoint pickled Lina's own
classes (LightningCLI can save module objects as hyper-parameters), they are loaded as inert
stubs, so Lina's code is not needed here.

The config is read from the tensor shapes (d_model, heads, expand_k/v, gate_low_rank_dim,
use_short_conv, conv_size, layer counts, d_blind, pos_type, n_quant, n_codebook, text_vocab,
text_layers); text_heads from hyper_parameters (txt_encoder.init_args.heads), else from the rotary
table's length when that is unambiguous, else --text-heads. gate_logit_normalizer (16) and eps
(1e-5) are constants in Lina's code. Every tensor is checked by loading it into lina.py's
LinaModel with strict=True; tensors are written as float32.

The tokenizer must be the one the checkpoint was trained with (text ids index txt_embed): for
Lina-Speech's released models that is its bpe256.json, under its own licence. Edge's own
tokenizer.json (make_tokenizer.py) only fits models trained with it.
"""
import argparse
import os
import pickle
import shutil
import sys
import types
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
from edge_package import read_safetensors, write_package, write_safetensors  # noqa: E402

PREFIX = "model."


# ------------------------------------------------------------------------------ loading

class _Stub:
    """Stands in for any class the checkpoint pickled but this process cannot import."""

    def __init__(self, *a, **k):
        pass

    def __setstate__(self, state):
        self.__dict__["_state"] = state

    def __call__(self, *a, **k):
        return _Stub()


class _StubUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Stub,), {"__module__": "stub." + module})


_stub_pickle = types.ModuleType("stub_pickle")
_stub_pickle.Unpickler = _StubUnpickler
_stub_pickle.load = pickle.load
_stub_pickle.__name__ = "pickle"


def load_checkpoint(path):
    try:
        return torch.load(path, map_location="cpu")
    except (ModuleNotFoundError, AttributeError, ImportError):
        # Some torch builds ignore pickle_module unless weights_only is set; their Unpickler
        # subclass is built from pickle.Unpickler at call time, so swap that in too.
        saved = pickle.Unpickler
        pickle.Unpickler = _StubUnpickler
        try:
            return torch.load(path, map_location="cpu", pickle_module=_stub_pickle)
        finally:
            pickle.Unpickler = saved


def lina_state_dict(ckpt):
    sd = ckpt["state_dict"] if isinstance(ckpt, dict) and "state_dict" in ckpt else ckpt
    if not isinstance(sd, dict) or not sd:
        raise ValueError("checkpoint has no state_dict")
    keys = list(sd)
    if all(k.startswith(PREFIX) for k in keys):
        sd = OrderedDict((k[len(PREFIX):], v) for k, v in sd.items())
    elif any(k.startswith(PREFIX) for k in keys):
        others = [k for k in keys if not k.startswith(PREFIX)][:5]
        raise ValueError(f"state_dict mixes '{PREFIX}' keys with others, e.g. {others}")
    return OrderedDict((k, v.detach().float()) for k, v in sd.items())


def _hp_get(hp, *path):
    cur = hp
    for p in path:
        if isinstance(cur, dict):
            if p in cur:
                cur = cur[p]
            elif "init_args" in cur and p in cur["init_args"]:
                cur = cur["init_args"][p]
            else:
                return None
        else:
            d = getattr(cur, "__dict__", {})
            if p in d:
                cur = d[p]
            else:
                return None
    return cur


# ------------------------------------------------------------------------------ config

def infer_config(sd, hp=None, text_heads=None):
    def need(name):
        if name not in sd:
            raise ValueError(f"checkpoint lacks tensor {name}: not a Lina-Speech AttentiveGLA model "
                             "with BlindCrossAttention")
        return sd[name]

    unsupported = [k for k in sd if k.startswith("spk_encoder.") or k.startswith("attentive_rnn.cross_att.rotary.")
                   or k.startswith("attentive_rnn.cross_att.ca.") or k.startswith("attentive_rnn.blocks.")]
    if unsupported:
        raise ValueError(f"unsupported Lina variant (speaker encoder, rotary or non-blind cross-attention, or "
                         f"CrossAttGLA): {unsupported[:4]}")
    d = need("txt_embed.weight").shape[1]
    text_vocab = sd["txt_embed.weight"].shape[0]
    n_enc = len({k.split(".")[2] for k in sd if k.startswith("attentive_rnn.encoder.")})
    n_dec = len({k.split(".")[2] for k in sd if k.startswith("attentive_rnn.decoder.")})
    n_txt = len({k.split(".")[2] for k in sd if k.startswith("txt_encoder.sa.")})
    g0 = "attentive_rnn.encoder.0.tmix."
    Kd = need(g0 + "q_proj.weight").shape[0]
    Vd = need(g0 + "v_proj.weight").shape[0]
    Vh = need(g0 + "g_norm_swish_gate.weight").shape[0]
    heads = Vd // Vh
    use_conv = (g0 + "q_conv1d.weight") in sd
    conv_size = sd[g0 + "q_conv1d.weight"].shape[2] if use_conv else 4
    d_blind = need("attentive_rnn.cross_att.pos_net.norm1.weight").shape[0]
    pos_type = "convolutional" if "attentive_rnn.cross_att.pos_embed.embed.weight" in sd else "sinusoidal"
    nq, n_tok, _ = need("rvq_embed.weight").shape
    lh = need("logits_head.weight").shape
    if tuple(lh) != (nq, n_tok, d):
        raise ValueError(f"logits_head.weight is {tuple(lh)}, expected [{nq},{n_tok},{d}] "
                         "(n_special_token_out must equal n_special_token_in = 3)")
    hp_heads = _hp_get(hp, "attentive_rnn", "heads") if hp is not None else None
    if isinstance(hp_heads, int) and hp_heads != heads:
        raise ValueError(f"hyper_parameters say {hp_heads} heads, the tensors {heads}")
    if text_heads is None and hp is not None:
        th = _hp_get(hp, "txt_encoder", "heads")
        text_heads = th if isinstance(th, int) else None
    if text_heads is None:
        fk = "txt_encoder.sa.0.tmix.rotary.freqs"
        if fk not in sd:
            raise ValueError("text encoder without rotary tables: pass --text-heads")
        nf = sd[fk].shape[0]
        cands = [h for h in range(1, d + 1) if d % h == 0 and ((d // h) // 2) // 2 == nf]
        if len(cands) != 1:
            raise ValueError(f"text_heads is ambiguous ({cands}) from the rotary table: pass --text-heads")
        text_heads = cands[0]
    return lina.config_defaults(
        d_model=d, heads=heads, expand_k=Kd / d, expand_v=Vd / d,
        gate_low_rank_dim=need(g0 + "gk_proj.0.weight").shape[0], gate_logit_normalizer=16,
        use_short_conv=use_conv, conv_size=conv_size, encoder_layers=n_enc, decoder_layers=n_dec,
        d_blind=d_blind, pos_type=pos_type, n_quant=nq, n_codebook=n_tok - lina.N_SPECIAL,
        text_vocab=text_vocab, text_layers=n_txt, text_heads=text_heads, eps=1e-5)


# ------------------------------------------------------------------------------ convert

def convert(ckpt_path, out_dir, tokenizer=None, voices=(), text_heads=None, licence=None):
    ckpt = load_checkpoint(ckpt_path)
    sd = lina_state_dict(ckpt)
    hp = ckpt.get("hyper_parameters") if isinstance(ckpt, dict) else None
    cfg = infer_config(sd, hp, text_heads)
    model = lina.LinaModel(cfg)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    if missing or unexpected:
        raise ValueError(f"tensors missing: {missing[:6]}; unexpected: {unexpected[:6]}")
    os.makedirs(out_dir, exist_ok=True)
    extra, top = [], {}
    if tokenizer:
        shutil.copyfile(tokenizer, os.path.join(out_dir, "tokenizer.json"))
        extra.append("tokenizer.json")
        top["tokenizer"] = "tokenizer.json"
    for spec in voices:
        name, path = spec.split("=", 1)
        v, _ = read_safetensors(path)
        lina.voice_layer_states(model, v)            # validates shapes against the model
        os.makedirs(os.path.join(out_dir, "voices"), exist_ok=True)
        write_safetensors(os.path.join(out_dir, "voices", name + ".safetensors"),
                          OrderedDict((k, a.astype("float32")) for k, a in v.items()))
    write_package(out_dir, "gla-tts", dict(cfg), lina.state_dict_numpy(model),
                  provenance={"data": f"converted from the Lina-Speech checkpoint {os.path.basename(ckpt_path)}",
                              "licence": licence or "that of the source checkpoint",
                              "script": "models/lina-reference/convert.py"},
                  extra_files=extra, **top)
    return cfg, model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ckpt")
    ap.add_argument("out_dir")
    ap.add_argument("--tokenizer", help="tokenizer.json the checkpoint was trained with")
    ap.add_argument("--voice", action="append", default=[], help="NAME=initial-state.safetensors")
    ap.add_argument("--text-heads", type=int)
    ap.add_argument("--licence")
    a = ap.parse_args()
    if not a.tokenizer:
        print("warning: no --tokenizer; the package will have none", file=sys.stderr)
    cfg, _ = convert(a.ckpt, a.out_dir, a.tokenizer, a.voice, a.text_heads, a.licence)
    print("wrote", a.out_dir, dict(cfg))


if __name__ == "__main__":
    main()
