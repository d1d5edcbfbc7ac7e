"""Check that convert.py turns a Lina-style checkpoint back into exactly the reference model.

    /usr/bin/python3 models/lina-reference/check_convert.py

For both hyper-parameter forms (LightningCLI dicts; pickled Lina classes, loaded in a fresh
process that cannot import them), make_test_ckpt.py writes a .ckpt, convert.py converts it with
this folder's tokenizer and demo voice, and this script asserts: the config equals
make_package.CONFIG, every tensor in weights.safetensors equals the checkpoint's bit for bit,
and the converted package reproduces golden/output.npy and golden-voice/output.npy.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
from edge_package import read_safetensors  # noqa: E402
from make_package import CONFIG  # noqa: E402


def check(pickled):
    tmp = tempfile.mkdtemp()
    ckpt, out = os.path.join(tmp, "lina.ckpt"), os.path.join(tmp, "pkg")
    py = sys.executable
    args = [py, os.path.join(HERE, "make_test_ckpt.py"), ckpt] + (["--pickled-hparams"] if pickled else [])
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([py, os.path.join(HERE, "convert.py"), ckpt, out, "--tokenizer", os.path.join(HERE, "tokenizer.json"),
                    "--voice", "demo=" + os.path.join(HERE, "voices", "demo.safetensors")],
                   check=True, stdout=subprocess.DEVNULL)
    doc = json.load(open(os.path.join(out, "model.json")))
    assert doc["config"] == dict(CONFIG), (doc["config"], dict(CONFIG))
    sd = __import__("convert").load_checkpoint(ckpt)["state_dict"]
    w, _ = read_safetensors(os.path.join(out, "weights.safetensors"))
    assert set(w) == {k[len("model."):] for k in sd}, "tensor names differ"
    for k, t in sd.items():
        a = w[k[len("model."):]]
        assert a.dtype == np.float32 and np.array_equal(a, t.numpy()), k
    ref, _ = read_safetensors(os.path.join(HERE, "weights.safetensors"))
    assert all(np.array_equal(ref[k], w[k]) for k in ref), "differs from the reference package"
    model = lina.LinaModel(doc["config"])
    model.load_state_dict({k: torch.from_numpy(v) for k, v in w.items()})
    model = model.double().eval()
    for gdir, voice in (("golden", None), ("golden-voice", os.path.join(out, "voices", "demo.safetensors"))):
        g = os.path.join(HERE, gdir)
        text_ids = torch.from_numpy(np.load(os.path.join(g, "text_ids.npy")))
        ids = torch.from_numpy(np.load(os.path.join(g, "input.npy")))
        S0 = lina.voice_layer_states(model, read_safetensors(voice)[0]) if voice else None
        st = {k: v.double() for k, v in model.init_state(S0).items()}
        logits, _ = model.run_steps(text_ids, ids, st)
        want = np.load(os.path.join(g, "output.npy"))
        err = np.abs(logits.reshape(ids.shape[0], -1).float().numpy() - want).max()
        assert err < 1e-5, f"{gdir}: converted package differs from the golden by {err}"
    return len(w)


def main():
    for pickled in (False, True):
        n = check(pickled)
        print(f"convert ok ({'pickled' if pickled else 'dict'} hyper_parameters): {n} tensors equal, goldens reproduced")


if __name__ == "__main__":
    main()
