"""Conversations: Hearth's private messages (hearth.messaging) as Mastodon's direct conversations.

https://docs.joinmastodon.org/methods/conversations/
https://docs.joinmastodon.org/entities/Conversation/

Each Hearth conversation (one-to-one or a group) is a Conversation whose
`accounts` are the other people in it and whose `last_status` is its
newest message, shaped as a status with visibility `direct`. A message is
not a post: its id is never a status id anywhere else (`GET
/api/v1/statuses/:id` is a 404 for it, for everyone), and it is read only
through hearth.messaging's access helpers, so only the people in the
conversation ever see it. Message requests (from people one does not
follow) are answered on the web and are not listed here, nor are
conversations one left.

`DELETE` removes the conversation from the list, as Mastodon's does: it
hides it (messaging.services.conversation_hide) until a new message
arrives, from anyone, which lists it again with that message as
`last_status`. It does not leave: one stays in it, keeps receiving its
messages, and the others are not told. Only this list hides it; the web
inbox still shows it, and `POST .../:id/read` still answers for it. Photos
in messages are not listed (`media_attachments` is empty): they are served
only to a signed-in browser.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from hearth.accounts.models import User
from hearth.api.auth import me, token
from hearth.api.errors import ApiError
from hearth.api.pagination import set_link, window_from
from hearth.api.parsing import parse_id
from hearth.api.render import Renderer, iso
from hearth.api.schemas import ConversationOut, HearthStatusOut, MentionOut, StatusOut
from hearth.messaging import selectors, services
from hearth.messaging.models import Message, Participant
from hearth.messaging.selectors import InboxRow

router = Router(tags=["conversations"])

ACTIVE = (Participant.State.ACTIVE,)


def message_status(renderer: Renderer, message: Message, row: InboxRow) -> StatusOut:
    """A message as a `direct` status, for someone in its conversation (`row` is theirs)."""
    url = renderer.url(
        reverse("messaging:conversation", kwargs={"conversation_id": message.conversation_id})
        + f"#m{message.pk}"
    )
    addressed = [u for u in [renderer.viewer, *row.others] if u and u.pk != message.sender_id]
    return StatusOut(
        id=str(message.pk),
        uri=url,
        url=url,
        created_at=iso(message.created_at),
        account=renderer.account(message.sender),
        content=renderer.html(message.html),
        visibility="direct",
        sensitive=False,
        spoiler_text="",
        media_attachments=[],
        application=None,
        mentions=[
            MentionOut(
                id=str(u.pk),
                username=u.username,
                url=renderer.url(u.get_absolute_url()),
                acct=u.username,
            )
            for u in addressed
        ],
        tags=[],
        emojis=[],
        reblogs_count=0,
        favourites_count=0,
        replies_count=0,
        in_reply_to_id=None,
        in_reply_to_account_id=None,
        language=None,
        edited_at=None,
        favourited=False,
        reblogged=False,
        muted=row.participant.muted,
        bookmarked=False,
        pinned=False,
        filtered=[],
        hearth=HearthStatusOut(
            tone=None, audience="message", reaction=None, reaction_emoji=None, asks_for_care=False
        ),
    )


def conversation_out(renderer: Renderer, row: InboxRow) -> ConversationOut:
    return ConversationOut(
        id=str(row.conversation.pk),
        unread=row.unread,
        accounts=[renderer.account(u) for u in row.others],
        last_status=message_status(renderer, row.last, row) if row.last is not None else None,
    )


def conversation_for(
    request: HttpRequest, user: User, conversation_id: int
) -> tuple[Participant, ConversationOut]:
    """The viewer's place in an active conversation and its entity; Http404 otherwise."""
    participant = selectors.conversation_get_for_participant(
        viewer=user, conversation_id=conversation_id, states=ACTIVE
    )
    row = selectors.conversation_row(viewer=user, participant=participant)
    return participant, conversation_out(Renderer(request, user), row)


@router.get("/v1/conversations", auth=token("read:statuses"), response=list[ConversationOut])
def conversations(request: HttpRequest, response: HttpResponse) -> list[ConversationOut]:
    """The caller's conversations, the one with the newest message first.

    Paged by the newest message's id, as Mastodon pages by the last status.
    """
    user = me(request)
    window = window_from(request)
    rows = selectors.conversations_window(
        viewer=user,
        max_id=window.max_id,
        since_id=window.since_id,
        min_id=window.min_id,
        limit=window.limit,
        skip_hidden=True,
    )
    if rows:
        newest = rows[0].conversation.last_message_id
        oldest = rows[-1].conversation.last_message_id
        set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, user)
    return [conversation_out(renderer, row) for row in rows]


@router.post(
    "/v1/conversations/{conversation_id}/read",
    auth=token("write:conversations"),
    response=ConversationOut,
)
def conversation_read(request: HttpRequest, conversation_id: str) -> ConversationOut:
    user = me(request)
    participant, _ = conversation_for(request, user, parse_id(conversation_id))
    services.conversation_mark_read(
        participant=participant, up_to_id=participant.conversation.last_message_id
    )
    return conversation_for(request, user, participant.conversation_id)[1]


@router.delete(
    "/v1/conversations/{conversation_id}",
    auth=token("write:conversations"),
    response=dict[str, Any],
)
def conversation_delete(request: HttpRequest, conversation_id: str) -> dict[str, Any]:
    """Hide the conversation from this list until a new message (see the module docstring)."""
    user = me(request)
    participant, _ = conversation_for(request, user, parse_id(conversation_id))
    try:
        services.conversation_hide(conversation=participant.conversation, user=user)
    except services.MessagingError:
        raise ApiError(404, "Record not found") from None
    return {}
