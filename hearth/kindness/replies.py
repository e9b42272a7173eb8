"""Meaningful replies: a soft suggestion when a reply to someone struggling is one word.

"ok" or "same" under a post where someone is venting can read as a shrug.
Hearth offers a few warmer phrasings chosen for the post's tone; the reply
can always be sent as it is.
"""

from __future__ import annotations

import re

from hearth.kindness.normalize import normalize

GENERIC = frozenset(
    {
        "ok", "okay", "k", "kk", "lol", "lmao", "same", "mood", "true", "cool", "nice", "oof",
        "rip", "haha", "hahaha", "wow", "yeah", "yep", "ya", "sad", "damn", "big mood", "relatable",
        "felt", "this", "fair", "meh", "hmm", "interesting", "noted", "ouch", "yikes", "👍", "😂",
        "😢", "💯", "🙃",
    }
)  # fmt: skip

_WORDS = re.compile(r"[^\W_]+|[^\w\s]", re.UNICODE)

PHRASINGS = {
    "venting": [
        "That sounds really hard. I'm sorry you're dealing with this.",
        "That's a lot to carry. I'm here if you want to talk it through.",
        "You have every reason to be frustrated.",
    ],
    "support": [
        "Thinking of you. Is there anything I can do?",
        "You're not alone in this. I'm around if you need me.",
        "Sending you strength. Would it help to talk?",
    ],
}


def is_generic_reply(text: str) -> bool:
    """True for a very short stock reply ("ok", "lol", "same", a lone emoji), mentions aside."""
    words = [w for w in text.split() if not w.startswith("@")]
    if not words or len(words) > 2:
        return False
    core = normalize(" ".join(words))
    core = " ".join(_WORDS.findall(core)).strip(" .!?,")
    return core in GENERIC or core.replace(" ", "") in GENERIC


def caring_phrasings(tone: str) -> list[str]:
    """A few warmer ways to answer a post of this tone (venting or support)."""
    return list(PHRASINGS.get(tone, PHRASINGS["support"]))


def reply_from_phrasing(original: str, phrasing: str) -> str:
    """The reply to edit after picking a phrasing: the original's @mentions, then the phrasing."""
    mentions = [word for word in original.split() if word.startswith("@")]
    return " ".join([*mentions, phrasing])
