"""Find your people: rank communities by how well they resonate with a description.

Ranking reads precomputed vectors (hearth.discovery.models.CommunityVector),
kept current by services one community at a time. Each process holds them
in memory, loaded once and refreshed row by row when rows change; a request
never encodes more than INLINE_REFRESH communities (new or edited ones found
missing or stale), and never refits or re-encodes all of them.

While the configured model's vectors are incomplete (after a model upgrade
every stored row has the old identity, and vectors of another model are not
comparable; on a first start none exist), a search uses the lexical model's
stored vectors instead, kept by the same services for exactly this (see
`loaded_ranker`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber

from hearth.communities.models import Community
from hearth.discovery.models import CommunityVector
from hearth.discovery.resonance import CommunityDoc, Ranker, configured_model, get_ranker
from hearth.posts.models import Post

logger = logging.getLogger(__name__)

RECENT_POSTS = 20
MAX_QUERY = 2000
# Results scoring under this share of the best one are left out.
RELATIVE_FLOOR = 0.5
# New or edited communities a search encodes itself before ranking, when
# there are no more than this (a community just created or edited shows up
# in the next search); more are left to the background sweep, and until it
# has run a new community is missing from results and an edited one ranks
# on its previous vectors.
INLINE_REFRESH = 16
# Stored rows read per query while loading vectors into memory.
LOAD_BATCH = 500


@dataclass
class _Loaded:
    """One process's in-memory index of one model; a cache, rebuilt from the table."""

    ranker: Ranker
    digests: dict[int, str] = field(default_factory=dict)
    gate: tuple[Any, ...] | None = None
    # Communities without a row of this model, when the gate was last read.
    missing: int = 0
    # Rows are replaced in place: a search must not score a half-replaced one.
    lock: threading.Lock = field(default_factory=threading.Lock)


_lock = threading.Lock()  # guards _loaded itself
# Per process and model setting: a cache of the stored rows, not shared state.
_loaded: dict[str, _Loaded] = {}


@dataclass(frozen=True)
class Found:
    community: Community
    reason: str
    score: float


def community_docs(*, ids: Iterable[int] | None = None) -> list[CommunityDoc]:
    """Communities as the rankers see them: every one, or those of `ids`.

    A public community is described by its name, description, who it is for,
    topics, rules and its recent public threads; a private one only by what
    it says about itself in public (name, description, who it is for,
    topics) — never by its rules or what its members wrote.
    """
    id_list = None if ids is None else list(ids)
    # The newest threads of every public community in one query (a window
    # per community), not one query per community.
    posts = Post.objects.live().filter(
        community__visibility=Community.Visibility.PUBLIC,
        removed_at__isnull=True,
        in_reply_to__isnull=True,
    )
    communities = Community.objects.prefetch_related("rules")
    if id_list is not None:
        posts = posts.filter(community_id__in=id_list)
        communities = communities.filter(pk__in=id_list)
    recent = (
        posts.annotate(
            rank=Window(RowNumber(), partition_by=[F("community_id")], order_by=F("id").desc())
        )
        .filter(rank__lte=RECENT_POSTS)
        .order_by("community_id", "-id")
        .values_list("community_id", "text")
    )
    threads: dict[int, list[str]] = {}
    for community_id, text in recent:
        threads.setdefault(community_id, []).append(text)
    docs = []
    for community in communities:
        private = community.is_private
        texts = [] if private else threads.get(community.pk, [])
        docs.append(
            CommunityDoc(
                id=community.pk,
                name=community.name,
                description=community.description,
                who_for=community.who_for,
                topics=community.topic_list,
                rules=[] if private else [r.title for r in community.rules.all()],
                recent_posts=texts,
                private=private,
            )
        )
    return docs


def _gate(identity: str) -> tuple[Any, ...]:
    """Changes when a community is created, edited or deleted, or a stored row changes."""
    communities = Community.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    vectors = CommunityVector.objects.filter(model=identity).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    return (communities["n"], communities["changed"], vectors["n"], vectors["changed"])


def _sync(loaded: _Loaded) -> None:
    """Load the stored rows that changed into the in-memory index; drop deleted ones."""
    ranker = loaded.ranker
    rows = dict(
        CommunityVector.objects.filter(model=ranker.identity).values_list("community_id", "digest")
    )
    for community_id in [cid for cid in loaded.digests if cid not in rows]:
        ranker.remove(community_id)
        del loaded.digests[community_id]
    changed = sorted(cid for cid, digest in rows.items() if loaded.digests.get(cid) != digest)
    for start in range(0, len(changed), LOAD_BATCH):
        batch = changed[start : start + LOAD_BATCH]
        for community_id, digest, data in CommunityVector.objects.filter(
            model=ranker.identity, community_id__in=batch
        ).values_list("community_id", "digest", "data"):
            try:
                ranker.put(community_id, bytes(data))
            except ValueError:
                # Unreadable bytes are left out of results, never read as
                # vectors; the refresh re-encodes a row it cannot convert.
                logger.warning("Find your people: unreadable vectors of community %d", community_id)
                continue
            loaded.digests[community_id] = digest
    if len(changed) > LOAD_BATCH:  # a bulk load: stack the matrices now, not on a query
        ranker.compact()


def _loaded_for(key: str) -> _Loaded:
    with _lock:
        loaded = _loaded.get(key)
        if loaded is None:
            loaded = _loaded[key] = _Loaded(ranker=get_ranker(key))
        return loaded


def _brought_up_to_date(key: str, *, enqueue: bool = True) -> _Loaded:
    """The index of model setting `key`, with a few stale communities encoded first.

    Two aggregate queries when nothing changed. Otherwise: when at most
    INLINE_REFRESH communities are missing, edited or in an older format
    they are encoded (or converted) here, outside the lock (other searches
    go on; two searches encoding one community write the same row); more
    are the sweep's work, enqueued here once per change (if `enqueue`).
    Then only the rows that changed are read into memory.
    """
    from hearth.discovery import services, tasks

    loaded = _loaded_for(key)
    identity = loaded.ranker.identity
    gate = _gate(identity)
    if gate == loaded.gate:
        return loaded
    stale = services.stale_community_ids(model=key, limit=INLINE_REFRESH + 1)
    if len(stale) > INLINE_REFRESH:
        if enqueue:
            tasks.community_vectors_sweep.enqueue()
    elif stale:
        services.community_vectors_refresh(community_ids=stale, model=key, fallback=False)
        gate = _gate(identity)
    with loaded.lock:
        _sync(loaded)
        loaded.gate = gate
        loaded.missing = max(0, gate[0] - gate[2])
    return loaded


def loaded_ranker() -> _Loaded:
    """This process's index of the stored vectors, brought up to date; the fallback's if need be.

    The configured model's index serves when every community has a row of
    it (a few missing are encoded here first, `_brought_up_to_date`). When
    more are missing — right after a model upgrade, whose new identity has
    no rows until the sweep has encoded them all, or on a first start —
    the lexical model's stored vectors serve instead, if they cover more
    communities: a complete catalogue ranked by the simpler model beats
    the better model over a part of it (or over nothing). They are kept by
    the services beside the configured model's (`services.fallback_model`)
    and brought up to date first by the sweep, so they are complete within
    seconds of an upgrade, or already. Once the configured model is
    complete again the fallback index is dropped from memory. The request
    path never encodes more than INLINE_REFRESH communities per model.
    Read or change an index only under its `lock`.
    """
    from hearth.discovery import services

    key = configured_model()
    loaded = _brought_up_to_date(key)
    fallback = services.fallback_model(key)
    if fallback is None or fallback == key:
        return loaded
    if loaded.missing == 0:
        with _lock:  # the configured model is complete: free the stand-in's memory
            _loaded.pop(fallback, None)
        return loaded
    # (The sweep, which brings both up to date, was enqueued above if need be.)
    standby = _brought_up_to_date(fallback, enqueue=False)
    return standby if standby.missing < loaded.missing else loaded


def communities_find(*, text: str, limit: int = 8) -> list[Found]:
    """Communities ranked by how well they resonate with `text`, each with a reason.

    Empty text finds nothing; very long text is cut to its first 2,000
    characters. Private communities take part only with their public
    description, so a result never reveals what their members wrote. Reads
    precomputed vectors (see `loaded_ranker`).
    """
    text = text.strip()[:MAX_QUERY]
    if not text:
        return []
    loaded = loaded_ranker()
    # The query is encoded (tens of milliseconds with embeddings) outside the
    # lock; only scoring reads the index.
    encoded = loaded.ranker.encode_query(text)
    with loaded.lock:
        ranked = loaded.ranker.rank_encoded(encoded, limit)
    matches = [m for m in ranked if m.score > 0]
    # Weak matches are noise next to a strong one: keep those within reach of the best.
    if matches:
        floor = matches[0].score * RELATIVE_FLOOR
        matches = [m for m in matches if m.score >= floor]
    by_id = Community.objects.in_bulk([int(m.community_id) for m in matches])
    return [
        Found(community=by_id[int(m.community_id)], reason=m.reason, score=m.score)
        for m in matches
        if int(m.community_id) in by_id
    ]
