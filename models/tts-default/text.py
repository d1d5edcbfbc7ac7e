"""Text for the default voice model: one token per character (a BPE tokenizer.json with no merges,
the format Lina-Speech ships, so Edge's gla-tts tokenizer reads it unchanged).

Alphabet: a-z, space, apostrophe and the marks , . ? ! (ids 3 ...). Training text is normalised to it;
at run time a character outside it is refused by the tokenizer with its position (the CLI's text
normaliser spells nothing out: digits must be written as words).
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lina-reference"))
from make_tokenizer import tokenizer_json  # noqa: E402  (the shared tokenizer.json writer)

SPECIALS = ["[PAD]", "[BOS]", "[EOS]"]
ALPHABET = " abcdefghijklmnopqrstuvwxyz',.?!"
VOCAB = {s: i for i, s in enumerate(SPECIALS)}
VOCAB.update({c: i + len(SPECIALS) for i, c in enumerate(ALPHABET)})
TEXT_VOCAB = 40          # ids 0..34 used; a little room


def normalize(s):
    """A corpus sentence -> the alphabet, or None when it cannot be (digits, other scripts)."""
    s = s.replace("_", "").replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    s = s.replace('"', " ").replace("\u201c", " ").replace("\u201d", " ")
    s = re.sub(r"[;:]", ",", s)
    s = re.sub(r"\s*--+\s*|-", " ", s)
    s = re.sub(r"[()\[\]]", " ", s)
    s = s.lower()
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s+([,.?!])", r"\1", s)
    s = re.sub(r"^[,.?!' ]+", "", s)
    s = re.sub(r",+", ",", s)
    if not s or any(c not in ALPHABET for c in s):
        return None
    if s[-1] not in ".?!":
        s += "."
    return s


def encode(s):
    """[BOS] + characters + [EOS] as ids."""
    return [1] + [VOCAB[c] for c in s] + [2]


def write_tokenizer(path):
    import json
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(VOCAB, []), f, indent=2, ensure_ascii=False)
