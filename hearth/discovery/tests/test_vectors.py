"""Stored find-your-people vectors: computed per community, kept current, never refitted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.communities.models import Community
from hearth.communities.services import community_create, community_update, membership_join
from hearth.conftest import committed
from hearth.discovery import selectors, services
from hearth.discovery.models import CommunityVector
from hearth.discovery.resonance import (
    CommunityDoc,
    EmbeddingRanker,
    LexicalRanker,
    doc_units,
    load_catalogue,
)
from hearth.discovery.resonance import lexical as lexical_module
from hearth.discovery.resonance.store import units_digest, unpack
from hearth.discovery.selectors import communities_find
from hearth.discovery.tests.test_resonance import hash_encoder
from hearth.posts.services import post_create


def make(owner: Any, slug: str, name: str, description: str, **extra: Any) -> Community:
    return community_create(
        creator=owner,
        name=name,
        slug=slug,
        description=description,
        who_for=extra.pop("who_for", "Anyone."),
        topics=extra.pop("topics", ""),
        rules=extra.pop("rules", ["Be kind"]),
        **extra,
    )


def turn_into_knitters(community: Community) -> None:
    """Edit a community into a knitting one (as its creator)."""
    assert community.created_by is not None
    community_update(
        community=community,
        actor=community.created_by,
        name="Knitters",
        description="Knitting jumpers, socks and scarves with wool.",
        who_for="Anyone who knits.",
        topics="knitting, wool",
        kind=community.kind,
        join_policy=community.join_policy,
        join_question="",
        rules=["Be kind"],
    )


def slugs(text: str) -> list[str]:
    return [found.community.slug for found in communities_find(text=text)]


def rows() -> dict[int, tuple[str, bytes, Any]]:
    return {
        cid: (digest, bytes(data), updated_at)
        for cid, digest, data, updated_at in CommunityVector.objects.values_list(
            "community_id", "digest", "data", "updated_at"
        )
    }


class EncodeSpy:
    """Records which communities LexicalRanker.encode_docs is asked to encode."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[Any]] = []
        original = LexicalRanker.encode_docs

        def spy(ranker: LexicalRanker, docs: Sequence[CommunityDoc]) -> list[bytes]:
            self.calls.append([doc.id for doc in docs])
            return original(ranker, docs)

        monkeypatch.setattr(LexicalRanker, "encode_docs", spy)


def test_the_first_search_computes_missing_vectors_then_reads_them(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = EncodeSpy(monkeypatch)
    assert services.stale_community_ids() == sorted(c.pk for c in places.values())
    assert slugs("my dad died in april")[0] == "grief-parents"
    assert sorted(spy.calls[0]) == sorted(c.pk for c in places.values())
    assert services.stale_community_ids() == []
    assert slugs("my sourdough starter")[0] == "sourdough"
    assert len(spy.calls) == 1  # nothing encoded for the second query


def test_a_query_with_fresh_vectors_neither_refits_nor_encodes_communities(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.community_vectors_sweep()
    selectors._loaded.clear()  # a new process: loads the stored rows, computes nothing

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the request path re-encoded or refitted communities")

    monkeypatch.setattr(LexicalRanker, "encode_docs", forbidden)
    monkeypatch.setattr(LexicalRanker, "fit", forbidden)
    monkeypatch.setattr(lexical_module, "_idf", forbidden)  # the IDF is never refitted
    assert slugs("my dad died in april and I miss him")[0] == "grief-parents"
    assert slugs("robins at the feeder")[0] == "garden-birds"


def test_an_edit_reencodes_only_that_community_and_the_next_query_sees_it(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "sourdough" not in slugs("knitting jumpers with wool")
    before = rows()
    spy = EncodeSpy(monkeypatch)
    bread = places["bread"]
    assert bread.created_by is not None
    turn_into_knitters(bread)
    assert slugs("knitting jumpers with wool")[0] == "sourdough"
    assert spy.calls == [[bread.pk]]
    after = rows()
    assert after[bread.pk][0] != before[bread.pk][0]
    for other in ("grief", "birds"):
        assert after[places[other].pk] == before[places[other].pk]  # untouched


def test_a_rules_edit_is_encoded_by_its_task_not_by_the_next_search(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.community_vectors_sweep()
    birds = places["birds"]
    before = rows()[birds.pk]
    assert birds.created_by is not None
    with committed():  # CommunityChanged runs the refresh task (inline in tests)
        community_update(
            community=birds,
            actor=birds.created_by,
            name=birds.name,
            description=birds.description,
            who_for=birds.who_for,
            topics=birds.topics,
            kind=birds.kind,
            join_policy=birds.join_policy,
            join_question="",
            rules=["Be kind", "Share your nest box camera clips"],
        )
    assert rows()[birds.pk][0] != before[0]
    spy = EncodeSpy(monkeypatch)
    assert slugs("nest box camera")[0] == "garden-birds"
    assert spy.calls == []  # the search found it fresh


def test_an_edit_that_changes_nothing_ranked_keeps_the_vectors(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    slugs("bread")
    before = rows()
    spy = EncodeSpy(monkeypatch)
    birds = places["birds"]
    Community.objects.filter(pk=birds.pk).update(join_question="Which feeder?")
    birds.refresh_from_db()
    birds.save()  # a new updated_at, the same text
    assert services.stale_community_ids() == [birds.pk]
    slugs("bread")
    assert spy.calls == []
    assert rows()[birds.pk][:2] == before[birds.pk][:2]
    assert services.stale_community_ids() == []


def test_a_new_public_thread_refreshes_its_community(places: dict[str, Community]) -> None:
    slugs("bread")
    bread = places["bread"]
    assert bread.created_by is not None
    digest = rows()[bread.pk][0]
    with committed():  # the post's event runs the refresh task (inline in tests)
        post_create(
            author=bread.created_by,
            text="Has anyone tried a rye and caraway loaf?",
            community_id=bread.pk,
        )
    assert rows()[bread.pk][0] != digest
    assert slugs("caraway")[0] == "sourdough"


def test_private_content_never_enters_the_stored_vectors(places: dict[str, Community]) -> None:
    owner = UserFactory()
    secret = make(
        owner,
        "quiet-room",
        "The quiet room",
        "A private circle for members of one choir.",
        visibility=Community.Visibility.PRIVATE,
        rules=["Kayaks are never discussed outside"],
    )
    membership_join(community=secret, user=UserFactory(), accept_rules=True)
    with committed():
        post_create(
            author=owner, text="Our kayaking trip down the river was magic", community_id=secret.pk
        )
    services.community_vectors_sweep()
    stored = CommunityVector.objects.get(community=secret)
    _, units = unpack(bytes(stored.data))
    texts = " ".join(u.text for u in units.all).lower()
    assert "kayak" not in texts and "choir" in texts
    assert {u.kind for u in units.all} <= {"name", "description", "who_for", "topic"}
    public_only = CommunityDoc(
        id=secret.pk,
        name=secret.name,
        description=secret.description,
        who_for=secret.who_for,
        topics=secret.topic_list,
    )
    assert stored.digest == units_digest(doc_units(public_only))
    # The bytes are exactly those of its public fields alone.
    assert bytes(stored.data) == LexicalRanker().encode_docs([public_only])[0]
    assert "quiet-room" not in slugs("kayaking trip down the river")


def test_missing_stale_and_other_model_vectors_are_recomputed(
    places: dict[str, Community],
) -> None:
    assert services.community_vectors_sweep() == 3
    assert services.community_vectors_sweep() == 0  # idempotent
    grief = places["grief"]
    CommunityVector.objects.filter(community=grief).delete()
    assert services.stale_community_ids() == [grief.pk]
    assert slugs("my mum died")[0] == "grief-parents"
    # Vectors of an older model version are replaced by the sweep.
    CommunityVector.objects.update(model="lexical-v1-old")
    assert len(services.stale_community_ids()) == 3
    assert services.community_vectors_sweep() == 3
    assert set(CommunityVector.objects.values_list("model", flat=True)) == {
        LexicalRanker().identity
    }


def test_a_search_encodes_a_few_itself_and_leaves_many_to_the_sweep(
    places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    swept: list[bool] = []
    real_sweep = services.community_vectors_sweep
    monkeypatch.setattr(selectors, "INLINE_REFRESH", 2)
    # The sweep task (run inline in tests) calls this service.
    monkeypatch.setattr(services, "community_vectors_sweep", lambda: swept.append(True))
    assert communities_find(text="bread") == []  # three stale: nothing encoded in the request
    assert CommunityVector.objects.count() == 0
    assert swept == [True]
    communities_find(text="bread")
    assert swept == [True]  # enqueued once per change, not once per search
    real_sweep()  # the worker runs it
    assert slugs("bread")[0] == "sourdough"
    places["grief"].save()  # one edited: re-encoded by the next search itself
    assert services.stale_community_ids() == [places["grief"].pk]
    slugs("bread")
    assert services.stale_community_ids() == []
    assert swept == [True]


def test_a_deleted_community_leaves_the_index(places: dict[str, Community]) -> None:
    assert slugs("robins and wrens")[0] == "garden-birds"
    places["birds"].delete()
    assert "garden-birds" not in slugs("robins and wrens")


# --- the in-memory index: one row at a time gives what a full fit gives -----------------


def changed_catalogue() -> tuple[list[CommunityDoc], list[CommunityDoc]]:
    catalogue = load_catalogue()
    edited = list(catalogue)
    first = edited[0]
    edited[0] = CommunityDoc(
        id=first.id,
        name="Pottery wheel",
        description="Throwing pots, glazes and kilns.",
        who_for="Potters.",
        topics=["pottery"],
    )
    return catalogue, edited[:-1]  # one community edited, the last one deleted


QUERIES = ["my dad died in april", "throwing pots on the wheel", "I want to stop drinking"]


@pytest.mark.parametrize(
    "make_ranker", [LexicalRanker, lambda: EmbeddingRanker(encoder=hash_encoder)]
)
@pytest.mark.parametrize("compact", [False, True])
def test_row_updates_rank_like_a_full_fit(make_ranker: Any, compact: bool) -> None:
    catalogue, edited = changed_catalogue()
    incremental = make_ranker().fit(catalogue)
    incremental.put(edited[0].id, incremental.encode_docs([edited[0]])[0])
    incremental.remove(catalogue[-1].id)
    if compact:
        incremental.compact()
    fresh = make_ranker().fit(edited)
    for query in QUERIES:
        got, want = incremental.rank(query, limit=5), fresh.rank(query, limit=5)
        assert [m.community_id for m in got] == [m.community_id for m in want]
        assert [m.reason for m in got] == [m.reason for m in want]
        assert np.allclose([m.score for m in got], [m.score for m in want], atol=1e-4)
    assert incremental.rank("pottery", limit=1)[0].community_id == edited[0].id
    assert catalogue[-1].id not in incremental.community_ids()


def test_the_lexical_index_restacks_after_many_row_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical_module, "OVERLAY_ROWS", 3)
    catalogue = load_catalogue()
    ranker = LexicalRanker().fit(catalogue[:10])
    for doc, payload in zip(catalogue[10:], ranker.encode_docs(catalogue[10:]), strict=True):
        ranker.put(doc.id, payload)  # scored from the overlay, then restacked
        ranker.rank("anything at all", limit=1)
    fresh = LexicalRanker().fit(catalogue)
    for query in QUERIES:
        assert ranker.rank(query, limit=5) == fresh.rank(query, limit=5)


def test_the_periodic_tick_and_the_command_run_the_sweep(places: dict[str, Community]) -> None:
    from io import StringIO

    from django.core.management import call_command

    from hearth.discovery.periodic import discovery_tick

    discovery_tick()  # enqueues the sweep (run inline in tests)
    assert services.stale_community_ids() == []
    CommunityVector.objects.all().delete()
    out = StringIO()
    call_command("find_people_vectors", stdout=out)
    assert out.getvalue().startswith("Encoded 3 communities")
