"""Mastodon's streaming API, over Server-Sent Events and WebSocket.

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
(hearth.api.streaming.ws); both transports share everything but the
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

Modules: `access` decides what each subscriber may get (tokens, scopes,
streams, per-subscriber rendering), `connection` runs that off the event
loop for a connection, `sse` and `ws` are the two transports.
"""
