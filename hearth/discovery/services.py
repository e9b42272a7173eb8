"""Keeping the stored "find your people" vectors current, one community at a time."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hearth.communities.models import Community
from hearth.discovery.models import CommunityVector
from hearth.discovery.resonance import Ranker, doc_units, get_ranker
from hearth.discovery.resonance.store import units_digest
from hearth.discovery.selectors import community_docs

logger = logging.getLogger(__name__)

# Communities encoded per batch in a sweep: bounds memory, and one batch's
# distinct sentences are embedded in one call.
SWEEP_BATCH = 500

_encoders: dict[str, Ranker] = {}


def vector_encoder(model: str | None = None) -> Ranker:
    """A ranker used only to encode communities, one per process and model setting."""
    key = model or ""
    ranker = _encoders.get(key)
    if ranker is None:
        ranker = _encoders[key] = get_ranker(model)
    return ranker


def community_vectors_refresh(*, community_ids: Iterable[int], model: str | None = None) -> int:
    """Recompute the stored vectors of these communities where their text changed.

    Each community is encoded from its own text only (a private one from its
    public fields only), and only when its digest differs from the stored
    row's or no row exists for the running model; an unchanged community
    costs a digest. Idempotent. Returns how many communities were encoded.
    """
    ids = sorted(set(community_ids))
    if not ids:
        return 0
    ranker = vector_encoder(model)
    docs = community_docs(ids=ids)
    updated_at = dict(Community.objects.filter(pk__in=ids).values_list("pk", "updated_at"))
    stored = {
        row[0]: row[1:]
        for row in CommunityVector.objects.filter(
            model=ranker.identity, community_id__in=ids
        ).values_list("community_id", "digest", "source_updated_at")
    }
    digests = {int(doc.id): units_digest(doc_units(doc)) for doc in docs}
    changed = [
        doc
        for doc in docs
        # (a community deleted meanwhile has no updated_at: nothing to store)
        if int(doc.id) in updated_at and stored.get(int(doc.id), ("",))[0] != digests[int(doc.id)]
    ]
    # Edited without changing what is ranked (an icon, the join policy):
    # remember the edit so the cheap staleness check passes, keep the vectors.
    touched = [
        cid
        for cid, (digest, source) in stored.items()
        if digest == digests.get(cid) and source != updated_at.get(cid)
    ]
    payloads = ranker.encode_docs(changed) if changed else []
    now = timezone.now()
    rows = [
        CommunityVector(
            community_id=int(doc.id),
            model=ranker.identity,
            digest=digests[int(doc.id)],
            source_updated_at=updated_at[int(doc.id)],
            data=payload,
            updated_at=now,
        )
        for doc, payload in zip(changed, payloads, strict=True)
    ]
    with transaction.atomic():
        if rows:
            CommunityVector.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["community", "model"],
                update_fields=["digest", "source_updated_at", "data", "updated_at"],
            )
        for cid in touched:
            CommunityVector.objects.filter(community_id=cid, model=ranker.identity).update(
                source_updated_at=updated_at[cid]
            )
    return len(rows)


def stale_community_ids(*, model: str | None = None, limit: int | None = None) -> list[int]:
    """Communities without vectors for the running model, or edited since they were computed.

    One query, no text read: new threads are caught by the post events'
    task and by the sweep, which compare digests.
    """
    ranker = vector_encoder(model)
    fresh = CommunityVector.objects.filter(
        community=OuterRef("pk"), model=ranker.identity, source_updated_at=OuterRef("updated_at")
    )
    ids = Community.objects.filter(~Exists(fresh)).order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit is not None else ids)


def community_vectors_sweep(*, model: str | None = None, batch: int = SWEEP_BATCH) -> int:
    """Bring every community's stored vectors up to date (background work).

    Compares each community's digest with its stored row, a batch at a time,
    encodes only those that differ, and deletes rows of other models (left by
    an upgrade or a changed setting). Safe to run in many processes at once.
    Returns how many communities were encoded.
    """
    ranker = vector_encoder(model)
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    encoded = 0
    for start in range(0, len(ids), batch):
        encoded += community_vectors_refresh(community_ids=ids[start : start + batch], model=model)
    CommunityVector.objects.exclude(model=ranker.identity).delete()
    if encoded:
        logger.info("Find your people: encoded %d communities (%s)", encoded, ranker.identity)
    return encoded


def communities_of_posts(post_ids: Sequence[int]) -> list[int]:
    """The public communities these top-level posts were written in (for the post events)."""
    from hearth.posts.models import Post

    return sorted(
        {
            cid
            for cid in Post.objects.filter(
                pk__in=post_ids,
                community__visibility=Community.Visibility.PUBLIC,
                in_reply_to__isnull=True,
            ).values_list("community_id", flat=True)
            if cid is not None
        }
    )
