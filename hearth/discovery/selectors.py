"""Find your people: rank communities by how well they resonate with a description."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber

from hearth.communities.models import Community
from hearth.discovery.resonance import CommunityDoc, Ranker, get_ranker
from hearth.posts.models import Post

RECENT_POSTS = 20
MAX_QUERY = 2000
# New threads change what a community is about only slowly; refitting on
# every post would make the next search pay for it (seconds with embeddings).
REFRESH_SECONDS = 600
# Results scoring under this share of the best one are left out.
RELATIVE_FLOOR = 0.5

_lock = threading.Lock()
# One fitted ranker per process, rebuilt when the communities or their posts
# change. It is a cache, not shared state: every process builds its own.
_fitted: dict[str, tuple[tuple[object, ...], Ranker]] = {}


@dataclass(frozen=True)
class Found:
    community: Community
    reason: str
    score: float


def _version() -> tuple[object, ...]:
    """Changes when a community is created or edited, and every REFRESH_SECONDS."""
    communities = Community.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (communities["n"], communities["changed"], int(time.time() // REFRESH_SECONDS))


def community_docs() -> list[CommunityDoc]:
    """Every community as the rankers see it.

    A public community is described by its name, description, who it is for,
    topics, rules and its recent public threads; a private one only by what
    it says about itself in public (name, description, who it is for,
    topics) — never by its rules or what its members wrote.
    """
    # The newest threads of every public community in one query (a window
    # per community), not one query per community.
    recent = (
        Post.objects.live()
        .filter(
            community__visibility=Community.Visibility.PUBLIC,
            removed_at__isnull=True,
            in_reply_to__isnull=True,
        )
        .annotate(
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
    for community in Community.objects.prefetch_related("rules"):
        private = community.is_private
        posts = [] if private else threads.get(community.pk, [])
        docs.append(
            CommunityDoc(
                id=community.pk,
                name=community.name,
                description=community.description,
                who_for=community.who_for,
                topics=community.topic_list,
                rules=[] if private else [r.title for r in community.rules.all()],
                recent_posts=posts,
                private=private,
            )
        )
    return docs


def _ranker() -> Ranker:
    version = _version()
    with _lock:
        cached = _fitted.get("ranker")
        if cached is not None and cached[0] == version:
            return cached[1]
        ranker = get_ranker().fit(community_docs())
        _fitted["ranker"] = (version, ranker)
        return ranker


def communities_find(*, text: str, limit: int = 8) -> list[Found]:
    """Communities ranked by how well they resonate with `text`, each with a reason.

    Empty text finds nothing; very long text is cut to its first 2,000
    characters. Private communities take part only with their public
    description, so a result never reveals what their members wrote.
    """
    text = text.strip()[:MAX_QUERY]
    if not text:
        return []
    matches = [m for m in _ranker().rank(text, limit=limit) if m.score > 0]
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
