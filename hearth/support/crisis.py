"""Noticing words of self-harm or suicide in something typed, to offer (never force) help.

This only decides whether to show the crisis resources box beside a search
or a page. It never alerts anyone and never starts a "worried" message: a
classifier alone must not act on a person (see docs/support.md).
"""

from __future__ import annotations

import re
import unicodedata

_PHRASES = [
    r"suicid\w*",
    r"kill(?:ing)? my ?self",
    r"end(?:ing)? (?:it all|my life|things)",
    r"take my (?:own )?life",
    r"want(?:ed)? to die",
    r"wish i (?:was|were) dead",
    r"don'?t want to (?:be alive|live|wake up)",
    r"no reason to live",
    r"better off dead",
    r"self[- ]?harm\w*",
    r"hurt(?:ing)? my ?self",
    r"cut(?:ting)? my ?self",
    r"overdos\w*",
    r"hang(?:ing)? my ?self",
    # A few other languages people on one server may use.
    r"suicidio",
    r"selbstmord",
    r"suizid\w*",
    r"zelfmoord",
    r"me tuer",
    r"quiero morir",
]
_PATTERN = re.compile(r"\b(?:" + "|".join(_PHRASES) + r")\b")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'")
    return re.sub(r"\s+", " ", text)


def crisis_resources_for(text: str) -> bool:
    """Whether `text` contains words of self-harm or suicide, so crisis resources are offered."""
    if not text:
        return False
    return _PATTERN.search(_plain(text[:5000])) is not None
