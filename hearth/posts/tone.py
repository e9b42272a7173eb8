"""Tone indicators people type, such as /j or /srs, read as the post's tone.

Tone is easy to miss in text: senders expect about 80% of readers to get it
right and just over half do (Kruger et al. 2005). People already write tone
indicators; Hearth recognises them so the tone can be shown plainly.
"""

from __future__ import annotations

import re

from hearth.posts.models import Tone

INDICATORS: dict[str, Tone] = {
    "j": Tone.JOKING,
    "hj": Tone.JOKING,
    "lh": Tone.JOKING,
    "s": Tone.SARCASTIC,
    "sarc": Tone.SARCASTIC,
    "srs": Tone.SERIOUS,
    "gen": Tone.GENUINE,
    "g": Tone.GENUINE,
    "genq": Tone.GENUINE,
    "vent": Tone.VENTING,
}
_INDICATOR_RE = re.compile(
    r"(?:^|(?<=\s))/(" + "|".join(sorted(INDICATORS, key=len, reverse=True)) + r")(?=$|[\s.,!?)])",
    re.IGNORECASE,
)


def tone_from_text(text: str) -> str:
    """The tone named by the last typed indicator in `text`, or "" if none."""
    found = _INDICATOR_RE.findall(text)
    return INDICATORS[found[-1].lower()].value if found else ""
