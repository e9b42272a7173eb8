"""Mastodon's streaming API: what each subscriber may get, and its Server-Sent Events transport.

https://docs.joinmastodon.org/methods/streaming/

A plain ASGI application (streams are long-lived; pages stay on WSGI, see
docs/live.md), mounted beside /live by hearth.config.asgi. It answers
`GET /api/v1/streaming/health` with `OK`, and streams

streams (path, or `stream=` name: channels of core.live; scopes, any one):

* `/user` (`user`): `user:<id>`; read, read:statuses, read:notifications;
* `/user/notification` (`user:notification`): `user:<id>`; read, read:notifications;
* `/public`, `/public/local`, `/public/remote`, with `?only_media=true`
  (`public`, `public:local`, `public:remote`, each also `…:media`): the
  channel of that name; read, read:statuses;
* `/hashtag?tag=`, `/hashtag/local?tag=` (`hashtag`, `hashtag:local`):
  `hashtag:<tag>`, and `public` for deletes only; read, read:statuses;
* `/list?list=` (`list`): `user:<id>`, the posts of the list's timeline
  (hearth.feeds.lists) as they reach the owner's home feed; the owner's
  lists only (404 otherwise); read, read:lists;
* `/direct` (`direct`): `user:<id>`, a `conversation` event (the whole
  Conversation) when a message arrives in a conversation one is in, not
  for message requests; read, read:statuses.

The same streams go over a WebSocket at STREAMING_PATH itself
(hearth.api.streaming_ws); both transports share everything here but the
framing: the token and scope checks, the streams' channels and the
per-subscriber rendering (`event_message`).

The token comes as `Authorization: Bearer …` or `?access_token=` (on a
WebSocket also as `Sec-WebSocket-Protocol`); it must
be a person's token (401 otherwise, as Mastodon's streaming server answers
for a missing, unknown, revoked or app token and for missing scopes). It
is checked again every keepalive interval, so a revoked token's stream
closes within HEARTH_LIVE_KEEPALIVE seconds.

Only ids and a kind travel on the bus (hearth.feeds.live). Each event is
rendered here for each subscriber, after checking through the posts' and
notifications' access helpers that this person may see it now: audience,
blocks, private communities, their mutes and keyword filters. SSE frames
are Mastodon's: `event: update` then `data: <status JSON>`; `delete`
carries the bare id.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connections
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port

from hearth.accounts.models import User
from hearth.accounts.selectors import muted_users
from hearth.api.auth import token_valid
from hearth.api.errors import INVALID_TOKEN, NOT_FOUND, OUTSIDE_SCOPES, ApiError
from hearth.api.render import Renderer
from hearth.api.resources.conversations import conversation_for
from hearth.api.scopes import parse_scopes, satisfies
from hearth.core import live
from hearth.core.sse import Receive, Scope, Send, stream
from hearth.feeds import lists
from hearth.feeds.selectors import notification_get
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.boosts import boost_get_visible, shared_boost
from hearth.posts.models import Audience, Post
from hearth.posts.selectors import posts_visible

logger = logging.getLogger(__name__)

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
# (a JSON document as text, or a bare id for `delete`). SSE frames it as
# `event:`/`data:` lines, WebSocket as {"stream", "event", "payload"}.
Message = tuple[str, str]


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


# --- the ASGI application -----------------------------------------------------------

T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    # A few threads for the streams' database work, so their connections
    # persist (CONN_MAX_AGE) instead of opening one per event.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="hearth-stream")
    return _executor


def pool_shutdown() -> None:
    """Close the database threads' connections and stop them (tests, before dropping the DB)."""
    global _executor
    if _executor is None:
        return
    # Each thread holds its own connection: have every one of them close it.
    count = len(_executor._threads)
    barrier = threading.Barrier(count) if count else None

    def close() -> None:
        connections.close_all()
        if barrier is not None:
            barrier.wait(timeout=5)

    for _ in range(count):
        _executor.submit(close)
    _executor.shutdown(wait=True)
    _executor = None


async def _db(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    def run() -> T:
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return await sync_to_async(run, thread_sensitive=False, executor=_pool())()


def _request(scope: Scope) -> HttpRequest:
    """A Django request for the stream, so statuses render with absolute URLs as the API's do.

    A WebSocket's scope becomes a GET with its http(s) scheme, since links
    in statuses point at pages. Reached directly on the ASGI listener's own
    port (`hearth serve` without a reverse proxy), links point at the
    pages' port instead.
    """
    if scope["type"] == "websocket":
        scheme = "https" if scope.get("scheme") == "wss" else "http"
        scope = {**scope, "type": "http", "method": "GET", "scheme": scheme}
    request = ASGIRequest(scope, io.BytesIO())
    if not settings.HEARTH_LIVE_EMBEDDED:
        domain, port = split_domain_port(request.META.get("HTTP_HOST", ""))
        if domain and port == str(settings.HEARTH_LIVE_PORT):
            request.META["HTTP_HOST"] = (
                f"{request.META['HTTP_HOST'][: -len(port)]}{settings.HEARTH_PORT}"
            )
    return request


def query_params(scope: Scope) -> dict[str, str]:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {key: values[-1] for key, values in query.items()}


def connection_request(scope: Scope) -> HttpRequest:
    """The Django request of a connection; StreamError 400 for a host not in ALLOWED_HOSTS."""
    request = _request(scope)
    try:
        request.get_host()
    except DisallowedHost:
        raise StreamError(400, "Bad host") from None
    return request


def connection_token(scope: Scope, params: dict[str, str]) -> str:
    """The bearer token: `Authorization: Bearer`, `?access_token=`, or for a WebSocket
    the `Sec-WebSocket-Protocol` header, where browsers can put it (as Mastodon reads it).
    """
    for raw_name, raw_value in scope.get("headers", []):
        if raw_name.lower() == b"authorization":
            header: str = raw_value.decode("latin-1")
            scheme, _, value = header.strip().partition(" ")
            if scheme.lower() == "bearer":
                return value.strip()
    token = params.get("access_token", "").strip()
    if not token and scope["type"] == "websocket" and scope.get("subprotocols"):
        token = str(scope["subprotocols"][0]).strip()
    return token


async def grant_open(scope: Scope, params: dict[str, str]) -> tuple[Grant, HttpRequest]:
    """Check a new connection's host and token (both transports); StreamError if refused."""
    request = connection_request(scope)
    grant = await _db(token_grant, connection_token(scope, params))
    return grant, request


async def grant_still_valid(grant: Grant) -> bool:
    """grant_valid off the event loop: asked once per keepalive interval by both transports."""
    return await _db(grant_valid, grant)


async def subscribe_for(grant: Grant, name: str, params: dict[str, str]) -> Subscription:
    """subscription_for off the event loop; StreamError if the stream cannot be opened."""
    return await _db(subscription_for, grant, name=name, params=params)


async def render_message(
    sub: Subscription, request: HttpRequest, event: live.LiveEvent
) -> Message | None:
    """What `sub` gets for a bus event, the database work on the streams' threads."""
    decided, message = message_at_once(sub, event)
    if decided:
        return message
    try:
        return await _db(event_message, sub, request, event)
    except Exception:  # one event lost, not the stream: the timeline has it
        logger.warning("Could not render %s for a stream", event.event, exc_info=True)
        return None


# --- Server-Sent Events ---------------------------------------------------------------


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), *CORS],
        }
    )
    await send({"type": "http.response.body", "body": body})


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


async def _error(send: Send, status: int, message: str) -> None:
    await _answer(send, status, error_body(message), b"application/json; charset=utf-8")


def sse_frame(message: Message) -> bytes:
    event, payload = message
    return f"event: {event}\ndata: {payload}\n\n".encode()


async def streaming_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI application for STREAMING_PATH and below over HTTP (hearth.api.streaming_ws
    routes WebSocket connections and these, see hearth.config.asgi)."""
    if scope["type"] != "http":
        return
    if scope["method"] not in ("GET", "HEAD"):
        await _error(send, 405, "Method not allowed")
        return
    path = scope["path"].rstrip("/")
    if path == f"{STREAMING_PATH}/health":
        await _answer(send, 200, b"OK", b"text/plain; charset=utf-8")
        return
    params = query_params(scope)
    name = stream_name(path, params)
    if name is None:
        await _error(send, 404, NOT_FOUND)
        return
    try:
        grant, request = await grant_open(scope, params)
        sub = await subscribe_for(grant, name, params)
    except StreamError as exc:
        await _error(send, exc.status, exc.message)
        return

    async def render(event: live.LiveEvent) -> bytes | None:
        message = await render_message(sub, request, event)
        return None if message is None else sse_frame(message)

    await stream(
        send,
        receive,
        list(sub.channels),
        render=render,
        still_allowed=lambda: grant_still_valid(grant),
        retry=False,
        headers=CORS,
    )


def streaming_url(request: HttpRequest) -> str:
    """The streaming base URL the instance endpoint advertises (`urls.streaming_api`).

    HEARTH_STREAMING_URL when set. Otherwise the same origin (`hearth demo`,
    or a reverse proxy routing /api/v1/streaming to the ASGI listener),
    except for a request made straight to `hearth serve`'s WSGI port: its
    ASGI listener is on HEARTH_LIVE_PORT. Mastodon clients keep only the
    scheme and host of it and turn ws(s) into http(s) for SSE.
    """
    configured = str(settings.HEARTH_STREAMING_URL)
    if configured:
        return configured.rstrip("/")
    scheme = "wss" if request.is_secure() else "ws"
    host: str = request.get_host()
    if not settings.HEARTH_LIVE_EMBEDDED:
        domain, port = split_domain_port(host)
        if domain and port == str(settings.HEARTH_PORT):
            host = f"{host[: -len(port)]}{settings.HEARTH_LIVE_PORT}"
    return f"{scheme}://{host}"
