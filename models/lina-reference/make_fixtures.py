"""Write the random-weight gla-tts test fixtures into tests/fixtures/gla/.

    /usr/bin/python3 models/lina-reference/make_fixtures.py [out_dir]

Small packages of different shapes (golden runs of T = 60 steps, float64 step run cast to
float32, asserted equal to the parallel form) and gla_layer_parallel.safetensors: one GLA
layer's weights, an input X [T,d] and the parallel-form outputs. See tests/fixtures/gla/README.md.
"""
import os
import sys
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "common"))

import lina  # noqa: E402
from edge_package import write_safetensors  # noqa: E402
from make_package import write_model_package  # noqa: E402

T = 60
TEXT = "Small model, short text: 7 steps."

# name: (seed, voice_seed, config overrides)
FIXTURES = {
    # one head, no short convolutions (state = S only), sinusoidal positions, 2 quantizers,
    # encoder and decoder depths differ
    "h1-noconv-sin": (11, 111, dict(d_model=32, heads=1, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=8,
                                    use_short_conv=False, encoder_layers=1, decoder_layers=2, d_blind=16,
                                    pos_type="sinusoidal", n_quant=2, n_codebook=16, text_layers=1,
                                    text_heads=1)),
    # four heads, Kd = d/2 and Vd = d (expand_k 0.5, expand_v 1), normalizer 8, eps 1e-6
    "h4-conv": (12, 112, dict(d_model=64, heads=4, expand_k=0.5, expand_v=1.0, gate_low_rank_dim=16,
                              gate_logit_normalizer=8, use_short_conv=True, encoder_layers=2, decoder_layers=1,
                              d_blind=32, pos_type="convolutional", n_quant=1, n_codebook=32, text_layers=2,
                              text_heads=4, eps=1e-6)),
    # text head dim 18: rotary on 8 of 18 dims, freqs = 10000^(-2i/9) (read them from the weights),
    # 3 quantizers, conv_size 3
    "h2-odd-rotary": (13, None, dict(d_model=36, heads=2, expand_k=1.0, expand_v=2.0, gate_low_rank_dim=4,
                                     use_short_conv=True, conv_size=3, encoder_layers=1, decoder_layers=1,
                                     d_blind=12, pos_type="convolutional", n_quant=3, n_codebook=8,
                                     text_layers=2, text_heads=2)),
}


def gla_layer_fixture(path, seed=21, T=T):
    cfg = dict(hidden_size=32, num_heads=2, expand_k=1.0, expand_v=2.0, use_short_conv=True, conv_size=4,
               gate_low_rank_dim=8, gate_logit_normalizer=16, eps=1e-5)
    torch.manual_seed(seed)
    layer = lina.GatedLinearAttention(**cfg)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in layer.named_parameters():
            if name.startswith("g_norm"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            elif "conv1d" in name:
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[-1] ** 0.5)
    X = torch.randn(T, cfg["hidden_size"], generator=g)
    init = layer.init_state("init")
    init = OrderedDict((k, torch.randn(v.shape, generator=g) * (0.3 if k.endswith(".S") else 1.0))
                       for k, v in init.items())
    l64 = layer.double()
    out = OrderedDict((k, v.detach().float().numpy()) for k, v in layer.state_dict().items())
    with torch.no_grad():
        Y, fin = l64.forward_parallel(X.double(), None, "final")
        Yi, fini = l64.forward_parallel(X.double(), OrderedDict((k, v.double()) for k, v in init.items()), "init")
        # the recurrent steps agree with the parallel form
        for S_in, Yref, fref in ((l64.init_state("s"), Y, fin),
                                 (OrderedDict(("s" + k[4:], v.double()) for k, v in init.items()), Yi, fini)):
            st = OrderedDict((k, v.double()) for k, v in S_in.items())
            Ys = torch.stack([l64.step(X[t].double(), st, "s") for t in range(T)])
            assert (Ys - Yref).abs().max() < 1e-9, "GLA step vs parallel"
            for k, v in fref.items():
                assert (st["s" + k[k.index("."):]] - v).abs().max() < 1e-9, k
    out["X"] = X.numpy()
    out["Y"] = Y.float().numpy()
    for k, v in fin.items():
        out[k] = v.float().numpy()
    for k, v in init.items():
        out[k] = v.float().numpy()
    out["Y_init"] = Yi.float().numpy()
    for k, v in fini.items():
        out["final_init" + k[4:]] = v.float().numpy()
    meta = {k: v for k, v in cfg.items()}
    meta["T"] = T
    write_safetensors(path, out, metadata=meta)


def main():
    out_root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "gla")
    os.makedirs(out_root, exist_ok=True)
    tok = os.path.join(HERE, "tokenizer.json")
    for name, (seed, voice_seed, over) in FIXTURES.items():
        cfg = lina.config_defaults(**over)
        _, report = write_model_package(os.path.join(out_root, name), cfg, seed, T, TEXT, tok,
                                        "models/lina-reference/make_fixtures.py", voice_seed=voice_seed)
        for k, (e_par, e32, scale) in report.items():
            print(f"{name}/{k}: step vs parallel {e_par:.1e}, float32 vs float64 {e32:.1e}, max |logit| {scale:.2f}")
    gla_layer_fixture(os.path.join(out_root, "gla_layer_parallel.safetensors"))
    print("wrote", out_root)


if __name__ == "__main__":
    main()
