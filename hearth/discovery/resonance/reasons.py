"""Why a community came up, in plain words, taken from the community's own text.

A reason only ever restates or quotes what the community says about itself
(a topic, who it is for, a sentence of its description) or what a member
wrote there. It never claims anything the text does not say.
"""

from __future__ import annotations

from collections.abc import Sequence

from hearth.discovery.resonance.documents import Unit

MAX_QUOTE_CHARS = 90

# Which kinds of unit make a good reason, and how much a kind is preferred
# when scores are close: a topic reads best ("people here talk about ..."),
# a quoted post least (it is one person's words).
REASON_PREFERENCE: dict[str, float] = {
    "topic": 1.15,
    "who_for": 1.05,
    "description": 1.0,
    "post": 0.9,
}


def shorten(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """Cut a quote at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def phrase(unit: Unit) -> str:
    """The plain-words reason for one unit of a community's text."""
    text = " ".join(unit.text.split()).rstrip(".")
    if unit.kind == "topic":
        return f"people here talk about {text}"
    if unit.kind == "who_for":
        clause = shorten(text)
        return f"it's for {clause}"
    if unit.kind == "description":
        return f"in their own words: “{shorten(unit.text)}”"
    if unit.kind == "post":
        return f"a member wrote: “{shorten(unit.text)}”"
    if unit.kind == "rule":
        return f"one of their rules: “{shorten(unit.text)}”"
    return f"it's called {text}"


def best_reason(units: Sequence[Unit], scores: Sequence[float]) -> str:
    """The reason from the best-matching unit that makes a good reason.

    `scores[i]` is how well the query matches `units[i]`. When nothing
    matches, the community's first topic (or who it is for, or the first
    sentence of its description) stands in: a true statement about it.
    """
    best: Unit | None = None
    best_score = 0.0
    for unit, score in zip(units, scores, strict=True):
        weight = REASON_PREFERENCE.get(unit.kind)
        if weight is None or score <= 0:
            continue
        if score * weight > best_score:
            best, best_score = unit, score * weight
    if best is None:
        for kind in ("topic", "who_for", "description"):
            best = next((u for u in units if u.kind == kind), None)
            if best is not None:
                break
    if best is None:
        name = next((u for u in units if u.kind == "name"), None)
        return phrase(name) if name else ""
    return phrase(best)
