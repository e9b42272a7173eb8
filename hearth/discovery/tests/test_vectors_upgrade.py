"""Stored vectors across byte formats and model upgrades.

Float16 payloads held in half the memory, rows of the older float32 format
converted without running the model, and results right after a model
upgrade (served by the lexical fallback until the new model's vectors are
complete).
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from hearth.communities.models import Community
from hearth.conftest import committed
from hearth.discovery import selectors, services
from hearth.discovery.models import CommunityVector
from hearth.discovery.resonance import (
    CommunityDoc,
    EmbeddingRanker,
    LexicalRanker,
    configured_model,
    load_catalogue,
)
from hearth.discovery.resonance import embedding as embedding_module
from hearth.discovery.resonance.store import DenseRows, pack, unpack
from hearth.discovery.tests.test_resonance import hash_encoder
from hearth.discovery.tests.test_vectors import QUERIES, slugs, turn_into_knitters


def as_float32(payload: bytes) -> bytes:
    """A payload as the code before float16 wrote it (format 1): the same vectors in float32."""
    arrays, units = unpack(payload)
    return pack({name: array.astype(np.float32) for name, array in arrays.items()}, units)


# --- the ranker: float16 payloads, held in half the memory, scored accurately ----------


def test_payloads_and_the_held_vectors_are_float16() -> None:
    ranker = EmbeddingRanker(encoder=hash_encoder)
    payloads = ranker.encode_docs(load_catalogue())
    for payload in payloads:
        arrays, _ = unpack(payload)
        assert {array.dtype for array in arrays.values()} == {np.dtype(np.float16)}
    for i, payload in enumerate(payloads):
        ranker.put(i, payload)
    held = [v for v in ranker._unit_vectors if v.size]
    assert held and {v.dtype for v in held} == {np.dtype(np.float16)}
    # Copies, not views: a view would keep the whole payload (and its text) alive.
    assert all(v.base is None for v in held)


def held_after_loading(index: Any, payloads: Sequence[bytes]) -> int:
    """Bytes `index` keeps after loading fresh copies of `payloads` (as read from the database)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i, payload in enumerate(payloads):
            index.put(i, bytes(memoryview(payload)))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return int(held)


class Float32Index:
    """What the index held before float16: each payload (its unit vectors were views of
    it) and the two views' float32 rows."""

    def __init__(self) -> None:
        self.about, self.talk = DenseRows(), DenseRows()
        self.units: dict[int, Any] = {}

    def put(self, row: int, payload: bytes) -> None:
        arrays, _ = unpack(payload)
        self.about.set(row, arrays["v_about"])
        self.talk.set(row, arrays["v_talk"])
        self.units[row] = arrays["v_units"]


def test_an_index_holds_half_the_memory_of_float32_vectors_or_less() -> None:
    catalogue = load_catalogue()
    payloads = EmbeddingRanker(encoder=hash_encoder).encode_docs(catalogue)
    old_format = [as_float32(p) for p in payloads]
    before = held_after_loading(Float32Index(), old_format)
    assert before > sum(len(p) for p in old_format)
    # Rows of the old float32 format are held as float16 too.
    for given in (payloads, old_format):
        index = EmbeddingRanker(encoder=hash_encoder)
        assert held_after_loading(index, given) <= 0.5 * before
        assert index.held_bytes() <= 0.5 * before


def test_float16_scores_stay_within_1e_3_of_float32_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = load_catalogue()
    half = EmbeddingRanker(encoder=hash_encoder).fit(catalogue)
    monkeypatch.setattr(embedding_module, "VECTOR_DTYPE", np.float32)
    full = EmbeddingRanker(encoder=hash_encoder).fit(catalogue)
    assert full._unit_vectors[0].dtype == np.float32
    for query in [*QUERIES, "sourdough starter discard recipes", "robins at the feeder"]:
        got, want = half.rank(query, limit=5), full.rank(query, limit=5)
        assert got[0].community_id == want[0].community_id
        assert got[0].reason == want[0].reason
        want_scores = {m.community_id: m.score for m in want}
        for match in got:
            if match.community_id in want_scores:
                assert abs(match.score - want_scores[match.community_id]) < 1e-3


def test_the_float16_widening_gives_the_same_scores_with_or_without_torch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hearth.discovery.resonance import store

    rng = np.random.default_rng(0)
    rows = rng.standard_normal((store.WIDEN_ROWS + 100, 64)).astype(np.float16)
    query = rng.standard_normal(64).astype(np.float32)
    exact = rows.astype(np.float64) @ query.astype(np.float64)
    got = store.half_rows_dot(rows, query)
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert np.array_equal(store.half_rows_dot(rows, query), got)
    assert got.dtype == np.float32
    assert np.allclose(got, exact, rtol=1e-5, atol=1e-4)


def test_an_old_format_payload_is_upgraded_without_the_model() -> None:
    calls: list[int] = []

    def counting(texts: Sequence[str]) -> Any:
        calls.append(len(texts))
        return hash_encoder(texts)

    ranker = EmbeddingRanker(encoder=counting)
    current = ranker.encode_docs(load_catalogue()[:3])
    calls.clear()
    for payload in current:
        assert ranker.upgrade_payload(as_float32(payload)) == payload
        assert ranker.upgrade_payload(payload) == payload
    assert calls == []
    for junk in (b"junk", LexicalRanker().encode_docs(load_catalogue()[:1])[0]):
        with pytest.raises(ValueError):
            ranker.upgrade_payload(junk)
        with pytest.raises(ValueError):
            ranker.put("x", junk)


# --- the app: an embedding model (a stand-in encoder), its format and its upgrades ----


class EmbeddingEncodeSpy:
    """Which communities EmbeddingRanker.encode_docs is asked to encode (the model runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[Any]] = []
        original = EmbeddingRanker.encode_docs

        def spy(ranker: EmbeddingRanker, docs: Sequence[CommunityDoc]) -> list[bytes]:
            self.calls.append(sorted(doc.id for doc in docs))
            return original(ranker, docs)

        monkeypatch.setattr(EmbeddingRanker, "encode_docs", spy)


@dataclass
class App:
    """Hearth configured for embeddings; `upgrade` installs a model of a new identity."""

    monkeypatch: pytest.MonkeyPatch
    identity: str = "hash-embeddings-1"
    sweeps: list[bool] = field(default_factory=list)

    def get_ranker(self, model: str | None = None) -> Any:
        if (model or configured_model()) == "lexical":
            return LexicalRanker()
        return EmbeddingRanker(encoder=hash_encoder, identity=self.identity)

    def new_process(self) -> None:
        self.monkeypatch.setattr(selectors, "_loaded", {})
        self.monkeypatch.setattr(services, "_encoders", {})

    def upgrade(self, identity: str) -> None:
        self.identity = identity
        self.new_process()

    def hold_the_sweep(self) -> None:
        """The sweep task is recorded, not run (as if the worker had not reached it yet)."""
        self.monkeypatch.setattr(
            services, "community_vectors_sweep", lambda: self.sweeps.append(True)
        )


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, settings: Any) -> App:
    app = App(monkeypatch)
    settings.HEARTH_FIND_PEOPLE_MODEL = "embeddings"
    monkeypatch.setattr(selectors, "get_ranker", app.get_ranker)
    monkeypatch.setattr(services, "get_ranker", app.get_ranker)
    app.new_process()
    return app


def stored(identity: str) -> dict[int, tuple[int, bytes]]:
    return {
        cid: (fmt, bytes(data))
        for cid, fmt, data in CommunityVector.objects.filter(model=identity).values_list(
            "community_id", "format", "data"
        )
    }


def back_to_float32(identity: str) -> None:
    """Rewrite the stored rows as the code before float16 wrote them (format 1)."""
    for row in CommunityVector.objects.filter(model=identity):
        row.data = as_float32(bytes(row.data))
        row.format = 1
        row.save(update_fields=["data", "format"])


def test_old_format_rows_are_read_then_converted_by_the_next_search_without_the_model(
    app: App, places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.community_vectors_sweep()
    current = stored(app.identity)
    assert {fmt for fmt, _ in current.values()} == {2}
    expected = slugs("grief after losing my dad")
    assert expected[0] == "grief-parents"
    back_to_float32(app.identity)
    app.new_process()
    spy = EmbeddingEncodeSpy(monkeypatch)
    assert sorted(services.stale_community_ids()) == sorted(current)  # recognised by format
    assert slugs("grief after losing my dad") == expected
    assert spy.calls == []  # converted, not re-encoded by the model
    assert stored(app.identity) == current  # the bytes encode_docs writes today
    assert services.stale_community_ids() == []


def test_the_sweep_converts_old_format_rows_and_re_encodes_unreadable_ones(
    app: App, places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INLINE_REFRESH", 0)  # nothing converted by a search
    services.community_vectors_sweep()
    current = stored(app.identity)
    back_to_float32(app.identity)
    birds = places["birds"].pk
    CommunityVector.objects.filter(model=app.identity, community_id=birds).update(data=b"junk")
    app.new_process()
    app.hold_the_sweep()
    # Old rows are read as they are (float16 in memory); the unreadable one is left out.
    assert slugs("my sourdough starter")[0] == "sourdough"
    assert "garden-birds" not in slugs("robins and wrens at the feeder")
    spy = EmbeddingEncodeSpy(monkeypatch)
    # What the sweep does, one batch: only the unreadable row runs the model.
    assert services.community_vectors_refresh(community_ids=current, fallback=False) == 1
    assert spy.calls == [[birds]]
    assert stored(app.identity) == current
    app.new_process()
    assert slugs("robins and wrens at the feeder")[0] == "garden-birds"


def test_a_search_right_after_a_model_upgrade_uses_the_lexical_fallback(
    app: App, places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.community_vectors_sweep()
    assert set(CommunityVector.objects.values_list("model", flat=True)) == {
        app.identity,
        LexicalRanker().identity,  # kept beside the embeddings, for this
    }
    assert slugs("grief after losing my dad")[0] == "grief-parents"
    assert selectors.loaded_ranker().ranker.name == "embeddings"

    monkeypatch.setattr(selectors, "INLINE_REFRESH", 2)  # three communities count as many
    app.upgrade("hash-embeddings-2")  # no row has the new identity
    real_sweep = services.community_vectors_sweep
    app.hold_the_sweep()
    spy = EmbeddingEncodeSpy(monkeypatch)
    assert slugs("my dad died in april")[0] == "grief-parents"
    assert slugs("robins at the feeder")[0] == "garden-birds"
    assert selectors.loaded_ranker().ranker.name == "lexical"
    assert spy.calls == []  # nothing encoded by the model on the request path
    assert app.sweeps  # the new model's vectors are left to the sweep

    assert real_sweep() == 3  # the worker runs the sweep
    assert spy.calls == [sorted(c.pk for c in places.values())]
    assert set(CommunityVector.objects.values_list("model", flat=True)) == {
        "hash-embeddings-2",
        LexicalRanker().identity,
    }
    assert slugs("grief after losing my dad")[0] == "grief-parents"
    loaded = selectors.loaded_ranker()
    assert (loaded.ranker.name, loaded.ranker.identity) == ("embeddings", "hash-embeddings-2")
    assert "lexical" not in selectors._loaded  # the stand-in's memory is freed


def test_the_fallback_serves_only_while_it_covers_more(
    app: App, places: dict[str, Community], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INLINE_REFRESH", 0)
    app.hold_the_sweep()
    # A first start: no vectors of either model; nothing to serve yet.
    assert slugs("my dad died in april") == []
    assert app.sweeps
    # The sweep does the cheap fallback first: from then on results come from it.
    ids = [c.pk for c in places.values()]
    services.community_vectors_refresh(community_ids=ids, model="lexical")
    assert slugs("my dad died in april")[0] == "grief-parents"
    assert selectors.loaded_ranker().ranker.name == "lexical"
    # The embedding model catches up and takes over.
    services.community_vectors_refresh(community_ids=ids, fallback=False)
    assert slugs("grief after losing my dad")[0] == "grief-parents"
    assert selectors.loaded_ranker().ranker.name == "embeddings"


def test_an_edit_refreshes_both_the_model_and_its_fallback(
    app: App, places: dict[str, Community]
) -> None:
    services.community_vectors_sweep()
    before = {m: stored(m) for m in (app.identity, LexicalRanker().identity)}
    bread = places["bread"]
    assert bread.created_by is not None
    with committed():  # CommunityChanged runs the refresh task (inline in tests)
        turn_into_knitters(bread)
    for model, rows in before.items():
        after = stored(model)
        assert after[bread.pk] != rows[bread.pk]
        assert {k: v for k, v in after.items() if k != bread.pk} == {
            k: v for k, v in rows.items() if k != bread.pk
        }
    assert services.stale_community_ids() == []
    assert services.stale_community_ids(model="lexical") == []
