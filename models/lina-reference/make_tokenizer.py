"""Train Edge's own 256-id BPE text tokenizer and write it as a Hugging Face tokenizer.json.

    /usr/bin/python3 models/lina-reference/make_tokenizer.py [corpus.txt] [out.json]

Same format as the tokenizer Lina-Speech ships (BPE model, normalizer Lowercase, pre-tokenizer
Sequence[Punctuation(Isolated), Split(" ", Isolated)], ids [PAD]=0 [BOS]=1 [EOS]=2 as added
tokens, space = 3, [UNK] named but not in the vocabulary), but its vocabulary and merges are
trained here, by the small BPE trainer below, on a public-domain English text:

  Jane Austen's six novels (1811-1817, public domain), as shipped by Debian's package
  `r-cran-janeaustenr` (R package janeaustenr 1.0.0 by Julia Silge, MIT licence):
      apt-get install r-cran-janeaustenr
      Rscript -e 'library(janeaustenr); writeLines(austen_books()$text, "austen.txt")'
  Without an argument this script runs that Rscript line itself into a temporary folder.

Alphabet: space, the 32 ASCII punctuation characters, digits 0-9 and a-z (69 symbols, ids 3..71
in code-point order, so space is 3); the remaining 184 ids (72..255) are merges. Characters outside the alphabet were
replaced by spaces before training; at encode time they are an error, as in Lina's tokenizer.
`encode()` below is a plain-Python encoder with the Hugging Face semantics, used for goldens.
"""
import collections
import json
import os
import re
import string
import subprocess
import sys
import tempfile
import unicodedata

SPECIALS = ["[PAD]", "[BOS]", "[EOS]"]
VOCAB_SIZE = 256
ALPHABET = sorted(set(" " + string.punctuation + string.digits + string.ascii_lowercase))
CORPUS_ORIGIN = ("Jane Austen's six novels (public domain), from Debian package r-cran-janeaustenr "
                 "(R package janeaustenr 1.0.0, MIT licence)")


def is_punctuation(c):
    """Hugging Face's Punctuation pre-tokenizer test: ASCII punctuation or Unicode category P*."""
    return c in string.punctuation or unicodedata.category(c).startswith("P")


def pre_tokenize(text):
    """Lowercased text -> pre-tokens: each punctuation char alone, each space alone, other runs."""
    out, cur = [], []
    for c in text:
        if c == " " or is_punctuation(c):
            if cur:
                out.append("".join(cur))
                cur = []
            out.append(c)
        else:
            cur.append(c)
    if cur:
        out.append("".join(cur))
    return out


def read_corpus(path=None):
    if path is None:
        tmp = tempfile.mkdtemp()
        path = os.path.join(tmp, "austen.txt")
        subprocess.run(["Rscript", "-e", f'library(janeaustenr); writeLines(austen_books()$text, "{path}")'],
                       check=True)
    with open(path, encoding="utf-8") as f:
        return f.read()


def train(text, vocab_size=VOCAB_SIZE):
    """Classic BPE on word counts; ties broken by the lexicographically smallest pair."""
    allowed = set(ALPHABET)
    text = "".join(c if c in allowed else " " for c in text.lower())
    counts = collections.Counter(t for t in pre_tokenize(text) if len(t) > 1 or (t != " " and not is_punctuation(t)))
    words = {tuple(w): n for w, n in counts.items()}
    vocab = {s: i for i, s in enumerate(SPECIALS)}
    for c in ALPHABET:
        vocab[c] = len(vocab)
    merges = []
    while len(vocab) < vocab_size:
        pairs = collections.Counter()
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += n
        if not pairs:
            raise RuntimeError("corpus too small for the requested vocabulary size")
        best_n = max(pairs.values())
        a, b = min(p for p, n in pairs.items() if n == best_n)
        merges.append((a, b))
        vocab[a + b] = len(vocab)
        new_words = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + n
        words = new_words
    return vocab, merges


def tokenizer_json(vocab, merges):
    added = [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, s in enumerate(SPECIALS)]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Punctuation", "behavior": "Isolated"},
            {"type": "Split", "pattern": {"String": " "}, "behavior": "Isolated", "invert": False}]},
        "post_processor": None, "decoder": None,
        "model": {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def encode(tok, text):
    """Hugging Face semantics: added tokens matched first on the raw text, then Lowercase,
    pre-tokenize, and BPE per pre-token (lowest-rank pair merged first)."""
    vocab = tok["model"]["vocab"]
    ranks = {tuple(m.split(" ")): i for i, m in enumerate(tok["model"]["merges"])}
    specials = {t["content"]: t["id"] for t in tok["added_tokens"]}
    pattern = "(" + "|".join(re.escape(s) for s in specials) + ")"
    ids = []
    for part in re.split(pattern, text):
        if part in specials:
            ids.append(specials[part])
            continue
        for word in pre_tokenize(part.lower()):
            syms = list(word)
            for c in syms:
                if c not in vocab:
                    raise ValueError(f"character {c!r} is not in the tokenizer's vocabulary; "
                                     "normalise the text first")
            while len(syms) > 1:
                best = min(((ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(syms, syms[1:]))))
                if best[0] == 1 << 30:
                    break
                a, b = syms[best[1]], syms[best[1] + 1]
                out, i = [], 0
                while i < len(syms):
                    if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                        out.append(a + b)
                        i += 2
                    else:
                        out.append(syms[i])
                        i += 1
                syms = out
            ids.extend(vocab[s] for s in syms)
    return ids


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else None
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                               "tokenizer.json")
    vocab, merges = train(read_corpus(corpus))
    assert len(vocab) == VOCAB_SIZE and vocab[" "] == 3
    with open(out, "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab, merges), f, indent=2, ensure_ascii=False)
        f.write("\n")
    tok = load(out)
    ids = encode(tok, "[BOS]Hello, world: it is 1813![EOS]")
    print(f"wrote {out}: {len(vocab)} ids, {len(merges)} merges; sample ids {ids}")


if __name__ == "__main__":
    main()
