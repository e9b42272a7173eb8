"""Domain events in: blocks end conversations; a sent message goes out live."""

from __future__ import annotations

from django.template.loader import render_to_string

from hearth.accounts.events import BlockCreated
from hearth.core import live
from hearth.core.events import subscriber
from hearth.messaging import tasks
from hearth.messaging.events import MessageSent
from hearth.messaging.models import Message
from hearth.messaging.selectors import recipients_of


@subscriber(BlockCreated)
def on_block(event: BlockCreated) -> None:
    tasks.end_for_blocked.enqueue(event.blocker_id, event.blocked_id)


@subscriber(MessageSent)
def on_message_sent(event: MessageSent) -> None:
    """Publish the message to each participant's `user:<id>` channel, after commit.

    Published here rather than from a task: a conversation is read as it
    happens, and a queued task would add the worker's polling delay. Only
    the people present when it was sent receive it; the fragment is the
    same one the conversation page renders, so it was sanitized already.
    """
    message = (
        Message.objects.select_related("sender", "conversation")
        .prefetch_related("photos")
        .filter(pk=event.message_id)
        .first()
    )
    if message is None:
        return
    html = render_to_string("messaging/_message.html", {"message": message, "live": True})
    for participant in recipients_of(message=message):
        live.publish(
            f"user:{participant.user_id}",
            "message",
            {
                "conversation": str(message.conversation_id),
                "message": str(message.pk),
                "sender": str(message.sender_id),
                "mine": participant.user_id == message.sender_id,
                "muted": participant.muted,
                "request": participant.state != participant.State.ACTIVE,
                "html": html,
            },
        )
