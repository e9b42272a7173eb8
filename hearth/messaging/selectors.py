"""Reading conversations. Everything a viewer reads goes through an access helper here.

`conversation_get_for_participant` raises the same Http404 for a
conversation that does not exist, one the viewer was never in, one they
left, and one a block ended for them: nothing tells these apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.http import Http404

from hearth.accounts.models import Follow, User
from hearth.messaging.models import Conversation, Message, MessagePhoto, Participant

State = Participant.State
# Who may open a conversation: those in it, and those holding a request to it.
READABLE = (State.ACTIVE, State.REQUEST, State.IGNORED)
PAGE_SIZE = 40
INBOX_SIZE = 50
BADGE_UP_TO = 99


def conversation_get_for_participant(
    *, viewer: User, conversation_id: int, states: Sequence[str] = READABLE
) -> Participant:
    """The viewer's place in the conversation (with it attached), or Http404.

    Missing, never joined, left or ended by a block: the same 404.
    """
    participant = (
        Participant.objects.select_related("conversation")
        .filter(
            conversation_id=conversation_id, user=viewer, state__in=states, user__is_active=True
        )
        .first()
    )
    if participant is None:
        raise Http404("No such conversation")
    return participant


def photo_get_for_participant(*, viewer: User, conversation_id: int, photo_id: int) -> MessagePhoto:
    """A photo of a message in a conversation the viewer may read, or Http404."""
    participant = conversation_get_for_participant(viewer=viewer, conversation_id=conversation_id)
    photo = MessagePhoto.objects.filter(
        pk=photo_id, message__conversation_id=participant.conversation_id
    ).first()
    if photo is None:
        raise Http404("No such photo")
    return photo


def mutual_followers(*, a: User, b: User) -> bool:
    """Follow each other: between them, profanity alone does not prompt (kindness judge)."""
    accepted = Follow.objects.filter(state=Follow.State.ACCEPTED)
    return (
        accepted.filter(follower=a, followee=b).exists()
        and accepted.filter(follower=b, followee=a).exists()
    )


def people_in(*, conversation: Conversation) -> list[User]:
    """Everyone still in the conversation (requests included), oldest first."""
    return [
        p.user
        for p in conversation.participants.filter(state__in=READABLE)
        .select_related("user")
        .order_by("joined_at", "pk")
    ]


@dataclass(frozen=True)
class MessagePage:
    messages: list[Message]  # oldest first, for reading down
    older_max_id: int | None  # pass as max_id for the page before


def messages_page(*, participant: Participant, max_id: int | None = None) -> MessagePage:
    """The newest PAGE_SIZE messages (below `max_id` if given) of a conversation the
    viewer may read; `participant` must come from conversation_get_for_participant."""
    messages = (
        Message.objects.filter(conversation_id=participant.conversation_id)
        .select_related("sender")
        .prefetch_related(Prefetch("photos", queryset=MessagePhoto.objects.order_by("position")))
        .order_by("-id")
    )
    if max_id is not None:
        messages = messages.filter(id__lt=max_id)
    found = list(messages[: PAGE_SIZE + 1])
    older = found[PAGE_SIZE - 1].pk if len(found) > PAGE_SIZE else None
    return MessagePage(messages=list(reversed(found[:PAGE_SIZE])), older_max_id=older)


def message_get_for_participant(*, viewer: User, message_id: int) -> Message:
    """One message the viewer may read (its conversation attached), or Http404."""
    message = (
        Message.objects.select_related("sender", "conversation")
        .prefetch_related("photos")
        .filter(
            pk=message_id,
            conversation__participants__user=viewer,
            conversation__participants__state__in=READABLE,
        )
        .first()
    )
    if message is None:
        raise Http404("No such message")
    return message


@dataclass(frozen=True)
class InboxRow:
    conversation: Conversation
    participant: Participant
    others: list[User]
    last: Message | None

    @property
    def unread(self) -> bool:
        return self.conversation.last_message_id > self.participant.last_read_message_id

    @property
    def name(self) -> str:
        if self.conversation.title:
            return self.conversation.title
        if not self.others:
            return "Just you"
        return ", ".join(u.name for u in self.others)


def inbox(*, viewer: User, requests: bool = False) -> list[InboxRow]:
    """The viewer's newest INBOX_SIZE conversations, newest message first; with `requests`,
    their message requests. Left and ignored conversations are not listed."""
    return conversations_window(viewer=viewer, requests=requests, limit=INBOX_SIZE)


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    older_max_id: int | None  # pass as max_id for the older conversations


def inbox_window(*, viewer: User, requests: bool = False, max_id: int | None = None) -> InboxPage:
    """One page of the inbox (or of the requests): INBOX_SIZE conversations whose newest
    message is older than `max_id`, newest first, and where the next page starts."""
    rows = conversations_window(
        viewer=viewer, requests=requests, max_id=max_id, limit=INBOX_SIZE + 1
    )
    if len(rows) <= INBOX_SIZE:
        return InboxPage(rows=rows, older_max_id=None)
    rows = rows[:INBOX_SIZE]
    return InboxPage(rows=rows, older_max_id=rows[-1].conversation.last_message_id)


def conversations_window(
    *,
    viewer: User,
    requests: bool = False,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = 20,
    skip_hidden: bool = False,
) -> list[InboxRow]:
    """The viewer's active conversations with a message, addressed by their newest message's id.

    For paging (the inbox pages and the client API): older than `max_id`,
    newer than `since_id`, or the `limit` just after `min_id`; always newest
    first. With `requests`, their pending message requests instead. Ignored
    requests, and conversations left or ended by a block, are not listed.
    With `skip_hidden` (the client API), neither are conversations the viewer
    hid whose newest message is still one they hid through
    (services.conversation_hide); the web inbox lists them.
    """
    state = State.REQUEST if requests else State.ACTIVE
    mine = Participant.objects.filter(
        user=viewer, state=state, conversation__last_message_id__gt=0
    ).select_related("conversation")
    key = "conversation__last_message_id"
    if skip_hidden:
        mine = mine.filter(**{f"{key}__gt": F("hidden_through_message_id")})
    if max_id is not None:
        mine = mine.filter(**{f"{key}__lt": max_id})
    if since_id is not None:
        mine = mine.filter(**{f"{key}__gt": since_id})
    if min_id is not None:
        rows = list(mine.filter(**{f"{key}__gt": min_id}).order_by(key)[:limit])
        rows.reverse()
    else:
        rows = list(mine.order_by(f"-{key}")[:limit])
    return _rows(viewer, rows)


def conversation_row(*, viewer: User, participant: Participant) -> InboxRow:
    """One conversation as the inbox shows it.

    `participant` must be the viewer's, from conversation_get_for_participant.
    """
    return _rows(viewer, [participant])[0]


def _rows(viewer: User, mine: list[Participant]) -> list[InboxRow]:
    """Inbox rows for the viewer's places `mine`: the others in each, and the newest message."""
    ids = [p.conversation_id for p in mine]
    others: dict[int, list[User]] = {i: [] for i in ids}
    for p in (
        Participant.objects.filter(conversation_id__in=ids, state__in=READABLE)
        .exclude(user=viewer)
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        others[p.conversation_id].append(p.user)
    last_ids = [p.conversation.last_message_id for p in mine if p.conversation.last_message_id]
    last = {
        m.conversation_id: m
        for m in Message.objects.filter(pk__in=last_ids).select_related("sender")
    }
    return [
        InboxRow(
            conversation=p.conversation,
            participant=p,
            others=others[p.conversation_id],
            last=last.get(p.conversation_id),
        )
        for p in mine
    ]


def unread_count(*, user: User) -> int:
    """Active, unmuted conversations with a message the user has not read (up to 100)."""
    return (
        Participant.objects.filter(
            user=user,
            state=State.ACTIVE,
            muted=False,
            conversation__last_message_id__gt=F("last_read_message_id"),
        )[: BADGE_UP_TO + 1]
        .values("pk")
        .count()
    )


def request_count(*, user: User) -> int:
    return Participant.objects.filter(user=user, state=State.REQUEST).count()


def recipients_of(*, message: Message) -> list[Participant]:
    """Who a message reaches live: everyone present but its sender's other devices too."""
    return list(
        Participant.objects.filter(conversation_id=message.conversation_id, state__in=READABLE)
    )
