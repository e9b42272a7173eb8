"""Thank-you notes: sending one, and opening the ones received.

A note goes from one person to one other and is seen by nobody else. It
appears in no feed and no count; the recipient finds it on their "Kindness
received" page, where the unread ones are marked until opened.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timeuntil

from hearth.accounts.models import Block, User
from hearth.core.ids import snowflake_floor
from hearth.kindness import selectors
from hearth.kindness.models import ThankYouNote

# A second identical submission this soon is a double click or a resent
# form, not a second note.
DUPLICATE_WINDOW = timedelta(minutes=2)


class NoteError(Exception):
    """The note cannot be sent: to oneself, across a block, or with an unusable text."""


class NoteLimitReached(NoteError):
    """The sender has sent `selectors.NOTES_PER_DAY` notes within the rolling day."""


def has_visible_text(text: str) -> bool:
    """False for text made only of spaces and invisible characters (zero-width, direction marks)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def note_send(*, sender: User, recipient: User, text: str) -> ThankYouNote:
    """Send a private thank-you note from `sender` to `recipient`.

    Raises NoteError for oneself, across a block either way, or for a text
    that is empty (once spaces and invisible characters are set aside) or
    longer than ThankYouNote.MAX_LENGTH; NoteLimitReached once the sender
    has sent NOTES_PER_DAY notes in the last 24 hours. The same text sent
    again to the same person within DUPLICATE_WINDOW returns the first
    note instead of making a second. Emits no event: the recipient learns
    of it from the unread count on their "Kindness received" page.
    """
    text = text.strip()
    if not has_visible_text(text):
        raise NoteError("Write a few words of thanks before sending.")
    if len(text) > ThankYouNote.MAX_LENGTH:
        raise NoteError(
            f"Please keep your note to {ThankYouNote.MAX_LENGTH:,} characters or fewer "
            f"(it has {len(text):,})."
        )
    if sender.pk == recipient.pk:
        raise NoteError("You can't send a thank-you note to yourself.")
    now = timezone.now()
    with transaction.atomic():
        # Lock the sender's row so that two sends at once cannot both pass
        # the limit check on PostgreSQL. SQLite ignores FOR UPDATE, but it
        # lets only one writer in at a time.
        User.objects.select_for_update().filter(pk=sender.pk).exists()
        if Block.objects.filter(
            Q(blocker=sender, blocked=recipient) | Q(blocker=recipient, blocked=sender)
        ).exists():
            raise NoteError("That isn't possible with this person.")
        recent = ThankYouNote.objects.filter(
            sender=sender, id__gte=snowflake_floor(now - selectors.NOTE_WINDOW)
        )
        repeat = (
            recent.filter(recipient=recipient, text=text, created_at__gte=now - DUPLICATE_WINDOW)
            .order_by("-id")
            .first()
        )
        if repeat is not None:
            return repeat
        sent_at = list(
            recent.order_by("-id").values_list("created_at", flat=True)[: selectors.NOTES_PER_DAY]
        )
        if len(sent_at) >= selectors.NOTES_PER_DAY:
            # Another note fits once the oldest of these leaves the rolling day.
            frees_at = sent_at[-1] + selectors.NOTE_WINDOW
            wait = timeuntil(frees_at, now, depth=1)
            if frees_at - now < timedelta(minutes=1):
                wait = "a minute"
            raise NoteLimitReached(
                f"You've sent {selectors.NOTES_PER_DAY} thank-you notes in the last day, "
                f"the most Hearth allows, so each one stays special. "
                f"You can send another in {wait}. Your note is still here."
            )
        return ThankYouNote.objects.create(
            sender=sender, recipient=recipient, text=text, created_at=now
        )


@dataclass(frozen=True)
class ReceivedPage:
    """A page of received notes as it was before opening it."""

    notes: list[ThankYouNote]
    next_max_id: int | None
    # Unread before this page was opened, across all pages.
    unread: int
    # Which of `notes` were unread until now, to mark them "new".
    new_ids: frozenset[int]


def notes_open_received(*, recipient: User, max_id: int | None) -> ReceivedPage:
    """Read a page of `recipient`'s notes and mark the ones on it as read.

    Only the notes shown are marked, so unread notes further down stay
    unread until their page is opened. Returns the page as it was before.
    """
    unread = selectors.notes_unread_count(recipient=recipient)
    page = selectors.notes_received(recipient=recipient, max_id=max_id)
    new_ids = frozenset(n.pk for n in page.items if n.read_at is None)
    if new_ids:
        ThankYouNote.objects.filter(
            recipient=recipient, id__in=new_ids, read_at__isnull=True
        ).update(read_at=timezone.now())
    return ReceivedPage(
        notes=list(page.items), next_max_id=page.next_max_id, unread=unread, new_ids=new_ids
    )
