"""Statuses: post, read, edit, delete, thread context, favourites, shares, source, history.

https://docs.joinmastodon.org/methods/statuses/

A favourite is Hearth's "love" reaction; any Hearth reaction shows as a
favourite to a plain client (the `hearth` object and the Pleroma-style
reactions endpoints tell them apart). Before a new status is published the
reconsider prompt may answer 422 with a `hearth_reconsider` object;
sending again with `hearth_confirmed=true` publishes it. An edit that
changes the text meets the same prompt.

A reblog is Hearth's share (hearth.posts.boosts): only public posts, and
who shared is told to the post's author alone.
"""

from __future__ import annotations

import contextlib

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from hearth.accounts.models import User
from hearth.api.auth import me, public, token, viewer
from hearth.api.errors import ApiError
from hearth.api.pagination import apply_window, bounds, set_link, window_from
from hearth.api.parsing import IdStr, parse_id
from hearth.api.render import Renderer, iso
from hearth.api.schemas import (
    AccountOut,
    ContextOut,
    StatusEditOut,
    StatusOut,
    StatusSourceOut,
)
from hearth.api.selectors import idempotent_post_id
from hearth.api.services import status_create_once
from hearth.kindness.models import Prompt
from hearth.kindness.services import PromptNotFound, prompt_decide
from hearth.posts import boosts, selectors, services
from hearth.posts.models import Audience, Post, ReactionKind
from hearth.posts.reconsider import post_reconsider

router = Router(tags=["statuses"])

AUDIENCES = {
    "public": Audience.PUBLIC,
    # Readable by anyone with the link, left out of public timelines, tag
    # pages, search and public streams (Audience.UNLISTED).
    "unlisted": Audience.UNLISTED,
    "private": Audience.FOLLOWERS,
    "direct": Audience.MENTIONED,
    # Hearth's own: the close circle.
    "circle": Audience.CIRCLE,
}
RECONSIDER_MESSAGE = (
    "This might land harder than you mean it to. Edit it, or send it anyway "
    "with hearth_confirmed=true."
)


class StatusIn(Schema):
    status: str = Field(default="", max_length=20_000)
    media_ids: list[IdStr] = Field(default_factory=list, max_length=8)
    spoiler_text: str = Field(default="", max_length=1000)
    sensitive: bool = False
    visibility: str | None = None
    in_reply_to_id: IdStr | None = None
    language: str | None = Field(default=None, max_length=16)
    scheduled_at: str | None = None
    poll: dict[str, object] | None = None
    # Hearth's own: the tone of the post, and the answer to a reconsider prompt.
    hearth_tone: str = ""
    hearth_confirmed: bool = False
    hearth_prompt_id: IdStr | None = None


class StatusEditIn(Schema):
    status: str = Field(default="", max_length=20_000)
    spoiler_text: str = Field(default="", max_length=1000)
    sensitive: bool = False
    language: str | None = Field(default=None, max_length=16)
    media_ids: list[IdStr] | None = None
    hearth_tone: str | None = None
    # As for a new status: the answer to a reconsider prompt.
    hearth_confirmed: bool = False
    hearth_prompt_id: IdStr | None = None


def _status(request: HttpRequest, user: User | None, post_id: int) -> StatusOut:
    post = selectors.post_get_visible(viewer=user, post_id=post_id)
    return Renderer(request, user).status(post)


def _reconsider(
    user: User,
    *,
    text: str,
    tone: str,
    parent: Post | None,
    confirmed: bool,
    prompt_id: str | None,
    previous_text: str | None = None,
) -> None:
    """Raise the 422 prompt if the text looks hurtful, or record "sent anyway".

    The judgement is the web composer's and edit page's
    (hearth.posts.reconsider): a reply in a support thread is judged
    carefully, friends' banter is not prompted, and an edit is judged only
    if its text changed.
    """
    if confirmed:
        if prompt_id:
            with contextlib.suppress(PromptNotFound):
                prompt_decide(
                    prompt_id=parse_id(prompt_id),
                    author=user,
                    outcome=Prompt.Outcome.SENT_ANYWAY,
                )
        return
    prompt = post_reconsider(
        author=user, text=text, tone=tone, parent=parent, previous_text=previous_text
    )
    if prompt is not None:
        raise ApiError(
            422,
            RECONSIDER_MESSAGE,
            extra={
                "hearth_reconsider": {
                    "prompt_id": str(prompt.pk),
                    "reasons": list(prompt.reasons),
                    "tone": prompt.tone or None,
                    "message": RECONSIDER_MESSAGE,
                }
            },
        )


@router.post("/v1/statuses", auth=token("write:statuses"), response=StatusOut)
def status_create(request: HttpRequest, data: StatusIn) -> StatusOut:
    user = me(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if key:
        earlier = idempotent_post_id(user_id=user.pk, key=key)
        if earlier is not None:
            return _status(request, user, earlier)
    if data.scheduled_at:
        raise ApiError(422, "Validation failed: Scheduled posts are not available here yet.")
    if data.poll:
        raise ApiError(422, "Validation failed: Polls are not available here yet.")
    audience = AUDIENCES.get(data.visibility or "public")
    if audience is None:
        raise ApiError(422, "Validation failed: Visibility is not one Hearth knows.")
    parent = (
        selectors.post_get_visible(viewer=user, post_id=parse_id(data.in_reply_to_id))
        if data.in_reply_to_id
        else None
    )
    wanted = [parse_id(i) for i in data.media_ids]
    staged = selectors.media_staged_own(viewer=user, media_ids=wanted)
    if len(staged) != len(set(wanted)):
        raise ApiError(422, "Validation failed: Media not found, or already on a post.")
    if not data.status.strip() and not staged:
        raise ApiError(422, "Validation failed: Text can't be blank.")
    _reconsider(
        user,
        text=data.status,
        tone=data.hearth_tone,
        parent=parent,
        confirmed=data.hearth_confirmed,
        prompt_id=data.hearth_prompt_id,
    )

    def create() -> Post:
        return services.post_create(
            author=user,
            text=data.status,
            audience=audience,
            content_warning=data.spoiler_text,
            tone=data.hearth_tone,
            in_reply_to=parent,
            staged=staged,
        )

    post_id = status_create_once(user=user, key=key, create=create)[0] if key else create().pk
    return _status(request, user, post_id)


@router.get("/v1/statuses/{status_id}", auth=public("read:statuses"), response=StatusOut)
def status_get(request: HttpRequest, status_id: str) -> StatusOut:
    who, status_pk = viewer(request), parse_id(status_id)
    try:
        return _status(request, who, status_pk)
    except Http404:
        # A share is a status of its own to clients (Mastodon's reblog).
        shared = boosts.boost_get_visible(viewer=who, boost_id=status_pk)
        return Renderer(request, who).status(shared)


@router.delete("/v1/statuses/{status_id}", auth=token("write:statuses"), response=StatusOut)
def status_delete(request: HttpRequest, status_id: str) -> StatusOut:
    """Delete a post; the answer carries its text, so a client can offer to redraft it."""
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    if post.author_id != user.pk:
        raise ApiError(404, "Record not found")
    rendered = Renderer(request, user).status(post, with_source=True)
    services.post_delete(post=post, actor=user)
    return rendered


@router.put("/v1/statuses/{status_id}", auth=token("write:statuses"), response=StatusOut)
def status_edit(request: HttpRequest, status_id: str, data: StatusEditIn) -> StatusOut:
    user = me(request)
    post = selectors.post_get_own(viewer=user, post_id=parse_id(status_id))
    if data.media_ids is not None:
        current = [str(m.pk) for m in post.media.all()]
        if [str(i) for i in data.media_ids] != current:
            raise ApiError(422, "Validation failed: Photos can't be changed by editing yet.")
    tone = post.tone if data.hearth_tone is None else data.hearth_tone
    _reconsider(
        user,
        text=data.status,
        tone=tone,
        parent=post.in_reply_to,
        confirmed=data.hearth_confirmed,
        prompt_id=data.hearth_prompt_id,
        previous_text=post.text,
    )
    services.post_edit(
        post=post,
        editor=user,
        text=data.status,
        content_warning=data.spoiler_text,
        tone=tone,
    )
    return _status(request, user, post.pk)


@router.get("/v1/statuses/{status_id}/context", auth=public("read:statuses"), response=ContextOut)
def status_context(request: HttpRequest, status_id: str) -> ContextOut:
    who = viewer(request)
    focus = selectors.post_get_visible(viewer=who, post_id=parse_id(status_id))
    thread = selectors.thread_get(viewer=who, focus=focus)
    renderer = Renderer(request, who)
    return ContextOut(
        ancestors=renderer.statuses(thread.ancestors),
        descendants=renderer.statuses(item.post for item in thread.replies),
    )


@router.post(
    "/v1/statuses/{status_id}/favourite", auth=token("write:favourites"), response=StatusOut
)
def favourite(request: HttpRequest, status_id: str) -> StatusOut:
    """Respond with "love"; a post already responded to keeps its reaction (idempotent)."""
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    if not getattr(post, "my_reactions", None):
        services.reaction_set(post=post, user=user, kind=ReactionKind.LOVE)
    return _status(request, user, post.pk)


@router.post(
    "/v1/statuses/{status_id}/unfavourite", auth=token("write:favourites"), response=StatusOut
)
def unfavourite(request: HttpRequest, status_id: str) -> StatusOut:
    user = me(request)
    post = selectors.post_get_visible(viewer=user, post_id=parse_id(status_id))
    services.reaction_remove(post=post, user=user)
    return _status(request, user, post.pk)


@router.get(
    "/v1/statuses/{status_id}/favourited_by",
    auth=public("read:accounts"),
    response=list[AccountOut],
)
def favourited_by(request: HttpRequest, status_id: str) -> list[AccountOut]:
    """Who responded: shown to the post's author only, as on Hearth's pages."""
    who = viewer(request)
    post = selectors.post_get_visible(viewer=who, post_id=parse_id(status_id))
    renderer = Renderer(request, who)
    return [renderer.account(r.user) for r in selectors.reactions_for_author(viewer=who, post=post)]


def _shareable_target(user: User, status_id: str) -> Post:
    """The post a reblog or unreblog acts on: the status itself, or the post a share holds.

    Clients may send a share's own id (Mastodon resolves a reblog to the
    status it holds); both are read through access helpers.
    """
    status_pk = parse_id(status_id)
    try:
        return selectors.post_get_visible(viewer=user, post_id=status_pk)
    except Http404:
        shared = boosts.boost_get_visible(viewer=user, boost_id=status_pk)
        return selectors.post_get_visible(viewer=user, post_id=shared.pk)


@router.post("/v1/statuses/{status_id}/reblog", auth=token("write:statuses"), response=StatusOut)
def reblog(request: HttpRequest, status_id: str) -> StatusOut:
    """Share a public post with your followers; the answer is the share, holding the post.

    Sharing again answers the same share. A post that may not be shared
    (not public, in a private community, across a block) is 403 with the
    reason. `visibility` is not read: a share reaches your followers.
    """
    user = me(request)
    post = _shareable_target(user, status_id)
    try:
        boost = boosts.boost_create(booster=user, post=post)
    except services.PostError as exc:
        raise ApiError(403, str(exc)) from None
    shared = boosts.boost_get_visible(viewer=user, boost_id=boost.pk)
    return Renderer(request, user).status(shared)


@router.post("/v1/statuses/{status_id}/unreblog", auth=token("write:statuses"), response=StatusOut)
def unreblog(request: HttpRequest, status_id: str) -> StatusOut:
    """Take back your share; the answer is the post, no longer `reblogged`. Idempotent."""
    user = me(request)
    post = _shareable_target(user, status_id)
    boosts.boost_remove(booster=user, post=post)
    return _status(request, user, post.pk)


@router.get(
    "/v1/statuses/{status_id}/reblogged_by",
    auth=public("read:accounts"),
    response=list[AccountOut],
)
def reblogged_by(request: HttpRequest, response: HttpResponse, status_id: str) -> list[AccountOut]:
    """Who shared the post, newest first: shown to its author only, as favourited_by.

    Everyone else gets an empty list, as a hidden count is 0 to them.
    """
    who = viewer(request)
    post = selectors.post_get_visible(viewer=who, post_id=parse_id(status_id))
    rows = apply_window(
        boosts.boosts_for_author(viewer=who, post=post), window_from(request, most=80)
    )
    newest, oldest = bounds(rows)
    set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, who)
    return [renderer.account(b.booster) for b in rows]


@router.get(
    "/v1/statuses/{status_id}/source", auth=token("read:statuses"), response=StatusSourceOut
)
def status_source(request: HttpRequest, status_id: str) -> StatusSourceOut:
    post = selectors.post_get_own(viewer=me(request), post_id=parse_id(status_id))
    return StatusSourceOut(id=str(post.pk), text=post.text, spoiler_text=post.content_warning)


@router.get(
    "/v1/statuses/{status_id}/history",
    auth=public("read:statuses"),
    response=list[StatusEditOut],
)
def status_history(request: HttpRequest, status_id: str) -> list[StatusEditOut]:
    """Every version, oldest first; the last one is the post as it is now."""
    who = viewer(request)
    post = selectors.post_get_visible(viewer=who, post_id=parse_id(status_id))
    renderer = Renderer(request, who)
    account = renderer.account(post.author)
    media = [renderer.media(m) for m in post.media.all()]
    versions = [
        StatusEditOut(
            content=renderer.html(edit.html),
            spoiler_text=edit.content_warning,
            sensitive=bool(edit.content_warning),
            created_at=iso(edit.created_at),
            account=account,
            media_attachments=media,
            emojis=[],
        )
        for edit in reversed(list(post.edits.all()))
    ]
    versions.append(
        StatusEditOut(
            content=renderer.html(post.html),
            spoiler_text=post.content_warning,
            sensitive=bool(post.content_warning),
            created_at=iso(post.edited_at or post.created_at),
            account=account,
            media_attachments=media,
            emojis=[],
        )
    )
    return versions


@router.get("/v1/favourites", auth=token("read:favourites"), response=list[StatusOut])
def favourites(request: HttpRequest, response: HttpResponse) -> list[StatusOut]:
    """Posts the caller has responded to, most recent post first."""
    user = me(request)
    queryset = selectors.posts_visible(viewer=user).filter(reactions__user=user)
    posts = apply_window(queryset, window_from(request))
    newest, oldest = bounds(posts)
    set_link(request, response, newest=newest, oldest=oldest)
    return Renderer(request, user).statuses(posts)
