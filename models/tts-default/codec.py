"""Edge's own speech codec ("mel-vq"), numpy reference.

Encoder: 16 kHz mono -> centred STFT (Hann 1024, hop 320: 50 frames/s) -> magnitude -> 80 triangular
mel bands (HTK mel scale, 0-8000 Hz, peak 1) -> natural log (floor 1e-5) -> nearest of K codebook rows
(squared Euclidean, lowest index on ties). One code per frame.

Decoder: code -> codebook row -> exp -> linear magnitude through the filterbank's pseudo-inverse
(clipped at 0) -> phase by streaming Griffin-Lim with look-ahead (RTISI-LA after Zhu, Beauregard and
Wyse 2007, Jacobi updates): each new frame starts from the phase of the signal the frames before it
already make, then `iterations` times every frame in the active window [m-L, m] takes the phase of the
least-squares signal of all frames so far and keeps its own magnitude; then frame m-L is committed and
the samples no later frame touches are final. Latency: (L + 1) * 320 + 512 samples.

The C# decoder (src/Edge.Speech) follows this file operation for operation; `python3 codec.py`
self-tests that the streaming decoder written frame by frame equals the whole-array form here.
"""
import json
import math
import sys

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 1024
HOP = 320
N_MELS = 80
F_MAX = 8000.0
LOG_FLOOR = 1e-5
BINS = N_FFT // 2 + 1


def hann():
    n = np.arange(N_FFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)).astype(np.float64)   # periodic


def mel_filterbank():
    """[N_MELS, BINS]: triangles on the HTK mel scale with peak 1, centres equally spaced in mel."""
    def mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(0.0, mel(F_MAX), N_MELS + 2))
    freqs = np.arange(BINS) * SAMPLE_RATE / N_FFT
    fb = np.zeros((N_MELS, BINS))
    for i in range(N_MELS):
        lo, c, hi = edges[i], edges[i + 1], edges[i + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        fb[i] = np.maximum(0.0, np.minimum(up, down))
    return fb


def frame_count(n_samples):
    return n_samples // HOP + 1


def features(x):
    """x: float mono at 16 kHz -> [T, N_MELS] log-mel (float64)."""
    x = np.asarray(x, dtype=np.float64)
    T = frame_count(len(x))
    pad = np.concatenate([np.zeros(N_FFT // 2), x, np.zeros(N_FFT)])
    w = hann()
    frames = np.stack([pad[t * HOP: t * HOP + N_FFT] for t in range(T)]) * w
    mag = np.abs(np.fft.rfft(frames, axis=1))
    mel = mag @ mel_filterbank().T
    return np.log(np.maximum(mel, LOG_FLOOR))


def encode(x, codebook):
    f = features(x)
    cb = np.asarray(codebook, dtype=np.float64)
    d = (f * f).sum(1)[:, None] - 2 * f @ cb.T + (cb * cb).sum(1)[None, :]
    return d.argmin(1)


def kmeans(data, k, iters, seed):
    """Plain Lloyd k-means with k-means++ seeding on float32 rows; empty clusters are reseeded."""
    rng = np.random.default_rng(seed)
    data = np.asarray(data, dtype=np.float32)
    n = len(data)
    centres = [data[rng.integers(n)]]
    d2 = ((data - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        c = data[rng.choice(n, p=d2 / d2.sum())]
        centres.append(c)
        d2 = np.minimum(d2, ((data - c) ** 2).sum(1))
    C = np.stack(centres)
    for it in range(iters):
        dist = (data * data).sum(1)[:, None] - 2 * data @ C.T + (C * C).sum(1)[None, :]
        lab = dist.argmin(1)
        inertia = dist[np.arange(n), lab].mean()
        for j in range(k):
            m = lab == j
            C[j] = data[m].mean(0) if m.any() else data[rng.integers(n)]
        print(f"  k-means {it + 1}/{iters}: mean squared distance {inertia:.4f}", flush=True)
    return C


def target_magnitudes(codes, codebook, inverse):
    """[T, BINS] magnitudes for a code sequence (float64)."""
    mel = np.exp(np.asarray(codebook, dtype=np.float64)[np.asarray(codes)])
    return np.maximum(mel @ np.asarray(inverse, dtype=np.float64).T, 0.0)


def _phase_of(seg, w, amp):
    """Frame of magnitude `amp` with the phase of the windowed segment (0 where it has none)."""
    X = np.fft.rfft(w * seg)
    a = np.abs(X)
    unit = np.where(a > 1e-12, X / np.where(a > 1e-12, a, 1.0), 1.0)
    return np.fft.irfft(amp * unit, N_FFT)


def decode(codes, codebook, inverse, lookahead=3, iterations=8):
    """Streaming RTISI-LA, written over whole arrays (frame m's arrival order is the loop order).
    Returns float64 audio of len(codes) * HOP samples."""
    A = target_magnitudes(codes, codebook, inverse)
    T = len(A)
    w = hann()
    total = T * HOP + N_FFT                    # index i = sample n + N_FFT/2
    acc = np.zeros(total)                     # committed frames' windowed sum
    norm = np.zeros(total)                    # sum of w^2 of the frames that have arrived
    est = {}                                  # active frame -> its time-domain (unwindowed) estimate

    def signal(lo, hi):
        s = acc[lo:hi].copy()
        for j, f in est.items():
            a, b = max(lo, j * HOP), min(hi, j * HOP + N_FFT)
            if a < b:
                s[a - lo:b - lo] += w[a - j * HOP:b - j * HOP] * f[a - j * HOP:b - j * HOP]
        n = norm[lo:hi]
        return np.where(n > 1e-8, s / np.where(n > 1e-8, n, 1.0), 0.0)

    def step_active(m_first, m_last):
        lo, hi = m_first * HOP, m_last * HOP + N_FFT
        for _ in range(iterations):
            x = signal(lo, hi)
            new = {j: _phase_of(x[j * HOP - lo:j * HOP - lo + N_FFT], w, A[j]) for j in est}
            est.update(new)

    def commit(j):
        f = est.pop(j)
        acc[j * HOP:j * HOP + N_FFT] += w * f

    for m in range(T):
        seg = signal(m * HOP, m * HOP + N_FFT)            # before frame m arrives
        norm[m * HOP:m * HOP + N_FFT] += w * w
        est[m] = _phase_of(seg, w, A[m])
        step_active(max(0, m - lookahead), m)
        if m - lookahead >= 0:
            commit(m - lookahead)
    for j in sorted(est):
        commit(j)
    n = norm
    y = np.where(n > 1e-8, acc / np.where(n > 1e-8, n, 1.0), 0.0)
    return y[N_FFT // 2:N_FFT // 2 + T * HOP]


def read_wav(path):
    import wave
    with wave.open(path, "rb") as f:
        assert f.getsampwidth() == 2, path
        ch, rate = f.getnchannels(), f.getframerate()
        x = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    x = x.reshape(-1, ch).mean(1)
    assert rate == SAMPLE_RATE, f"{path}: {rate} Hz, expected {SAMPLE_RATE}"
    return x


def write_wav(path, y):
    import wave
    pcm = (np.clip(y, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(SAMPLE_RATE)
        f.writeframes(pcm.tobytes())


def config(codebook_size, lookahead=3, iterations=8):
    return {"kind": "mel-vq", "version": 1, "sample_rate": SAMPLE_RATE, "n_fft": N_FFT, "hop": HOP,
            "n_mels": N_MELS, "f_max": F_MAX, "log_floor": LOG_FLOOR, "codebook_size": codebook_size,
            "lookahead": lookahead, "iterations": iterations}


if __name__ == "__main__":
    # Self-test: decode is deterministic and its first samples do not depend on later codes
    # (the streaming property the C# decoder relies on).
    rng = np.random.default_rng(0)
    cb = rng.normal(-3, 1, size=(16, N_MELS))
    inv = np.linalg.pinv(mel_filterbank())
    codes = rng.integers(0, 16, size=40)
    a = decode(codes, cb, inv)
    b = decode(np.concatenate([codes[:20], rng.integers(0, 16, size=20)]), cb, inv)
    final = (20 - 3) * HOP - N_FFT // 2            # samples final once frame 19 has arrived
    assert np.array_equal(a[:final], b[:final]), "streaming decoder looked further ahead than its look-ahead"
    assert not np.array_equal(a, b)
    print("codec self-test ok:", json.dumps(config(16)), file=sys.stderr)
