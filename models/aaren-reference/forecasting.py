"""Training, evaluation and the multi-step forecast procedure for aaren forecasting packages.

Conventions shared by models/aaren-co2 and models/aaren-electricity:

* Input row at step t: `[y_t, calendar features of step t ...]` (column 0 is the observed
  value, the other columns are known in advance).
* Output at step t: the predicted difference `y_{t+1} - row_t[base_col]` in the data's units
  (the package's output_mean/output_std already undo the normalization). base_col = 0 (CO2):
  the change from the current value; base_col = 1 (electricity): the difference from the
  value one season before the predicted step, a column known in advance. The one-step
  forecast is `yhat_{t+1} = row_t[base_col] + output_t`.
* Multi-step forecast (`forecast`, reproduced by the C# `edge forecast`): run the model over
  the history rows from the initial state; then for h = 1..H:
      yhat_{T+h} = row[base_col] + out     row: the row just fed, out: its output
      the next row fed is the future row of step T+h with column 0 replaced by yhat_{T+h}
  i.e. each prediction is fed back as the next step's observation; all in float32.
"""
import math

import numpy as np
import torch

from aaren import Aaren, activation


# ---------------------------------------------------------------------------------------------
# differentiable batched forward for training (cumulative form of the causal softmax, float64)
# ---------------------------------------------------------------------------------------------
def train_forward(model: Aaren, X, origins=None):
    """X [B,T,F] float32 -> outputs [B,T,O] (normalization included). Equal to
    forward_parallel per sequence; attention uses o_t = cumsum(w v)/cumsum(w), w = exp(s - max)
    with the max over the whole sequence, in float64 (exact while the score range < 700).
    origins (B must be 1): also return the recurrent state after row o for each o, as a batch
    dict m [n,L,NH], c [n,L,NH], a [n,L,D] (differentiable)."""
    B, T, _ = X.shape
    NH, Dh, D = model.heads, model.head_dim, model.d_model
    z = model.in_proj((X - model.input_mean) / model.input_std)
    ms, cs, as_ = [], [], []
    for layer in model.layers:
        u = layer.norm1(z)
        q = layer.attn.q_proj(layer.query).reshape(NH, Dh)
        k = layer.attn.k_proj(u).reshape(B, T, NH, Dh)
        v = layer.attn.v_proj(u).reshape(B, T, NH, Dh)
        s = (k * q).sum(-1).double() / math.sqrt(Dh)                              # [B,T,NH]
        M = s.detach().amax(dim=1, keepdim=True)
        if float((s.detach() - M).min()) < -700:
            raise FloatingPointError("score range too large for the cumulative training form")
        w = torch.exp(s - M)
        num = torch.cumsum(w.unsqueeze(-1) * v.double(), dim=1)
        den = torch.cumsum(w, dim=1).unsqueeze(-1)
        o = (num / den).float().reshape(B, T, D)
        if origins is not None:
            idx = torch.as_tensor(list(origins))
            m_o = torch.cummax(s[0], dim=0).values[idx]                           # [n,NH]
            f = torch.exp(M[0] - m_o)                                             # rescale to max m_o
            ms.append(m_o.float())
            cs.append((den[0, idx, :, 0] * f).float())
            as_.append((num[0, idx] * f.unsqueeze(-1)).float().reshape(len(idx), D))
        z = z + layer.attn.o_proj(o)
        z = z + layer.ffn.fc2(activation(model.activation, layer.ffn.fc1(layer.norm2(z))))
    y = model.head(model.norm_f(z))
    out = y * model.output_std + model.output_mean
    if origins is None:
        return out
    return out, {"m": torch.stack(ms, 1), "c": torch.stack(cs, 1), "a": torch.stack(as_, 1)}


# ---------------------------------------------------------------------------------------------
# batched recurrent step (same math as Aaren.step, leading batch dimension)
# ---------------------------------------------------------------------------------------------
def initial_state_batch(model, B, dtype=torch.float32):
    L, NH, D = model.n_layers, model.heads, model.d_model
    return {"m": torch.full((B, L, NH), -math.inf, dtype=dtype),
            "c": torch.zeros((B, L, NH), dtype=dtype), "a": torch.zeros((B, L, D), dtype=dtype)}


def step_batch_grad(model, x, state):
    """x [B,F]; state m [B,L,NH], c [B,L,NH], a [B,L,D] -> (out [B,O], new state)."""
    B = x.shape[0]
    NH, Dh, D = model.heads, model.head_dim, model.d_model
    z = model.in_proj((x - model.input_mean) / model.input_std)
    ms, cs, as_ = [], [], []
    for l, layer in enumerate(model.layers):
        u = layer.norm1(z)
        q = layer.attn.q_proj(layer.query).reshape(NH, Dh)
        k = layer.attn.k_proj(u).reshape(B, NH, Dh)
        v = layer.attn.v_proj(u).reshape(B, NH, Dh)
        s = (k * q).sum(-1) / math.sqrt(Dh)
        m, c, a = state["m"][:, l], state["c"][:, l], state["a"][:, l].reshape(B, NH, Dh)
        m_new = torch.maximum(m, s)
        scale = torch.exp(m - m_new)
        w = torch.exp(s - m_new)
        c_new = c * scale + w
        a_new = a * scale.unsqueeze(-1) + v * w.unsqueeze(-1)
        z = z + layer.attn.o_proj((a_new / c_new.unsqueeze(-1)).reshape(B, D))
        z = z + layer.ffn.fc2(activation(model.activation, layer.ffn.fc1(layer.norm2(z))))
        ms.append(m_new)
        cs.append(c_new)
        as_.append(a_new.reshape(B, D))
    y = model.head(model.norm_f(z))
    out = y * model.output_std + model.output_mean
    return out, {"m": torch.stack(ms, 1), "c": torch.stack(cs, 1), "a": torch.stack(as_, 1)}


step_batch = torch.no_grad()(step_batch_grad)


# ---------------------------------------------------------------------------------------------
# the forecast procedure (reference for `edge forecast`)
# ---------------------------------------------------------------------------------------------
@torch.no_grad()
def forecast(model, history, future, base_col=0, damping=1.0):
    """history: [T,F] rows actually observed (value + known columns); future: [H,F] rows of the
    next H steps whose columns other than 0 are known (column 0 is ignored, may be NaN).
    Returns yhat [H] float32: the forecasts of the value (column 0) of the future rows.
    damping phi: the h-th forecast (h = 0..H-1) is row[base] + phi^h * out, so the model's
    correction to the base column fades with the horizon (phi = 1: undamped); phi^h is computed
    in float64 and cast to float32, and the damped forecast is what is fed back.
    Uses Aaren.step (float32), one step at a time."""
    model = model.float().eval()
    history = np.asarray(history, dtype=np.float32)
    future = np.asarray(future, dtype=np.float32)
    state = model.initial_state()
    out = None
    for row in history:
        out, state = model.step(torch.from_numpy(row), state)
    row = history[-1]
    preds = []
    for h in range(future.shape[0]):
        value = np.float32(row[base_col] + np.float32(damping ** h) * np.float32(out[0, 0].item()))   # yhat of future row h
        preds.append(value)
        if h + 1 < future.shape[0]:
            row = future[h].copy()
            row[0] = value
            out, state = model.step(torch.from_numpy(row), state)
    return np.array(preds, dtype=np.float32)


def rolling_forecasts(model, X, origins, H, base_col=0, damping=1.0):
    """Batched `forecast` for many origins (same damping). X [N,F] all rows (true values); origin o =
    index of the last observed row. Returns [len(origins), H]: yhat for rows o+1..o+H. The known columns
    of rows o+1..o+H-1 are taken from X (they must not depend on values after o)."""
    return rolling_forecasts_damped(model, X, origins, H, base_col, (damping,))[damping]


@torch.no_grad()
def rolling_forecasts_damped(model, X, origins, H, base_col=0, dampings=(1.0,)):
    """`rolling_forecasts` for several dampings at once, the history run once: {phi: [len(origins), H]}."""
    model = model.float().eval()
    X = torch.as_tensor(np.asarray(X, dtype=np.float32))
    origins = list(origins)
    B = len(origins)
    state = model.initial_state()
    want = {o: i for i, o in enumerate(origins)}
    st0 = initial_state_batch(model, B)
    outs0 = torch.zeros(B, model.output_dim)
    for t in range(max(origins) + 1):
        out, state = model.step(X[t], state)
        if t in want:
            i = want[t]
            for k in st0:
                st0[k][i] = state[k]
            outs0[i] = out[0]
    result = {}
    for damping in dampings:
        st = {k: v.clone() for k, v in st0.items()}
        outs = outs0
        rows = X[origins].clone()
        preds = torch.zeros(B, H)
        for h in range(H):
            value = rows[:, base_col] + outs[:, 0] * float(np.float32(damping ** h))
            preds[:, h] = value
            if h + 1 < H:
                rows = X[[o + 1 + h for o in origins]].clone()
                rows[:, 0] = value
                outs, st = step_batch(model, rows, st)
        result[damping] = preds.numpy()
    return result


# ---------------------------------------------------------------------------------------------
# metrics
# ---------------------------------------------------------------------------------------------
def evaluate(model, X, y, test_start, season, horizons, base_col=0, extra_naive=(), damping=1.0):
    """One-step and multi-step MAE/MASE on the test tail y[test_start:].
    MASE scale = in-sample MAE of the seasonal-naive one-step forecast on y[:test_start].
    Multi-step: every origin o with test_start-1 <= o <= N-1-H (all H targets in the test tail);
    seasonal naive yhat_{o+h} = y_{o+h-S} (h <= S) or y_{o+h-kS} with k = ceil(h/S).
    damping != 1: multi-step forecasts are damped (see `forecast`); the undamped MAE is reported too."""
    y = np.asarray(y, dtype=np.float64)
    N = len(y)
    scale = np.mean(np.abs(y[season:test_start] - y[:test_start - season]))
    res = {"mase_scale_in_sample_snaive_mae": float(scale), "season": season}
    # one step: full-history recurrent run
    out, _ = model.float().run_recurrent(X)
    pred1 = np.asarray(X, dtype=np.float64)[test_start - 1:N - 1, base_col] + out.numpy()[test_start - 1:N - 1, 0]
    truth = y[test_start:]
    sn1 = y[test_start - season:N - season]
    r = {"model_mae": float(np.mean(np.abs(pred1 - truth))),
         "snaive_mae": float(np.mean(np.abs(sn1 - truth))), "n": int(len(truth))}
    for s2 in extra_naive:
        r[f"snaive{s2}_mae"] = float(np.mean(np.abs(y[test_start - s2:N - s2] - truth)))
    r["model_mase"] = r["model_mae"] / scale
    r["snaive_mase"] = r["snaive_mae"] / scale
    r["model_over_snaive"] = r["model_mae"] / r["snaive_mae"]
    res["one_step"] = r
    for H in horizons:
        origins = list(range(test_start - 1, N - H))
        runs = rolling_forecasts_damped(model, X, origins, H, base_col, (damping, 1.0))   # the history runs once
        preds = runs[damping]
        idx = np.array(origins)[:, None] + 1 + np.arange(H)[None, :]
        k = np.ceil(np.arange(1, H + 1) / season).astype(int)
        sn = y[idx - k[None, :] * season]
        tr = y[idx]
        r = {"model_mae": float(np.mean(np.abs(preds - tr))), "snaive_mae": float(np.mean(np.abs(sn - tr))),
             "origins": len(origins), "horizon": H}
        if damping != 1.0:
            r["damping"] = damping
            r["model_mae_undamped"] = float(np.mean(np.abs(runs[1.0] - tr)))
        for s2 in extra_naive:
            k2 = np.ceil(np.arange(1, H + 1) / s2).astype(int)
            r[f"snaive{s2}_mae"] = float(np.mean(np.abs(y[idx - k2[None, :] * s2] - tr)))
        r["model_mase"] = r["model_mae"] / scale
        r["snaive_mase"] = r["snaive_mae"] / scale
        r["model_over_snaive"] = r["model_mae"] / r["snaive_mae"]
        res[f"horizon_{H}"] = r
    return res


# ---------------------------------------------------------------------------------------------
# training loop
# ---------------------------------------------------------------------------------------------
def train(model, X, y, train_end, val_end, steps, lr=3e-3, crop=None, batch=8, loss="l1",
          seed=0, time_limit=None, val_fn=None, val_every=100, input_noise=0.0,
          weight_decay=1e-4, level_shift=0.0, rollout_k=0, rollout_batch=16, rollout_weight=1.0,
          rollout_from=0, base_col=0):
    """Fit outputs[t] ~ y[t+1] - X[t,base_col] on t+1 < train_end (teacher forcing). Batches hold the
    full prefix X[0:train_end] plus (batch-1) random crops of length `crop` (fresh state at
    the crop's start). input_noise: std of Gaussian noise added to the value column of the
    inputs (data units; targets stay clean). level_shift: each sequence of a batch gets one
    random offset U(-level_shift, level_shift) added to its value column (the targets, changes,
    are unmoved), so that the model cannot lean on the absolute level.
    rollout_k > 0: from iteration rollout_from on, add rollout_weight x the L1 error of
    rollout_k-step forecasts made exactly as `forecast` does (predictions fed back) from
    rollout_batch random origins in the training part, divided by the value's input_std.
    Keeps the parameters with the best val_fn() (lower is better).
    Returns (history, best validation score)."""
    import copy
    import time
    g = np.random.RandomState(seed)
    torch.manual_seed(seed)
    Xt = torch.as_tensor(np.asarray(X, dtype=np.float32))
    yt = torch.as_tensor(np.asarray(y, dtype=np.float32))
    yd = np.asarray(y, dtype=np.float64)
    target = torch.as_tensor((yd[1:] - np.asarray(X, dtype=np.float64)[:-1, base_col]).astype(np.float32))  # [N-1]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    ostd = model.output_std[0]
    istd = model.input_std[0]
    best, best_state, hist = math.inf, None, []
    t0 = time.time()
    T = train_end - 1                          # outputs 0..T-1 have targets inside the training part
    for it in range(steps):
        model.train()
        Xn = Xt
        if input_noise:
            Xn = Xt.clone()
            Xn[:, 0] += input_noise * torch.randn(Xn.shape[0])
        off = torch.zeros(batch, 1, Xt.shape[1])
        if level_shift:
            off[:, 0, 0] = torch.empty(batch).uniform_(-level_shift, level_shift)
        Lc = crop or T
        seqs, tg = [], []
        for _ in range(batch - 1):
            s0 = g.randint(0, T - Lc + 1)
            seqs.append(Xn[s0:s0 + Lc])
            tg.append(target[s0:s0 + Lc])
        use_roll = rollout_k > 0 and it >= rollout_from
        if use_roll:
            origins = g.randint(48, T - rollout_k, size=rollout_batch)
            pred_full, st = train_forward(model, Xn[:T].unsqueeze(0) + off[:1], origins=origins)
        else:
            pred_full = train_forward(model, Xn[:T].unsqueeze(0) + off[:1])
        parts = [(pred_full[0, :, 0] - target[:T]) / ostd]
        if batch > 1:
            pred_c = train_forward(model, torch.stack(seqs) + off[1:])[..., 0]
            parts.append(((pred_c - torch.stack(tg)) / ostd).reshape(-1))
        e = torch.cat(parts)
        loss_v = e.abs().mean() if loss == "l1" else (e ** 2).mean() if loss == "l2" else \
            torch.nn.functional.smooth_l1_loss(e, torch.zeros_like(e), beta=0.5)
        if use_roll:
            oi = torch.as_tensor(origins)
            out = pred_full[0, oi]                                               # [n,O]
            rows = Xn[oi] + off[0]
            errs = []
            for h in range(rollout_k):
                value = rows[:, base_col] + out[:, 0]
                errs.append((value - yt[oi + 1 + h] - off[0, 0, 0]).abs())
                if h + 1 < rollout_k:
                    rows = Xt[oi + 1 + h] + off[0]
                    rows = torch.cat([value.unsqueeze(1), rows[:, 1:]], 1)
                    out, st = step_batch_grad(model, rows, st)
            roll = torch.stack(errs, 1).mean() / istd
            loss_v = loss_v + rollout_weight * roll
        opt.zero_grad()
        loss_v.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if val_fn is not None and ((it + 1) % val_every == 0 or it + 1 == steps):
            model.eval()
            v = val_fn(model)
            detail = ""
            if isinstance(v, tuple):
                v, detail = v
            hist.append((it + 1, float(loss_v), v))
            if v < best:
                best, best_state = v, copy.deepcopy(model.state_dict())
            print(f"  it {it + 1:5d} loss {float(loss_v):.4f} val {v:.4f} {detail} ({time.time() - t0:.0f}s)", flush=True)
        if time_limit and time.time() - t0 > time_limit:
            print(f"  time limit at it {it + 1}")
            if val_fn is not None and (not hist or hist[-1][0] != it + 1):
                model.eval()
                v = val_fn(model)
                v = v[0] if isinstance(v, tuple) else v
                if v < best:
                    best, best_state = v, copy.deepcopy(model.state_dict())
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return hist, best


def forecast_package(folder, argv):
    """The body of each package's forecast_reference.py: forecast HISTORY/FUTURE .npy files given in
    argv (writing OUT), or with no arguments check the package's forecast/expected.npy."""
    import os
    from aaren import load_package

    model, doc = load_package(folder)
    base = doc["provenance"]["forecast"]["base_column"]
    damping = float(doc.get("forecast", {}).get("damping", 1.0))
    if len(argv) == 3:
        history, future = np.load(argv[0]), np.load(argv[1])
        np.save(argv[2], forecast(model, history, future, base_col=base, damping=damping))
        return
    fc = os.path.join(folder, "forecast")
    history, future = np.load(os.path.join(fc, "history.npy")), np.load(os.path.join(fc, "future.npy"))
    expected, truth = np.load(os.path.join(fc, "expected.npy")), np.load(os.path.join(fc, "truth.npy"))
    got = forecast(model, history, future, base_col=base, damping=damping)
    err = float(np.abs(got - expected).max())
    print(f"{len(got)} steps: max |forecast - expected| = {err:.3g}; MAE vs truth {np.mean(np.abs(got - truth)):.4f}")
    assert err <= 1e-3 * max(1.0, float(np.abs(expected).max())), "forecast does not reproduce forecast/expected.npy"
