"""The codec on its own: espeak-ng speaks the test sentences (a training voice and the held-out
voice), the mel-vq codec encodes and decodes them (streaming decoder), the judge listens.
Writes out/codec/*.wav; prints the recognized counts (the figures in this folder's README)."""
import argparse
import os
import subprocess
import time

import numpy as np

import codec
import make_data
import recognize

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--codebook", default=os.path.join(HERE, "data", "codebook.npy"))
    ap.add_argument("--lookahead", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=8)
    ap.add_argument("--voices", default=f"en-us,{make_data.HELD_OUT}")
    a = ap.parse_args()
    cb = np.load(a.codebook).astype(np.float64)
    inv = np.linalg.pinv(codec.mel_filterbank())
    out = os.path.join(HERE, "out", "codec")
    os.makedirs(out, exist_ok=True)
    for voice in a.voices.split(","):
        pairs, t_dec, secs = [], 0.0, 0.0
        for i, s in enumerate(recognize.candidates()):
            ref = os.path.join(out, f"{voice}-{i:02d}-ref.wav")
            make_data.synth(voice, s, ref)
            x = codec.read_wav(ref)
            t0 = time.time()
            y = codec.decode(codec.encode(x, cb), cb, inv, a.lookahead, a.iterations)
            t_dec += time.time() - t0
            secs += len(x) / codec.SAMPLE_RATE
            y *= 0.9 / max(1e-9, np.abs(y).max())
            path = os.path.join(out, f"{voice}-{i:02d}.wav")
            codec.write_wav(path, y)
            pairs.append((path, s))
        n, res = recognize.judge(pairs)
        nref, _ = recognize.judge([(p.replace(".wav", "-ref.wav"), s) for p, s in pairs])
        for e, h in res:
            if e != h:
                print(f"  miss: {e!r} heard {h!r}")
        print(f"{voice}: codec round trip {n}/{len(pairs)}, espeak-ng itself {nref}/{len(pairs)} "
              f"(look-ahead {a.lookahead}, {a.iterations} iterations; numpy decode {t_dec / secs:.2f} s per s)")


if __name__ == "__main__":
    main()
