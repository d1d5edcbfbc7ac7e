"""Write a checkpoint shaped like Lina-Speech's train_lina.py output, from lina.py's model.

    /usr/bin/python3 models/lina-reference/make_test_ckpt.py OUT.ckpt [--pickled-hparams]

The dict holds what PyTorch Lightning saves: `state_dict` with TrainLina's "model." prefix on
every LinaModel key, `hyper_parameters` with TrainLina's init arguments in LightningCLI's
class_path/init_args form, and Lightning's bookkeeping keys. With --pickled-hparams the
hyper-parameters hold an object of a class from a module named `model.gla` (as when Lightning
pickles Lina's own classes), so loading it needs convert.py's stub unpickler.
Model: make_package.CONFIG (Lina ties encoder and decoder depth), seed 0.
"""
import argparse
import os
import sys
import types
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import lina  # noqa: E402
from make_package import CONFIG  # noqa: E402


def hyper_parameters(cfg):
    return {
        "attentive_rnn": {"class_path": "model.gla.AttentiveGLA", "init_args": {
            "d_model": cfg["d_model"], "n_layer": cfg["encoder_layers"], "heads": cfg["heads"],
            "dropout_att": 0.1, "dropout": 0.0, "d_blind": cfg["d_blind"], "blind": True, "cross_att_pp": False,
            "rotary": False, "use_short_conv": cfg["use_short_conv"], "expand_k": cfg["expand_k"],
            "expand_v": cfg["expand_v"], "pos_type": cfg["pos_type"]}},
        "d_model": cfg["d_model"], "quant_layer": list(range(cfg["n_quant"])), "n_codebook": cfg["n_codebook"],
        "n_special_token_in": 3, "n_special_token_out": 3, "n_txt_vocab": cfg["text_vocab"], "tie_embed": False,
        "txt_encoder": {"class_path": "model.encoder.TextEncoder", "init_args": {
            "dim": cfg["d_model"], "heads": cfg["text_heads"], "n_layers": cfg["text_layers"], "dropout": 0.1,
            "rotary": True}},
        "spk_encoder": None, "learning_rate": 5e-4, "weight_decay": 0.1, "betas": [0.9, 0.999],
        "n_warmup_steps": 500, "n_training_steps": 300000, "mask_text_p": 0.0, "load_weights": None,
    }


def make_ckpt(path, cfg=CONFIG, seed=0, pickled_hparams=False):
    assert cfg["encoder_layers"] == cfg["decoder_layers"], "Lina's AttentiveGLA has one n_layer for both"
    model = lina.build(cfg, seed)
    sd = OrderedDict(("model." + k, v.clone()) for k, v in model.state_dict().items())
    hp = hyper_parameters(cfg)
    if pickled_hparams:
        fake = types.ModuleType("model.gla")
        cls = type("AttentiveGLA", (), {"__module__": "model.gla"})
        fake.AttentiveGLA = cls
        pkg = types.ModuleType("model")
        pkg.gla = fake
        sys.modules["model"], sys.modules["model.gla"] = pkg, fake
        obj = cls()
        obj.heads = cfg["heads"]
        hp["attentive_rnn"] = obj
    ckpt = {"epoch": 0, "global_step": 0, "pytorch-lightning_version": "2.4.0", "state_dict": sd,
            "loops": {}, "callbacks": {}, "optimizer_states": [], "lr_schedulers": [], "hyper_parameters": hp}
    torch.save(ckpt, path)
    if pickled_hparams:
        del sys.modules["model"], sys.modules["model.gla"]
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pickled-hparams", action="store_true")
    a = ap.parse_args()
    make_ckpt(a.out, pickled_hparams=a.pickled_hparams)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
