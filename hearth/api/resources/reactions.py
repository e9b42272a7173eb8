"""Hearth's five reactions, Pleroma-style: /api/v1/pleroma/statuses/:id/reactions.

https://docs-develop.pleroma.social/backend/development/API/pleroma_api/#emoji-reactions
Each Hearth reaction is an emoji (hearth.posts.models.REACTION_EMOJI). How
many people reacted is shown to the post's author only; everyone else sees
their own reaction, counted once.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import unquote

from django.http import HttpRequest
from ninja import Router

from hearth.api.auth import me, public, token, viewer
from hearth.api.errors import ApiError
from hearth.api.parsing import parse_id
from hearth.api.render import Renderer
from hearth.api.schemas import ReactionOut, StatusOut
from hearth.posts import selectors, services
from hearth.posts.models import REACTION_EMOJI, ReactionKind

router = Router(tags=["reactions"])

# U+FE0F (emoji presentation) is optional in what clients send.
KIND_BY_EMOJI = {emoji.replace("\ufe0f", ""): kind for kind, emoji in REACTION_EMOJI.items()}


def kind_for(name: str) -> ReactionKind:
    """A reaction by its emoji or its Hearth name (`with_you`)."""
    name = unquote(name).strip()
    if name in ReactionKind.values:
        return ReactionKind(name)
    kind = KIND_BY_EMOJI.get(name.replace("\ufe0f", ""))
    if kind is None:
        raise ApiError(
            422, "Validation failed: Hearth's reactions are " + " ".join(REACTION_EMOJI.values())
        )
    return kind


@router.get(
    "/v1/pleroma/statuses/{status_id}/reactions",
    auth=public("read:statuses"),
    response=list[ReactionOut],
)
def reactions_list(request: HttpRequest, status_id: str) -> list[ReactionOut]:
    who = viewer(request)
    post = selectors.post_get_visible(viewer=who, post_id=parse_id(status_id))
    mine = getattr(post, "my_reactions", None) or []
    my_kind = mine[0].kind if mine else None
    everyone = selectors.reactions_for_author(viewer=who, post=post)
    counts = (
        Counter(r.kind for r in everyone) if everyone else Counter([my_kind] if my_kind else [])
    )
    return [
        ReactionOut(
            name=REACTION_EMOJI[ReactionKind(kind)],
            count=counts[kind],
            me=kind == my_kind,
            hearth_kind=kind,
        )
        for kind in ReactionKind.values
        if counts[kind]
    ]


@router.put(
    "/v1/pleroma/statuses/{status_id}/reactions/{emoji}",
    auth=token("write:favourites"),
    response=StatusOut,
)
def reaction_add(request: HttpRequest, status_id: str, emoji: str) -> StatusOut:
    user = me(request)
    kind = kind_for(emoji)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    services.reaction_set(post=post, user=user, kind=kind)
    post = selectors.post_get_visible(viewer=user, post_id=post.pk)
    return Renderer(request, user).status(post)


@router.delete(
    "/v1/pleroma/statuses/{status_id}/reactions/{emoji}",
    auth=token("write:favourites"),
    response=StatusOut,
)
def reaction_delete(request: HttpRequest, status_id: str, emoji: str) -> StatusOut:
    user = me(request)
    kind = kind_for(emoji)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    mine = getattr(post, "my_reactions", None) or []
    if mine and mine[0].kind == kind:
        services.reaction_remove(post=post, user=user)
    post = selectors.post_get_visible(viewer=user, post_id=post.pk)
    return Renderer(request, user).status(post)
