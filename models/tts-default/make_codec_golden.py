"""Writes tests/fixtures/speech/codec-golden/: the numpy reference (codec.py) run on a short espeak-ng clip with the
committed codec folder (codec/codec.safetensors), for the C# codec's golden tests.

    /usr/bin/python3 make_codec_golden.py        # needs espeak-ng and sox

Files: clip.wav (16 kHz mono 16-bit), features.npy [T, n_mels] (float64 log-mel), codes.npy [T] (int64),
margins.npy [T] (float64: (d2 - d1) / |d1|, the relative gap between the two nearest codebook distances, so a test
knows which frames are near-ties), decoded.npy [T * hop] (float32: decode() of codes.npy, look-ahead and
iterations as codec.json says).

The reference is given the folder's own float32 tensors (the filterbank too, instead of recomputing it in
float64), so it and the C# codec compute from identical numbers."""
import json
import os
import struct
import subprocess
import tempfile

import numpy as np

import codec

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "speech", "codec-golden")
SENTENCE = "please turn off the kitchen light"


def read_safetensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    out = {}
    for name, v in header.items():
        if name == "__metadata__":
            continue
        assert v["dtype"] == "F32", name
        a, b = v["data_offsets"]
        out[name] = np.frombuffer(blob[8 + n + a:8 + n + b], dtype="<f4").reshape(v["shape"])
    return out


def main():
    folder = os.path.join(HERE, "codec")
    cfg = json.load(open(os.path.join(folder, "codec.json")))
    t = read_safetensors(os.path.join(folder, "codec.safetensors"))
    cb = t["codebook"].astype(np.float64)
    inv = t["inverse"].astype(np.float64)
    fb = t["filterbank"].astype(np.float64)
    codec.mel_filterbank = lambda: fb            # features() reads the folder's filterbank
    os.makedirs(OUT, exist_ok=True)
    wav = os.path.join(OUT, "clip.wav")
    with tempfile.TemporaryDirectory() as work:
        raw = os.path.join(work, "raw.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", raw, SENTENCE], check=True)
        subprocess.run(["sox", "-V1", raw, "-r", str(codec.SAMPLE_RATE), "-c", "1", "-b", "16", wav], check=True)
    x = codec.read_wav(wav)
    f = codec.features(x)
    d = (f * f).sum(1)[:, None] - 2 * f @ cb.T + (cb * cb).sum(1)[None, :]
    codes = d.argmin(1)
    assert np.array_equal(codes, codec.encode(x, cb))
    two = np.sort(d, axis=1)[:, :2]
    margins = (two[:, 1] - two[:, 0]) / np.maximum(np.abs(two[:, 0]), 1e-12)
    y = codec.decode(codes, cb, inv, cfg["lookahead"], cfg["iterations"])
    np.save(os.path.join(OUT, "features.npy"), f)
    np.save(os.path.join(OUT, "codes.npy"), codes.astype(np.int64))
    np.save(os.path.join(OUT, "margins.npy"), margins)
    np.save(os.path.join(OUT, "decoded.npy"), y.astype(np.float32))
    print(f"{len(x)} samples, {len(codes)} frames, {len(set(codes.tolist()))} distinct codes, "
          f"smallest margin {margins.min():.2e}, decoded peak {np.abs(y).max():.3f}")


if __name__ == "__main__":
    main()
