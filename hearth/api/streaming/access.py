"""Who may open which stream, and what one subscriber gets for one bus event.

No I/O of its own: hearth.api.streaming.connection runs these off the event loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest

from hearth.accounts.models import User
from hearth.accounts.selectors import muted_users
from hearth.api.auth import token_valid
from hearth.api.errors import INVALID_TOKEN, NOT_FOUND, OUTSIDE_SCOPES, ApiError
from hearth.api.render import Renderer
from hearth.api.resources.conversations import conversation_for
from hearth.api.scopes import parse_scopes, satisfies
from hearth.core import live
from hearth.feeds import lists
from hearth.feeds.selectors import notification_get
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.boosts import boost_get_visible, shared_boost
from hearth.posts.models import Audience, Post
from hearth.posts.selectors import posts_visible

STREAMING_PATH = "/api/v1/streaming"

# The stream names of Mastodon's paths; `stream=` takes the names directly.
PATH_STREAMS = {
    "user": "user",
    "user/notification": "user:notification",
    "public": "public",
    "public/local": "public:local",
    "public/remote": "public:remote",
    "hashtag": "hashtag",
    "hashtag/local": "hashtag:local",
    "list": "list",
    "direct": "direct",
}
STATUS_SCOPES = ("read", "read:statuses")
# Bus events (hearth.feeds.live) as Mastodon events.
STATUS_EVENTS = {
    "feed": "update",
    "feed.own": "update",
    "status.new": "update",
    "status.update": "status.update",
}
# Mastodon's streaming server allows any origin: the token, not a cookie, authorizes.
CORS = [(b"access-control-allow-origin", b"*")]


class StreamError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Grant:
    """A person's token as checked when a connection opened: who, and with which scopes."""

    user: User
    scopes: frozenset[str]
    raw_token: str


@dataclass(frozen=True)
class Subscription:
    """One authorized stream: who listens, to what, with which grant."""

    name: str
    kind: str  # user, notification, public, hashtag, direct
    channels: tuple[str, ...]
    user: User
    scopes: frozenset[str]
    raw_token: str
    only_media: bool = False
    list_id: int | None = None

    def may(self, scope: str) -> bool:
        return satisfies(self.scopes, scope)


# --- opening a stream ------------------------------------------------------------


def stream_name(path: str, params: dict[str, str]) -> str | None:
    """The Mastodon stream a path (below STREAMING_PATH) and its parameters ask for."""
    rest = path[len(STREAMING_PATH) :].strip("/")
    if not rest:
        return params.get("stream") or None
    name = PATH_STREAMS.get(rest)
    if name is not None and name.startswith("public") and params.get("only_media") in ("1", "true"):
        name += ":media"
    return name


def stream_spec(
    name: str, params: dict[str, str], user_id: int
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(kind, channels, scopes any one of which will do) for a stream; StreamError if unknown."""
    base = name.removesuffix(":media")
    if name == "user":
        return "user", (f"user:{user_id}",), ("read", "read:statuses", "read:notifications")
    if name == "user:notification":
        return "notification", (f"user:{user_id}",), ("read", "read:notifications")
    if base in ("public", "public:local", "public:remote"):
        return "public", (base,), STATUS_SCOPES
    if name in ("hashtag", "hashtag:local"):
        tag = params.get("tag", "").strip().lstrip("#").lower()
        if not tag:
            raise StreamError(400, "Missing tag name parameter")
        # Deletes come on `public` (a deleted post's tags are gone), with nothing else.
        return "hashtag", (f"hashtag:{tag}", "public"), STATUS_SCOPES
    if name == "direct":
        return "direct", (f"user:{user_id}",), STATUS_SCOPES
    if name == "list":
        if not params.get("list"):
            raise StreamError(400, "Missing list name parameter")
        # Whose list it is is checked once the token is (subscription_open).
        return "list", (f"user:{user_id}",), ("read", "read:lists")
    raise StreamError(400, "Unknown stream type")


def token_grant(raw_token: str) -> Grant:
    """The person and scopes of a bearer token.

    Raises StreamError 401 for a missing, unknown, revoked or expired token
    and for an app token, as Mastodon's streaming server does.
    """
    try:
        if not raw_token:
            raise ApiError(401, INVALID_TOKEN)
        stored = token_valid(raw_token)
    except ApiError as exc:
        raise StreamError(exc.status, str(exc.message)) from exc
    user = stored.user
    if not isinstance(user, User):
        raise StreamError(401, "This method requires an authenticated user")
    return Grant(user=user, scopes=frozenset(parse_scopes(stored.scope)), raw_token=raw_token)


def subscription_for(grant: Grant, *, name: str, params: dict[str, str]) -> Subscription:
    """Authorize one stream for a checked token: the grant must hold one of its scopes.

    Raises StreamError: 401 for missing scopes; 400 for an unknown stream or
    a missing parameter; 404 for a list that is not the person's own.
    """
    user = grant.user
    kind, channels, needed = stream_spec(name, params, user.pk)
    if not any(satisfies(grant.scopes, scope) for scope in needed):
        raise StreamError(401, OUTSIDE_SCOPES)
    list_id = _own_list_id(user, params.get("list", "")) if kind == "list" else None
    return Subscription(
        name=name,
        kind=kind,
        channels=channels,
        user=user,
        scopes=grant.scopes,
        raw_token=grant.raw_token,
        only_media=name.endswith(":media"),
        list_id=list_id,
    )


def _own_list_id(user: User, raw: str) -> int:
    """The id of `user`'s list `raw`; StreamError 404 for anyone else's or a missing one."""
    try:
        return lists.list_get_own(owner=user, list_id=int(raw) if raw.isdigit() else 0).pk
    except Http404:
        raise StreamError(404, NOT_FOUND) from None


def grant_valid(grant: Grant) -> bool:
    """True while the token still works for the same person."""
    try:
        stored = token_valid(grant.raw_token)
    except ApiError:
        return False
    return bool(stored.user_id == grant.user.pk)


# --- one event, for one subscriber --------------------------------------------------


def _post_for(
    sub: Subscription, post_id: int, *, public: bool, boost_id: int | None = None
) -> Post | None:
    """The post as `sub.user` may see it in this stream now, or None.

    With `boost_id`, the post as that share holds it (posts.boosts), if
    the viewer may see both and mutes neither its booster nor its author.
    """
    viewer = sub.user
    post: Post | None
    if boost_id is not None:
        try:
            post = boost_get_visible(viewer=viewer, boost_id=boost_id)
        except Http404:
            return None
        boost = shared_boost(post)
        if boost is None or boost.post_id != post_id:
            return None
        people = {post.author_id, boost.booster_id} - {viewer.pk}
        if muted_users(user=viewer).filter(pk__in=people).exists():
            return None
    else:
        posts = posts_visible(viewer=viewer).filter(pk=post_id)
        if public:
            # Public streams are public places: a private community's posts stay inside it.
            posts = posts.filter(audience=Audience.PUBLIC).exclude(community__visibility="private")
        post = posts.first()
        if post is None:
            return None
        if (
            post.author_id != viewer.pk
            and muted_users(user=viewer).filter(pk=post.author_id).exists()
        ):
            return None
    if sub.only_media and not post.media.all():
        return None
    context = KeywordFilter.Context.PUBLIC if public else KeywordFilter.Context.HOME
    if not keyword_filters_active(viewer=viewer, context=context).apply([post]):
        return None
    return post


# What one subscriber gets for one event: Mastodon's event name and its payload
# (a JSON document as text, a bare id for `delete`, None for `filters_changed`).
# SSE frames it as `event:`/`data:` lines, WebSocket as {"stream", "event",
# "payload"} (no payload key for None, as Mastodon sends it).
Message = tuple[str, str | None]


def _json(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), separators=(",", ":"), ensure_ascii=False)


def _id_of(data: dict[str, Any], key: str) -> int | None:
    try:
        return int(data[key])
    except (KeyError, TypeError, ValueError):
        return None


def message_at_once(sub: Subscription, event: live.LiveEvent) -> tuple[bool, Message | None]:
    """(decided, message) for events that need no database: deletes, and what `sub` never gets.

    Saves a trip to a thread for most of what a hashtag stream hears on `public`.
    """
    if event.event == "status.delete":
        post_id = _id_of(event.data, "post")
        wanted = sub.kind in ("user", "public", "hashtag", "list") and (
            sub.may("read:statuses") or (sub.kind == "list" and sub.may("read:lists"))
        )
        return True, ("delete", str(post_id)) if wanted and post_id is not None else None
    if event.event == "filters_changed":
        # The home stream only, as Mastodon; it carries no payload, so no scope is needed.
        return True, ("filters_changed", None) if sub.kind == "user" else None
    if sub.kind == "hashtag" and event.channel == "public":
        return True, None  # only deletes come from there
    if sub.kind == "direct":
        return (False, None) if event.event == "message" else (True, None)
    if sub.kind == "list" and event.event not in STATUS_EVENTS:
        return True, None
    if event.event != "notification" and event.event not in STATUS_EVENTS:
        return True, None
    return False, None


def event_message(sub: Subscription, request: HttpRequest, event: live.LiveEvent) -> Message | None:
    """The Mastodon event `sub` gets for a bus event, or None if it gets nothing."""
    decided, message = message_at_once(sub, event)
    if decided:
        return message
    if sub.kind in ("user", "notification") and event.event == "notification":
        notification_id = _id_of(event.data, "id")
        if notification_id is None or not sub.may("read:notifications"):
            return None
        try:
            notification = notification_get(user=sub.user, notification_id=notification_id)
        except Http404:
            return None
        screen = keyword_filters_active(
            viewer=sub.user, context=KeywordFilter.Context.NOTIFICATIONS
        )
        if not screen.apply_to([notification], lambda n: n.post):
            return None
        rendered = Renderer(request, sub.user).notifications([notification])
        return ("notification", _json(rendered[0])) if rendered else None
    if sub.kind == "direct":
        return _conversation_message(sub, request, event)
    if sub.kind == "list":
        return _list_message(sub, request, event)
    if sub.kind not in ("user", "public", "hashtag") or not sub.may("read:statuses"):
        return None
    post_id = _id_of(event.data, "post")
    if post_id is None:
        return None
    name = STATUS_EVENTS.get(event.event)
    if name is None:
        return None
    # A share reaches home feeds only, so only the user stream hears one.
    boost_id = _id_of(event.data, "boost") if sub.kind == "user" else None
    post = _post_for(sub, post_id, public=sub.kind != "user", boost_id=boost_id)
    if post is None:
        return None
    return name, _json(Renderer(request, sub.user).status(post))


def _list_message(sub: Subscription, request: HttpRequest, event: live.LiveEvent) -> Message | None:
    """A post that reached the owner's home feed, if the list's timeline would show it now.

    The list is read again for each event, so a list deleted or changed
    while the stream is open (a member taken out, another replies policy)
    counts at once. Shares stay on the home timeline.
    """
    post_id = _id_of(event.data, "post")
    name = STATUS_EVENTS.get(event.event)
    if post_id is None or name is None or sub.list_id is None or "boost" in event.data:
        return None
    try:
        reading_list = lists.list_get_own(owner=sub.user, list_id=sub.list_id)
    except Http404:
        return None
    post = lists.list_posts(reading_list=reading_list).filter(pk=post_id).first()
    if post is None:
        return None
    screen = keyword_filters_active(viewer=sub.user, context=KeywordFilter.Context.HOME)
    if not screen.apply([post]):
        return None
    return name, _json(Renderer(request, sub.user).status(post))


def _conversation_message(
    sub: Subscription, request: HttpRequest, event: live.LiveEvent
) -> Message | None:
    """The whole Conversation, for someone in it, when a message arrives (not for requests)."""
    conversation_id = _id_of(event.data, "conversation")
    if conversation_id is None or event.data.get("request") or not sub.may("read:statuses"):
        return None
    try:
        _participant, conversation = conversation_for(request, sub.user, conversation_id)
    except Http404:
        return None
    return "conversation", _json(conversation)
