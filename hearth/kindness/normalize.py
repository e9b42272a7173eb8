"""Text normalisation for the judge: undo the usual dodges before judging.

People who want an insult to slip past a filter write "id\u200biot",
"i d i o t", "1d10t", "f*ck" or the word in full-width letters. The judge only ever sees text
after `normalize()`, both when it is trained and when it judges, so each dodge
collapses onto the plain word. The steps, in order:

1. NFKC (full-width and stylised letters become plain ones);
2. drop invisible characters: Unicode format characters (category Cf: zero
   width spaces and joiners, bidi controls, soft hyphens, tags), a few
   invisible "letters" (Hangul fillers, braille blank), variation selectors,
   and combining marks on Latin letters ("ï̴d̷i̶o̵t"; accents go too);
3. lower-case (casefold), Cyrillic/Greek look-alikes inside Latin words;
4. join letters spelled out one by one ("i d i o t", "s.t.u.p.i.d");
5. leetspeak inside words (0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, @→a, $→s,
   ! between letters → i) and masked words ("f*ck", "sh#t") resolved against
   a short list of words people mask;
6. letters repeated three or more times squashed to two ("stuuuupid");
7. whitespace collapsed.

`VERSION` is stored in the trained model; change it whenever the output of
`normalize()` changes, so an old model refuses to load instead of judging
text it was not trained on.
"""

from __future__ import annotations

import re
import unicodedata

from hearth.kindness import lexicon

VERSION = 2

# Invisible characters that are not in category Cf.
_INVISIBLE_OTHER = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# Cyrillic and Greek letters that look like Latin ones; only swapped inside a
# word that also has Latin letters, so Russian or Greek text is left alone.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏνοτκαρ",
    "aeopcyxijsdhlvotkap",
)
_LOOKALIKE_CHARS = frozenset("аеорсухіјѕԁһӏνοτκαρ")

# Words people commonly mask or spell with digits, most frequent first: a
# masked or ambiguous spelling is resolved to the first one that fits.
MASKED_WORDS: tuple[str, ...] = (
    "fuck",
    "fucking",
    "fucked",
    "fucker",
    "fuckers",
    "motherfucker",
    "shit",
    "shits",
    "shitty",
    "shithead",
    "bitch",
    "bitches",
    "cunt",
    "cunts",
    "dick",
    "dickhead",
    "asshole",
    "arsehole",
    "ass",
    "arse",
    "bastard",
    "damn",
    "hell",
    "crap",
    "piss",
    "prick",
    "twat",
    "wanker",
    "whore",
    "slut",
    "cock",
    "idiot",
    "idiots",
    "stupid",
    "moron",
    "loser",
    "losers",
    "dumb",
    "dumbass",
    "retard",
    "retarded",
    "kill",
    "killed",
    "die",
    "dead",
    "hate",
    "suck",
    "sucks",
    "ugly",
    "fat",
    "trash",
    "scum",
    "fag",
    "tranny",
    "hoe",
    "hoes",
    "you",
    "your",
    "find",
    "will",
    "self",
    "yourself",
)
# Then every word of the cue lexicon, so "chr*stians" or "h*rt" resolve too.
_RESOLVABLE: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *MASKED_WORDS,
            *lexicon.INSULTS,
            *lexicon.HARM,
            *lexicon.PROFANITY,
            *lexicon.GROUPS,
            *lexicon.NEGATIVE,
        ]
    )
)
_MASKED_SET = frozenset(_RESOLVABLE)

# Misspellings that carry the same word; a tiny list, char n-grams do the rest.
_VARIANTS = {
    "fvck": "fuck",
    "fuk": "fuck",
    "fuq": "fuck",
    "fck": "fuck",
    "fcuk": "fuck",
    "phuck": "fuck",
    "fking": "fucking",
    "fkn": "fucking",
    "fcking": "fucking",
    "biatch": "bitch",
    "biotch": "bitch",
    "stoopid": "stupid",
    "stupit": "stupid",
    "idjit": "idiot",
    "retrd": "retard",
    "u": "you",
    "ur": "your",
    "ya": "you",
    "yu": "you",
    "r": "are",
    "stfu": "shut the fuck up",
    "gtfo": "get the fuck out",
}

_LEET = {
    "0": "o",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "@": "a",
    "$": "s",
    "!": "i",
    "+": "t",
}
_MASK_CHARS = "*#"
# "10am", "2nd", "5k": digits that are numbers, not letters.
_NUMBER_WORD = re.compile(r"\d+(?:st|nd|rd|th|am|pm|k|km|kg|s|x|m|h|min|mins|hrs|yo|mb|gb|p)")
_WORD_CHARS = r"[\w@$!*#'+]"
# Only words that need work go through the (slow, Python-level) word step:
# those with a digit or symbol, a look-alike letter, a letter three times in
# a row, or a spelling in _VARIANTS. Every other word would come out as it went in.
_WORD = re.compile(
    rf"{_WORD_CHARS}*[\d@$!*#+{''.join(sorted(_LOOKALIKE_CHARS))}]{_WORD_CHARS}*"
    rf"|{_WORD_CHARS}*?(\w)\1\1{_WORD_CHARS}*"
    rf"|(?<!{_WORD_CHARS})(?:{'|'.join(sorted(map(re.escape, _VARIANTS), key=len, reverse=True))})"
    rf"(?!{_WORD_CHARS})"
)
_HAS_LETTER = re.compile(r"[a-z]")
# Four or more single characters separated by spaces: "i d i o t".
_SPACED = re.compile(r"(?<!\S)(?:[\w@$!*+] ){3,}[\w@$!*+](?!\S)")
# Two or more spelled-out words in a row, each letter spaced and the words
# separated by wider gaps: "y o u  a r e  w o r t h l e s s".
_SPACED_WORDS = re.compile(
    r"(?<!\S)(?:[\w@$!*+] )+[\w@$!*+](?:[ \t]{2,}(?:[\w@$!*+] )*[\w@$!*+])+(?!\S)"
)
# Three or more single characters joined by dots, dashes, underscores: "l-o-s-e-r".
_DOTTED = re.compile(
    r"(?:[\w@$!](?:[.\-_·]|\s?\*\s?)){2,}[\w@$!](?![\w@$!])[.\-_·]?"
    r"|(?<![\w.])(?:[\w@$!][.\-_·]){2,}(?![\w@$!])"
)
_REPEAT = re.compile(r"(.)\1{2,}")
_SQUASH_ALL = re.compile(r"(.)\1+")
_SPACE = re.compile(r"\s+")
# Three spaced letters are usually words ("u r a"), so they are only joined
# when they spell a word people space out ("k y s", "d i e", "y o u").
_SPACED3 = re.compile(r"(?<!\S)([\w@$!*])\s([\w@$!*])\s([\w@$!*])(?![^\s'])")
_SPACED3_WORDS = frozenset({"kys", "die", "you", "fat", "ass", "cow", "pig", "hoe", "fag", "gay"})


def _strip_invisible(text: str) -> str:
    """Drop format characters, invisible fillers, variation selectors and
    combining marks that sit on Latin letters."""
    if text.isascii():
        return text
    # Decomposed, an accented Latin letter is an ASCII letter plus marks, so
    # "ï̴" loses both the diaeresis and the stacked tilde; other scripts keep
    # their marks and are recomposed below.
    text = unicodedata.normalize("NFD", text)
    out: list[str] = []
    prev_latin = False
    for ch in text:
        if ch.isascii():
            out.append(ch)
            prev_latin = ch.isalpha()
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf" or ch in _INVISIBLE_OTHER or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        if cat == "Mn" and prev_latin:
            continue
        out.append(ch)
        prev_latin = False
    return unicodedata.normalize("NFC", "".join(out))


def _join_spaced(match: re.Match[str]) -> str:
    letters = re.sub(r"[\s.\-_·]", "", match.group(0))
    # "1 2 3 4" stays a list of numbers.
    return letters if re.search(r"[^\W\d_]", letters) else match.group(0)


def _join_spaced_words(match: re.Match[str]) -> str:
    return " ".join(chunk.replace(" ", "") for chunk in re.split(r"[ \t]{2,}", match.group(0)))


def _join_spaced3(match: re.Match[str]) -> str:
    joined = "".join(match.groups())
    deleeted = _deleet(joined) if _HAS_LETTER.search(joined) else joined
    return joined if deleeted in _SPACED3_WORDS else match.group(0)


def _resolve_mask(word: str) -> str:
    core = word.strip("'")
    if core[0] in _MASK_CHARS:
        # "*hugs*" is emphasis, not masking.
        return word
    pattern = re.compile(
        "".join(
            f"[a-z]{{1,{len(run) + 1}}}" if run[0] in _MASK_CHARS else re.escape(run)
            for run in re.findall(r"[*#]+|[^*#]+", core)
        )
    )
    for candidate in _RESOLVABLE:
        if pattern.fullmatch(candidate):
            return candidate
    return word


def _deleet(word: str) -> str:
    if _NUMBER_WORD.fullmatch(word):
        return word
    chars = list(word)
    for i, ch in enumerate(chars):
        if ch in _LEET:
            if ch in "!+" and not (
                0 < i < len(chars) - 1 and chars[i - 1].isalpha() and chars[i + 1].isalpha()
            ):
                continue
            if ch == "$" and i + 1 < len(chars) and chars[i + 1].isdigit():
                continue
            chars[i] = _LEET[ch]
    mapped = "".join(chars)
    if "1" not in mapped:
        return mapped
    # "1" is "i" in "1d10t" and "l" in "l0ser"/"ki11": prefer a known word.
    as_i = mapped.replace("1", "i")
    if as_i in _MASKED_SET:
        return as_i
    as_l = mapped.replace("1", "l")
    if as_l in _MASKED_SET:
        return as_l
    return as_i


def _normalize_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _HAS_LETTER.search(word):
        return word
    if word[0] == "@" and len(word) > 1:
        # A mention, unless it spells a masked word ("@ss").
        mapped = _deleet("a" + word[1:])
        return mapped if mapped in _MASKED_SET else "@user"
    if any(ch in _LOOKALIKE_CHARS for ch in word):
        word = word.translate(_LOOKALIKES)
    if any(ch in _LEET or ch.isdigit() for ch in word):
        word = _deleet(word)
    if any(ch in _MASK_CHARS for ch in word):
        word = _resolve_mask(word)
    if _REPEAT.search(word):
        # "stuuupid" is "stupid"; "sooo" stays "soo" (step 6).
        single = _SQUASH_ALL.sub(r"\1", word)
        word = single if single in _MASKED_SET else _REPEAT.sub(r"\1\1", word)
    return _VARIANTS.get(word, word)


def normalize(text: str) -> str:
    """Return the form of `text` the judge reads (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _strip_invisible(text)
    text = text.casefold()
    # Spelled-out words are separated by wider gaps ("y o u  s u c k"), so
    # letters are joined before whitespace is collapsed.
    text = _SPACED_WORDS.sub(_join_spaced_words, text)
    text = _SPACED.sub(_join_spaced, text)
    text = _SPACE.sub(" ", text)
    text = _DOTTED.sub(_join_spaced, text)
    text = _SPACED3.sub(_join_spaced3, text)
    text = _WORD.sub(_normalize_word, text)
    text = _REPEAT.sub(r"\1\1", text)
    return text.strip()
