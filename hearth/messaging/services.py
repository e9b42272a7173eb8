"""Conversations: start one, send, accept or ignore requests, leave, mute, read.

Who may write where is decided here; who may read is decided by the access
helpers in selectors. Every refusal is a MessagingError with a message fit
to show. Refusals across a block read exactly like any other "you can't
message this person", so they reveal nothing about who blocked whom.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import Block, Follow, User
from hearth.accounts.selectors import users_by_usernames
from hearth.accounts.services import RelationshipError, block_create
from hearth.core.events import emit
from hearth.core.images import ImageRejected, ProcessedImage, process_image
from hearth.core.text import normalize_newlines, render
from hearth.messaging.events import MessageSent
from hearth.messaging.models import (
    MAX_MESSAGE_LENGTH,
    MAX_PEOPLE,
    MAX_PHOTOS,
    MAX_TITLE_LENGTH,
    Conversation,
    Message,
    MessagePhoto,
    Participant,
)

State = Participant.State
# Everyone still in a conversation in some way: the ones a message reaches.
PRESENT = (State.ACTIVE, State.REQUEST, State.IGNORED)


class MessagingError(Exception):
    """A refusal with a message fit to show, and the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def cant_message(user: User) -> MessagingError:
    """The one refusal for a block either way, a closed account, or anything alike."""
    return MessagingError(f"You can't message @{user.username}.", "to")


@dataclass(frozen=True)
class PhotoUpload:
    file: UploadedFile[bytes]
    alt: str = ""
    # The composer's place for it (1 to MAX_PHOTOS): a refusal names that
    # place ("Photo 3: ...", field "photo_3"), not the upload's rank.
    slot: int = 0


def usernames_parse(raw: str) -> list[str]:
    """Usernames from "alex, @sam kim" (commas or spaces, @ optional), lower-cased, unique."""
    names = [n.strip().lstrip("@").lower() for n in raw.replace(",", " ").split()]
    return list(dict.fromkeys(n for n in names if n))


def recipients_resolve(*, sender: User, raw: str) -> list[User]:
    """The people named in `raw`, checked: they exist, are not the sender, fit in a group,
    and can be reached together (conversation_start's rule, checked here as well so the
    refusal comes before any reconsider prompt).

    Raises MessagingError (field "to") naming the first problem. A closed
    account, a block either way and a block between two of the people named
    all get the same "You can't message @name."; only a name no account has
    is "No one here is called @name."
    """
    names = usernames_parse(raw)
    if not names:
        raise MessagingError("Add at least one person by their username.", "to")
    if len(names) + (0 if sender.username.lower() in names else 1) > MAX_PEOPLE:
        raise MessagingError(
            f"A conversation can have up to {MAX_PEOPLE} people, you included.", "to"
        )
    found = users_by_usernames(names)
    missing = [n for n in names if n not in found]
    if missing:
        # users_by_usernames lists active accounts only: a closed one must read
        # like a block, not like a name no one has.
        closed = {
            u.username.lower(): u
            for u in User.objects.alias(lower_name=Lower("username")).filter(
                lower_name__in=missing, is_active=False
            )
        }
        for name in names:
            if name in closed:
                raise cant_message(closed[name])
            if name not in found:
                raise MessagingError(f"No one here is called @{name}.", "to")
    people = [found[n] for n in names if found[n].pk != sender.pk]
    if not people:
        raise MessagingError("Add someone other than yourself.", "to")
    _check_reachable(sender, people)
    return people


def _check_reachable(sender: User, others: Sequence[User]) -> None:
    """Refuse a closed account, a block between the sender and anyone else, and a block
    between any two of the others (in a group).

    The refusal names one person and never tells who blocked whom: for a
    block between two others it names the one listed later, whichever of
    them blocked.
    """
    ids = [u.pk for u in others]
    pairs = set(
        Block.objects.filter(
            Q(blocker=sender, blocked_id__in=ids)
            | Q(blocked=sender, blocker_id__in=ids)
            | Q(blocker_id__in=ids, blocked_id__in=ids)
        ).values_list("blocker_id", "blocked_id")
    )
    position = {u.pk: i for i, u in enumerate(others)}
    refused = {i for i, u in enumerate(others) if not u.is_active}
    for blocker_id, blocked_id in pairs:
        if blocker_id == sender.pk:
            refused.add(position[blocked_id])
        elif blocked_id == sender.pk:
            refused.add(position[blocker_id])
        else:
            refused.add(max(position[blocker_id], position[blocked_id]))
    if refused:
        raise cant_message(others[min(refused)])


def _end_blocked_in(conversation: Conversation) -> int:
    """Move out of a group anyone blocked by someone else still in it.

    conversations_end_for_blocked does this after every block, from a task;
    this closes the gap until the task has run, so a message never reaches
    across a block. Idempotent. Returns how many people were moved out.
    """
    present = list(
        Participant.objects.filter(conversation=conversation, state__in=PRESENT).values_list(
            "user_id", flat=True
        )
    )
    blocked = set(
        Block.objects.filter(blocker_id__in=present, blocked_id__in=present).values_list(
            "blocked_id", flat=True
        )
    )
    if not blocked:
        return 0
    return Participant.objects.filter(
        conversation=conversation, user_id__in=blocked, state__in=PRESENT
    ).update(state=State.LEFT, left_at=timezone.now())


def _check_text(text: str, *, has_photos: bool) -> str:
    text = normalize_newlines(text).strip()
    if not text and not has_photos:
        raise MessagingError("Write something, or add a photo.", "text")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise MessagingError(
            f"Messages can be up to {MAX_MESSAGE_LENGTH:,} characters; this one has {len(text):,}.",
            "text",
        )
    return text


def _process(uploads: Sequence[PhotoUpload]) -> list[tuple[ProcessedImage, str]]:
    if len(uploads) > MAX_PHOTOS:
        raise MessagingError(f"A message can carry up to {MAX_PHOTOS} photos.", "photo")
    out = []
    for index, upload in enumerate(uploads, start=1):
        slot = upload.slot or index
        if len(upload.alt) > 1500:
            raise MessagingError("The description can be up to 1,500 characters.", f"alt_{slot}")
        try:
            out.append((process_image(upload.file), upload.alt.strip()))
        except ImageRejected as exc:
            raise MessagingError(f"Photo {slot}: {exc}", f"photo_{slot}") from None
    return out


def photos_stage(*, owner: User, uploads: Sequence[PhotoUpload]) -> list[MessagePhoto]:
    """Re-encode and keep photos while their message waits on a reconsider page.

    Raises MessagingError naming the photo that failed; nothing is stored then.
    """
    images = _process(uploads)
    photos = []
    for index, (image, alt) in enumerate(images):
        photo = MessagePhoto(
            owner=owner, position=index, width=image.width, height=image.height, alt=alt
        )
        photo.file.save(image.name, image.content, save=False)
        photo.save()
        photos.append(photo)
    return photos


def photos_prune_staged(*, older_than: timedelta) -> int:
    """Delete staged photos (no message) older than `older_than`, files included.

    A photo is staged while its message waits on a reconsider page; if the
    person walks away from that page nothing else ever removes it. Safe to
    run in several workers at once. Returns how many were deleted.
    """
    cutoff = timezone.now() - older_than
    count = 0
    for item in MessagePhoto.objects.filter(message__isnull=True, created_at__lt=cutoff)[:1000]:
        # The row first, and only while still unattached: a "send anyway" at
        # this moment keeps its photo or finds it gone, never a row without a file.
        deleted, _ = MessagePhoto.objects.filter(pk=item.pk, message__isnull=True).delete()
        if deleted:
            item.file.delete(save=False)
            count += 1
    return count


def photos_discard(*, owner: User, photo_ids: Sequence[int]) -> int:
    """Delete the owner's photos that never made it into a message. Returns how many."""
    items = list(MessagePhoto.objects.filter(pk__in=photo_ids, owner=owner, message__isnull=True))
    for item in items:
        item.file.delete(save=False)
        item.delete()
    return len(items)


def _render(text: str) -> str:
    # Mentions stay plain text in a private conversation: no one is notified
    # and no profile link tells who was talked about.
    return render(
        text,
        mention_url=lambda name: None,
        hashtag_url=lambda tag: reverse("tag", kwargs={"tag": tag}),
    ).html


def _message_create(
    *,
    conversation: Conversation,
    sender: User,
    text: str,
    photos: Sequence[PhotoUpload],
    staged: Sequence[MessagePhoto],
) -> Message:
    """Write the message and its photos; the caller holds the transaction."""
    images = _process(photos)
    if len(images) + len(staged) > MAX_PHOTOS:
        raise MessagingError(f"A message can carry up to {MAX_PHOTOS} photos.", "photo")
    message = Message.objects.create(
        conversation=conversation, sender=sender, text=text, html=_render(text) if text else ""
    )
    position = 0
    for photo in staged:
        MessagePhoto.objects.filter(pk=photo.pk, owner=sender, message__isnull=True).update(
            message=message, position=position
        )
        position += 1
    for image, alt in images:
        item = MessagePhoto(
            owner=sender,
            message=message,
            position=position,
            width=image.width,
            height=image.height,
            alt=alt,
        )
        item.file.save(image.name, image.content, save=False)
        item.save()
        position += 1
    Conversation.objects.filter(pk=conversation.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk
    )
    Participant.objects.filter(conversation=conversation, user=sender).update(
        last_read_message_id=message.pk
    )
    emit(MessageSent(message_id=message.pk))
    return message


def _follows(follower_ids: Sequence[int], followee: User) -> set[int]:
    return set(
        Follow.objects.filter(
            follower_id__in=follower_ids, followee=followee, state=Follow.State.ACCEPTED
        ).values_list("follower_id", flat=True)
    )


def _existing_pair(a: User, b: User) -> Conversation | None:
    """The one-to-one conversation `a` is still in with `b`, if `b` has not left it."""
    mine = Participant.objects.filter(
        user=a, state__in=(State.ACTIVE, State.REQUEST), conversation__is_group=False
    ).values("conversation_id")
    theirs = (
        Participant.objects.filter(conversation_id__in=mine, user=b, state__in=PRESENT)
        .select_related("conversation")
        .order_by("-conversation__last_message_id")
        .first()
    )
    return theirs.conversation if theirs is not None else None


def conversation_start(
    *,
    initiator: User,
    recipients: Sequence[User],
    text: str,
    title: str = "",
    photos: Sequence[PhotoUpload] = (),
    staged: Sequence[MessagePhoto] = (),
) -> tuple[Conversation, Message]:
    """Start a conversation with its first message, or continue the one-to-one already open.

    People who follow the initiator join at once; anyone else gets a
    message request to accept, ignore or block. Raises MessagingError for
    more than MAX_PEOPLE people, a closed account, a block either way, or a
    block between two of the people in a group (all the same "You can't
    message @name.", telling nothing of who blocked whom), an empty or long
    text, or a bad photo; nothing is saved then. Emits MessageSent.
    """
    others = list({u.pk: u for u in recipients if u.pk != initiator.pk}.values())
    if not others:
        raise MessagingError("Add someone other than yourself.", "to")
    if len(others) + 1 > MAX_PEOPLE:
        raise MessagingError(
            f"A conversation can have up to {MAX_PEOPLE} people, you included; "
            f"this one would have {len(others) + 1}.",
            "to",
        )
    _check_reachable(initiator, others)
    title = title.strip()
    if len(title) > MAX_TITLE_LENGTH:
        raise MessagingError(f"A name can be up to {MAX_TITLE_LENGTH} characters.", "title")
    text = _check_text(text, has_photos=bool(photos or staged))
    if len(others) == 1:
        existing = _existing_pair(initiator, others[0])
        if existing is not None:
            return existing, message_send(
                conversation=existing, sender=initiator, text=text, photos=photos, staged=staged
            )
    followers = _follows([u.pk for u in others], initiator)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            title=title if len(others) > 1 else "", is_group=len(others) > 1, created_by=initiator
        )
        Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user=initiator, state=State.ACTIVE),
                *(
                    Participant(
                        conversation=conversation,
                        user=u,
                        state=State.ACTIVE if u.pk in followers else State.REQUEST,
                    )
                    for u in others
                ),
            ]
        )
        message = _message_create(
            conversation=conversation, sender=initiator, text=text, photos=photos, staged=staged
        )
    conversation.last_message_id = message.pk
    return conversation, message


def message_send(
    *,
    conversation: Conversation,
    sender: User,
    text: str,
    photos: Sequence[PhotoUpload] = (),
    staged: Sequence[MessagePhoto] = (),
) -> Message:
    """Send a message to a conversation the sender is in.

    Answering a request accepts it. In a group, anyone blocked by someone
    still in it is moved out first (what the block's task does anyway), so
    a message never crosses a block. Raises MessagingError if the sender
    has left (or was just moved out), if everyone else has, across a block
    in a one-to-one (the same "You can't message @name." as any refusal),
    or for an empty or long text or a bad photo; nothing is saved then.
    Emits MessageSent.
    """
    text = _check_text(text, has_photos=bool(photos or staged))
    if conversation.is_group:
        _end_blocked_in(conversation)
    with transaction.atomic():
        me = (
            Participant.objects.select_for_update()
            .filter(conversation=conversation, user=sender, state__in=PRESENT)
            .first()
        )
        if me is None:
            raise MessagingError("You're no longer in this conversation.")
        others = [
            p.user
            for p in Participant.objects.filter(conversation=conversation, state__in=PRESENT)
            .exclude(user=sender)
            .select_related("user")
        ]
        if not others:
            raise MessagingError("No one else is in this conversation any more.")
        if not conversation.is_group:
            _check_reachable(sender, others)
        if me.state != State.ACTIVE:
            me.state = State.ACTIVE
            me.save(update_fields=["state"])
        return _message_create(
            conversation=conversation, sender=sender, text=text, photos=photos, staged=staged
        )


def _participant(conversation: Conversation, user: User, states: Sequence[str]) -> Participant:
    me = (
        Participant.objects.select_for_update()
        .filter(conversation=conversation, user=user, state__in=states)
        .first()
    )
    if me is None:
        raise MessagingError("That isn't possible in this conversation.")
    return me


@transaction.atomic
def request_accept(*, conversation: Conversation, user: User) -> Participant:
    """Accept a message request (or one ignored before): the conversation joins the inbox.

    Raises MessagingError if there is no request of `user` here.
    """
    me = _participant(conversation, user, (State.REQUEST, State.IGNORED))
    me.state = State.ACTIVE
    me.save(update_fields=["state"])
    return me


@transaction.atomic
def request_ignore(*, conversation: Conversation, user: User) -> Participant:
    """Set a request aside. The sender is not told and may keep writing; nothing reaches
    the inbox or the badge. Raises MessagingError if there is no pending request."""
    me = _participant(conversation, user, (State.REQUEST,))
    me.state = State.IGNORED
    me.save(update_fields=["state"])
    return me


def request_block(*, conversation: Conversation, user: User) -> User | None:
    """Block whoever started the request and leave it. Returns the person blocked.

    The block itself (accounts.block_create) emits BlockCreated, which ends
    every conversation between the two for the blocked person. Raises
    MessagingError if there is no request of `user` here.
    """
    with transaction.atomic():
        me = _participant(conversation, user, (State.REQUEST, State.IGNORED))
        sender = conversation.created_by
        if sender is None or sender.pk == user.pk:
            sender = next(
                (
                    p.user
                    for p in conversation.participants.exclude(user=user).select_related("user")
                ),
                None,
            )
        if sender is not None:
            with contextlib.suppress(RelationshipError):
                block_create(blocker=user, blocked=sender)
            # The after-commit handler looks for conversations the blocker is
            # still in; this one they leave now, so end it here for the sender.
            Participant.objects.filter(
                conversation=conversation, user=sender, state__in=PRESENT
            ).update(state=State.LEFT, left_at=timezone.now())
        me.state = State.LEFT
        me.left_at = timezone.now()
        me.save(update_fields=["state", "left_at"])
    return sender


@transaction.atomic
def conversation_leave(*, conversation: Conversation, user: User) -> Participant:
    """Leave: the conversation is gone from every page of `user`, for good.

    The others stay and are not told. Raises MessagingError if already out.
    """
    me = _participant(conversation, user, PRESENT)
    me.state = State.LEFT
    me.left_at = timezone.now()
    me.save(update_fields=["state", "left_at"])
    return me


@transaction.atomic
def conversation_hide(*, conversation: Conversation, user: User) -> Participant:
    """Hide the conversation from `user`'s list in the client API until a newer message arrives.

    Mastodon's "remove from your list of conversations": `user` stays in it
    and keeps receiving its messages; the next message from anyone shows it
    again (selectors compare ids, nothing is written then). Reading it by id
    still works, and the web inbox still lists it. Idempotent; the read line
    does not move. Raises MessagingError if `user` is not present in it.
    """
    me = _participant(conversation, user, PRESENT)
    # The newest id as stored now, not `conversation`'s (possibly stale)
    # copy: everything sent so far is hidden, as Mastodon's deleting its
    # per-account record hides it, and the next message shows it again.
    newest = (
        Conversation.objects.filter(pk=conversation.pk)
        .values_list("last_message_id", flat=True)
        .get()
    )
    if newest > me.hidden_through_message_id:
        me.hidden_through_message_id = newest
        me.save(update_fields=["hidden_through_message_id"])
    return me


def conversation_mute(*, conversation: Conversation, user: User, muted: bool) -> Participant:
    """Mute (or unmute) a conversation: still readable, never counted in the badge."""
    with transaction.atomic():
        me = _participant(conversation, user, PRESENT)
        me.muted = muted
        me.save(update_fields=["muted"])
    return me


def conversation_rename(*, conversation: Conversation, user: User, title: str) -> Conversation:
    """Name a group (empty clears it). Raises MessagingError for a one-to-one or a long name."""
    title = title.strip()
    if not conversation.is_group:
        raise MessagingError("Only group conversations have a name.", "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise MessagingError(f"A name can be up to {MAX_TITLE_LENGTH} characters.", "title")
    with transaction.atomic():
        _participant(conversation, user, (State.ACTIVE,))
        conversation.title = title
        conversation.save(update_fields=["title"])
    return conversation


def conversation_mark_read(*, participant: Participant, up_to_id: int) -> None:
    """Move the read line forward to `up_to_id`; it never moves back."""
    if up_to_id > participant.last_read_message_id:
        Participant.objects.filter(pk=participant.pk, last_read_message_id__lt=up_to_id).update(
            last_read_message_id=up_to_id
        )
        participant.last_read_message_id = up_to_id


def conversations_end_for_blocked(*, blocker_id: int, blocked_id: int) -> int:
    """After a block: the blocked person leaves every conversation they share with the blocker.

    Idempotent. Returns how many conversations they left.
    """
    shared = Participant.objects.filter(user_id=blocker_id, state__in=PRESENT).values(
        "conversation_id"
    )
    return Participant.objects.filter(
        conversation_id__in=shared, user_id=blocked_id, state__in=PRESENT
    ).update(state=State.LEFT, left_at=timezone.now())
