"""Training data for the default voice model: Jane Austen's sentences spoken by espeak-ng voices,
resampled to 16 kHz with sox, encoded with the mel-vq codec (codebook learned here by k-means).

Corpus: Jane Austen's six novels (public domain) from Debian's r-cran-janeaustenr
(R package janeaustenr 1.0.0, MIT licence):
    apt-get install espeak-ng sox r-cran-janeaustenr
Writes (under data/, not committed): corpus.txt, wav/<speaker>/<n>.wav, codebook.npy, dataset.npz.
Deterministic (fixed seed); about 10 minutes on two cores.
"""
import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

import codec
import text as textmod

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

# espeak-ng voices: four training speakers, one held out for the voice-cloning measurements.
SPEAKERS = ["en-us", "en-us+f3", "en-gb-x-rp", "en-gb-scotland+m3"]
HELD_OUT = "en-us-nyc"
CODEBOOK_MINUTES = 48.0


def austen_text():
    path = os.path.join(DATA, "austen.txt")
    if not os.path.exists(path):
        subprocess.run(["Rscript", "-e", f'library(janeaustenr); writeLines(austen_books()$text, "{path}")'],
                       check=True)
    with open(path, encoding="utf-8") as f:
        return f.read()


def sentences(raw, test_sentences):
    paras = re.split(r"\n\s*\n", raw)
    out, seen = [], set()
    for p in paras:
        p = " ".join(p.split())
        if not p or p.isupper() or p.lower().startswith("chapter"):
            continue
        for s in re.split(r"(?<=[.!?])\s+", p):
            s = textmod.normalize(s)
            if s is None:
                continue
            words = s.rstrip(".?!").split()
            if not 4 <= len(words) <= 14 or s in seen:
                continue
            if any(t in s for t in test_sentences):
                continue
            seen.add(s)
            out.append(s)
    return out


def synth(voice, sentence, path):
    tmp = path + ".22k.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", tmp, sentence], check=True)
    subprocess.run(["sox", "-V1", tmp, "-r", str(codec.SAMPLE_RATE), "-c", "1", "-b", "16", path], check=True)
    os.remove(tmp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=48.0, help="total audio to synthesize")
    ap.add_argument("--codes", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(DATA, exist_ok=True)
    test = [l.strip() for l in open(os.path.join(HERE, "..", "..", "tests", "fixtures", "speech", "sentences.txt"))
            if l.strip()]
    sents = sentences(austen_text(), test)
    rng = np.random.default_rng(a.seed)
    rng.shuffle(sents)
    print(f"{len(sents)} usable sentences in the corpus", flush=True)

    t0, seconds, items, durations = time.time(), 0.0, [], []
    for i, s in enumerate(sents):
        if seconds >= a.minutes * 60:
            break
        spk = i % len(SPEAKERS)
        path = os.path.join(DATA, "wav", SPEAKERS[spk].replace("+", "_"), f"{i:05d}.wav")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not os.path.exists(path):
            synth(SPEAKERS[spk], s, path)
        x = codec.read_wav(path)
        seconds += len(x) / codec.SAMPLE_RATE
        items.append((s, spk, path))
        durations.append(len(x) / codec.SAMPLE_RATE)
        if len(items) % 100 == 0:
            print(f"  synthesized {len(items)} sentences, {seconds / 60:.1f} min of audio, "
                  f"{time.time() - t0:.0f} s", flush=True)
    with open(os.path.join(DATA, "corpus.txt"), "w") as f:
        f.writelines(f"{SPEAKERS[spk]}\t{s}\n" for s, spk, _ in items)
    print(f"{len(items)} utterances, {seconds / 60:.1f} min of audio", flush=True)

    feats = [codec.features(codec.read_wav(p)).astype(np.float32) for _, _, p in items]
    # The codebook is learned once, on the first CODEBOOK_MINUTES of audio, and kept: a larger dataset
    # made later (--minutes) is encoded with the codebook the model (and codec/) already use.
    cb_path = os.path.join(DATA, "codebook.npy")
    if os.path.exists(cb_path):
        cb = np.load(cb_path)
        print(f"reusing {os.path.relpath(cb_path, HERE)} ({len(cb)} codes)", flush=True)
    else:
        first, acc = 0, 0.0
        while first < len(feats) and acc < CODEBOOK_MINUTES * 60:
            acc += durations[first]
            first += 1
        allf = np.concatenate(feats[:first])
        sample = allf[rng.choice(len(allf), size=min(len(allf), 60000), replace=False)]
        print(f"k-means: {a.codes} codes over {len(sample)} of {len(allf)} frames", flush=True)
        cb = codec.kmeans(sample, a.codes, iters=25, seed=a.seed).astype(np.float32)
        np.save(cb_path, cb)

    codes, offsets = [], [0]
    for f in feats:
        d = (f * f).sum(1)[:, None] - 2 * f @ cb.T + (cb * cb).sum(1)[None, :]
        codes.append(d.argmin(1).astype(np.int16))
        offsets.append(offsets[-1] + len(f))
    np.savez(os.path.join(DATA, "dataset.npz"), codes=np.concatenate(codes), offsets=np.array(offsets),
             speakers=np.array([spk for _, spk, _ in items]), texts=np.array([s for s, _, _ in items]),
             speaker_names=np.array(SPEAKERS))
    print(f"wrote {os.path.join('data', 'dataset.npz')}: {offsets[-1]} frames; {time.time() - t0:.0f} s", flush=True)



if __name__ == "__main__":
    sys.exit(main())
