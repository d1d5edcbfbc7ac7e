"""The intelligibility judge: Debian's pocketsphinx (pocketsphinx-en-us) constrained by a JSGF grammar
of the candidate sentences in tests/fixtures/speech/sentences.txt. A WAV counts when the recognizer
returns its sentence exactly. The test suite runs the same judge from C# (tests/Edge.Speech.Tests).

    apt-get install pocketsphinx pocketsphinx-en-us sox
    python3 recognize.py FILE.wav=expected sentence ...      # or import judge()
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SENTENCES = os.path.join(HERE, "..", "..", "tests", "fixtures", "speech", "sentences.txt")


def candidates():
    return [l.strip() for l in open(SENTENCES) if l.strip()]


def grammar(path, sentences):
    with open(path, "w") as f:
        f.write("#JSGF V1.0;\ngrammar sentences;\npublic <s> = " + " | ".join(sentences) + " ;\n")


def recognize(wav, gram, work):
    """16 kHz mono, leading silence trimmed, 0.3 s of padding each side; returns the hypothesis."""
    prepared = os.path.join(work, "in.wav")
    subprocess.run(["sox", "-V1", wav, "-r", "16000", "-c", "1", "-b", "16", prepared,
                    "silence", "1", "0.02", "0.5%", "pad", "0.3", "0.3"], check=True)
    out = subprocess.run(["pocketsphinx_continuous", "-infile", prepared, "-jsgf", gram,
                          "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam", "1e-80", "-logfn", "/dev/null"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def judge(pairs):
    """pairs: [(wav path, expected sentence)] -> (number recognized, [(expected, heard)])."""
    with tempfile.TemporaryDirectory() as work:
        gram = os.path.join(work, "g.gram")
        grammar(gram, candidates())
        results = [(exp, recognize(w, gram, work)) for w, exp in pairs]
    return sum(e == h for e, h in results), results


if __name__ == "__main__":
    pairs = [(w, e.replace("_", " ")) for w, e in (a.split("=", 1) for a in sys.argv[1:])]
    n, res = judge(pairs)
    for e, h in res:
        print(("ok   " if e == h else "MISS ") + f"{e!r} heard {h!r}")
    print(f"{n}/{len(res)} recognized")
