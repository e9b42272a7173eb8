"""Who a text is aimed at and how: the judge's frame features.

A sarcastic put-down rarely contains a rude word ("wow, what a fascinating
perspective from someone who's never left his bedroom"), and a held-out one
shares few n-grams with any in training. What carries over between them is
their shape: praise next to a word of judgement, both aimed at "you", an
interjection before praise, an ellipsis or a question mark. This module
describes a normalised text three ways, all fed to the model (`judge.featurize`):

- `word_grams`: word 1-2-grams that keep punctuation and the start and end of
  the text as tokens ("<s> wow", "genius ?", ". </s>"), and a token for the
  text's length in words ("<len 1>", "<len 10+>"; up to five words, also
  whether any word has a class: "<len 1 n>");
- `class_grams`: 1-3-grams over the text with words replaced by their class
  (YOU, ME, INS, NEG, POS, HARM, GRP, PROF, HEDGE; other words become "_"),
  keeping only grams with a class in them: "YOU _ POS", "HEDGE , POS";
- `cluster_grams`: 1-3-grams over the text with each word in the judge's
  word cluster table replaced by its cluster ("<s> c17 c402"; see
  `clusters`), other tokens as they are;
- `frame_features`: a few yes/no values named in `FRAME_FEATURES`.

Everything here is over normalised text (`normalize.normalize`) and cheap:
one regex tokenisation per text, shared by all three.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from hearth.kindness import cues, lexicon

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|@user|[!?]+|\.\.+|[^\w\s]")

# A word in several lists takes the class listed last: YOU, then ME, INS, NEG, POS ...
_CLASS_OF: Final[dict[str, str]] = {}
for _name, _words in (
    ("HEDGE", lexicon.HEDGES),
    ("PROF", lexicon.PROFANITY),
    ("GRP", lexicon.GROUPS),
    ("HARM", lexicon.HARM),
    ("POS", lexicon.POSITIVE_EVAL),
    ("NEG", lexicon.NEGATIVE + lexicon.NEGATIVE_EVAL),
    ("INS", lexicon.INSULTS),
    ("ME", tuple(cues.SELF_WORDS)),
    ("YOU", tuple(cues.YOU_WORDS)),
):
    for _word in _words:
        _CLASS_OF[_word] = _name
del _name, _words, _word

START: Final = "<s>"
END: Final = "</s>"

# Yes/no values, in the order the model stores their weights.
FRAME_FEATURES: Final = (
    "praise",
    "judgement",
    "judgement_many",
    "you_praise",
    "you_judgement",
    "praise_and_judgement",
    "praise_then_judgement",
    "you_praise_and_judgement",
    "question",
    "exclamation",
    "ellipsis",
    "short",
    "brief",
)
# How near (in tokens, punctuation included) a word must be to "you".
_NEAR = 4


@dataclass(frozen=True)
class Frames:
    word_grams: list[str]
    class_grams: list[str]
    cluster_grams: list[str]
    values: list[float]


def tokens(norm: str) -> list[str]:
    """Words, "@user", runs of ! and ?, ellipses and single punctuation marks."""
    return _TOKEN.findall(norm)


def is_word(tok: str) -> bool:
    return tok[0].isalnum() or tok == "@user"


def class_words() -> list[str]:
    """Every word that has a class."""
    return sorted(_CLASS_OF)


def _grams(seq: list[str], sizes: tuple[int, ...]) -> list[str]:
    return [" ".join(seq[i : i + n]) for n in sizes for i in range(len(seq) - n + 1)]


def _near(a: list[int], b: list[int]) -> bool:
    return any(abs(i - j) <= _NEAR for i in a for j in b)


def _length_bucket(words: int) -> str:
    for top, name in ((1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (9, "6-9")):
        if words <= top:
            return name
    return "10+"


def frames(norm: str, clusters: Mapping[str, int] | None = None) -> Frames:
    """The word, class and cluster grams and `FRAME_FEATURES` values of normalised text.

    `clusters` is the judge's word cluster table (no cluster grams without one).
    """
    found = tokens(norm)
    classes = [_CLASS_OF.get(t) for t in found]
    bounded = [START, *found, END]
    skeleton = [START, *(c or "_" for c in classes), END]
    class_grams = [gram for gram in _grams(skeleton, (1, 2, 3)) if any(ch.isupper() for ch in gram)]
    you = [i for i, c in enumerate(classes) if c == "YOU"]
    praise = [i for i, c in enumerate(classes) if c == "POS"]
    judgement = [i for i, c in enumerate(classes) if c in ("NEG", "INS")]
    mixed = bool(praise) and bool(judgement)
    values = {
        "praise": bool(praise),
        "judgement": bool(judgement),
        # How many words of judgement, up to three, as 0 to 1.
        "judgement_many": min(len(judgement), 3) / 3,
        "you_praise": _near(you, praise),
        "you_judgement": _near(you, judgement),
        "praise_and_judgement": mixed,
        "praise_then_judgement": mixed and min(praise) < max(judgement),
        "you_praise_and_judgement": _near(you, praise) and bool(judgement),
        "question": "?" in norm,
        "exclamation": "!" in norm,
        "ellipsis": ".." in norm,
    }
    # Length: a text of one or two words has few features, and one word seen
    # mostly in put-downs ("almost", "once") would decide it alone.
    words = sum(1 for t in found if is_word(t))
    values["short"] = words <= 2
    values["brief"] = words <= 5
    word_grams = _grams(bounded, (1, 2))
    word_grams.append(f"<len {_length_bucket(words)}>")
    if words <= 5:
        # Short and with no word of any class ("once", "see you at 8") or with one.
        word_grams.append(f"<len {_length_bucket(words)} {'c' if any(classes) else 'n'}>")
    numbers = [float(values[name]) for name in FRAME_FEATURES]
    cluster_grams: list[str] = []
    if clusters is not None:
        seq = [START, *(f"c{clusters[t]}" if t in clusters else t for t in found), END]
        cluster_grams = _grams(seq, (1, 2, 3))
    return Frames(word_grams, class_grams, cluster_grams, numbers)
