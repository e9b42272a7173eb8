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

# The model whose vectors are kept beside another model's, to stand in for
# it while its vectors are incomplete (selectors.loaded_ranker): after a
# model upgrade or a first start, until the sweep has encoded every
# community. Lexical encoding costs ~1 ms a community, ~2% of an embedding.
FALLBACK_MODEL = "lexical"

_encoders: dict[str, Ranker] = {}


def vector_encoder(model: str | None = None) -> Ranker:
    """A ranker used only to encode communities, one per process and model setting."""
    key = model or ""
    ranker = _encoders.get(key)
    if ranker is None:
        ranker = _encoders[key] = get_ranker(model)
    return ranker


def fallback_model(model: str | None = None) -> str | None:
    """The model setting whose vectors stand in for `model`'s: lexical; None for lexical."""
    return None if vector_encoder(model).name == FALLBACK_MODEL else FALLBACK_MODEL


def vector_models(model: str | None = None) -> list[str | None]:
    """Model settings whose vectors are kept for `model`: its fallback first (cheap), then it."""
    fallback = fallback_model(model)
    return [model] if fallback is None else [fallback, model]


def community_vectors_refresh(
    *, community_ids: Iterable[int], model: str | None = None, fallback: bool = True
) -> int:
    """Recompute the stored vectors of these communities where their text changed.

    Each community is encoded from its own text only (a private one from its
    public fields only), and only when its digest differs from the stored
    row's or no row exists for the running model; an unchanged community
    costs a digest. A row in an older byte format is converted without
    running the model (re-encoded from its text only if it cannot be read).
    With `fallback`, the fallback model's vectors (`fallback_model`) are
    refreshed too, first. Idempotent. Returns how many communities `model`
    encoded.
    """
    ids = sorted(set(community_ids))
    if not ids:
        return 0
    standby = fallback_model(model) if fallback else None
    if standby is not None:
        _refresh(ids, standby)
    return _refresh(ids, model)


def _refresh(ids: list[int], model: str | None) -> int:
    ranker = vector_encoder(model)
    docs = community_docs(ids=ids)
    updated_at = dict(Community.objects.filter(pk__in=ids).values_list("pk", "updated_at"))
    stored = {
        row[0]: row[1:]
        for row in CommunityVector.objects.filter(
            model=ranker.identity, community_id__in=ids
        ).values_list("community_id", "digest", "source_updated_at", "format")
    }
    digests = {int(doc.id): units_digest(doc_units(doc)) for doc in docs}
    changed = [
        doc
        for doc in docs
        # (a community deleted meanwhile has no updated_at: nothing to store)
        if int(doc.id) in updated_at and stored.get(int(doc.id), ("",))[0] != digests[int(doc.id)]
    ]
    # Same text, older byte format: convert the stored vectors (no model run).
    old_format = [
        cid
        for cid, (digest, _, fmt) in stored.items()
        if digest == digests.get(cid) and fmt != ranker.payload_format
    ]
    converted: dict[int, bytes] = {}
    for cid, data in CommunityVector.objects.filter(
        model=ranker.identity, community_id__in=old_format
    ).values_list("community_id", "data"):
        try:
            converted[cid] = ranker.upgrade_payload(bytes(data))
        except ValueError:
            logger.warning("Find your people: unreadable vectors of community %d, re-encoding", cid)
    by_id = {int(doc.id): doc for doc in docs}
    changed += [by_id[cid] for cid in old_format if cid not in converted and cid in by_id]
    # Edited without changing what is ranked (an icon, the join policy):
    # remember the edit so the cheap staleness check passes, keep the vectors.
    touched = [
        cid
        for cid, (digest, source, _) in stored.items()
        if digest == digests.get(cid) and source != updated_at.get(cid) and cid not in old_format
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
            format=ranker.payload_format,
            updated_at=now,
        )
        for doc, payload in zip(changed, payloads, strict=True)
    ]
    rows += [
        CommunityVector(
            community_id=cid,
            model=ranker.identity,
            digest=digests[cid],
            source_updated_at=updated_at[cid],
            data=payload,
            format=ranker.payload_format,
            updated_at=now,
        )
        for cid, payload in converted.items()
        if cid in updated_at
    ]
    with transaction.atomic():
        if rows:
            CommunityVector.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["community", "model"],
                update_fields=["digest", "source_updated_at", "data", "format", "updated_at"],
            )
        for cid in touched:
            CommunityVector.objects.filter(community_id=cid, model=ranker.identity).update(
                source_updated_at=updated_at[cid]
            )
    if converted:
        logger.info(
            "Find your people: converted %d rows to format %d (%s)",
            len(converted),
            ranker.payload_format,
            ranker.identity,
        )
    return len(changed)


def stale_community_ids(*, model: str | None = None, limit: int | None = None) -> list[int]:
    """Communities without current vectors for `model`: missing, edited since, or an older format.

    One query, no text read: new threads are caught by the post events'
    task and by the sweep, which compare digests.
    """
    ranker = vector_encoder(model)
    fresh = CommunityVector.objects.filter(
        community=OuterRef("pk"),
        model=ranker.identity,
        source_updated_at=OuterRef("updated_at"),
        format=ranker.payload_format,
    )
    ids = Community.objects.filter(~Exists(fresh)).order_by("pk").values_list("pk", flat=True)
    return list(ids[:limit] if limit is not None else ids)


def community_vectors_sweep(*, model: str | None = None, batch: int = SWEEP_BATCH) -> int:
    """Bring every community's stored vectors up to date (background work).

    Compares each community's digest with its stored row, a batch at a time,
    encodes only those that differ and converts rows of an older format.
    The fallback model's vectors (lexical, when `model` is another) are
    brought up to date first, whole: they are cheap, and searches use them
    while `model`'s are incomplete (after an upgrade, every row is of the
    old identity). Then rows of other models are deleted (left by an upgrade
    or a changed setting). Safe to run in many processes at once. Returns
    how many communities `model` encoded.
    """
    ids = list(Community.objects.order_by("pk").values_list("pk", flat=True))
    encoded = 0
    kept = []
    for each in vector_models(model):
        ranker = vector_encoder(each)
        kept.append(ranker.identity)
        count = 0
        for start in range(0, len(ids), batch):
            count += _refresh(ids[start : start + batch], each)
        if count:
            logger.info("Find your people: encoded %d communities (%s)", count, ranker.identity)
        if each == model:
            encoded = count
    CommunityVector.objects.exclude(model__in=kept).delete()
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
