"""Independent float64 implementation of the `cae` family, written from README.md's equations
(explicit index arithmetic, no PyTorch). cae_reference.self_test compares it with the module.

    run(config, weights, xs [T, F] physical) -> outputs [T, 2] (score, flag)
"""
import numpy as np


def conv1d(x, w, b, stride):
    """x [C, L], w [O, C, k], pad (k-1)/2 zeros each side -> [O, L / stride]."""
    C, L = x.shape
    O, _, k = w.shape
    p = (k - 1) // 2
    out = np.empty((O, L // stride))
    for j in range(L // stride):
        acc = b.copy()
        for t in range(k):
            src = j * stride + t - p
            if 0 <= src < L:
                acc += w[:, :, t] @ x[:, src]
        out[:, j] = acc
    return out


def conv_transpose1d(x, w, b, stride):
    """x [C, L], w [C, O, k] -> [O, L * stride]: y[o, l*stride + t - p] += w[c, o, t] x[c, l]."""
    C, L = x.shape
    _, O, k = w.shape
    p = (k - 1) // 2
    n = L * stride
    out = np.tile(b[:, None], (1, n))
    for l in range(L):
        for t in range(k):
            j = l * stride + t - p
            if 0 <= j < n:
                out[:, j] += w[:, :, t].T @ x[:, l]
    return out


def score_window(cfg, wts, x):
    """x [F, W] normalised, oldest first -> score."""
    E = len(cfg["channels"])
    h = x
    for i in range(E):
        h = np.maximum(conv1d(h, wts[f"encoder.{i}.weight"], wts[f"encoder.{i}.bias"], cfg["strides"][i]), 0.0)
    c_last, l_last = h.shape
    z = wts["bottleneck.weight"] @ h.reshape(-1) + wts["bottleneck.bias"]        # channel-major flatten
    h = np.maximum(wts["expand.weight"] @ z + wts["expand.bias"], 0.0).reshape(c_last, l_last)
    for j in range(E):
        i = E - 1 - j
        h = conv_transpose1d(h, wts[f"decoder.{j}.weight"], wts[f"decoder.{j}.bias"], cfg["strides"][i])
        if j < E - 1:
            h = np.maximum(h, 0.0)
    e = (x - h) ** 2
    if cfg.get("error_clip") is not None:
        e = np.minimum(e, cfg["error_clip"])
    w = np.asarray(cfg.get("channel_weights", [1.0] * x.shape[0]), dtype=np.float64)
    return float((e * w[:, None]).sum() / e.size)


def run(cfg, wts, xs):
    F, W, hop = cfg["input_dim"], cfg["window"], cfg["hop"]
    mean = np.asarray(cfg.get("input_mean", [0.0] * F), dtype=np.float64)
    std = np.asarray(cfg.get("input_std", [1.0] * F), dtype=np.float64)
    ring = np.zeros((W, F))
    fill = nxt = phase = 0
    score = 0.0
    out = np.zeros((len(xs), 2))
    for t, x in enumerate(xs):
        ring[nxt] = (x - mean) / std
        nxt = (nxt + 1) % W
        fill = min(fill + 1, W)
        if fill < W:
            score, phase = 0.0, 0
        else:
            if phase == 0:
                window = ring[[(nxt + i) % W for i in range(W)]].T      # [F, W], oldest first
                score = score_window(cfg, wts, window)
            phase = (phase + 1) % hop
        out[t] = (score, 1.0 if score > cfg["threshold"] else 0.0)
    return out
