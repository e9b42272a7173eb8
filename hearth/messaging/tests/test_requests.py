"""Message requests, the reconsider prompt, blocks and bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from hearth.accounts.models import User
from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.kindness.models import Prompt
from hearth.messaging import selectors
from hearth.messaging.models import Conversation, Message, MessagePhoto, Participant
from hearth.messaging.services import (
    MessagingError,
    conversation_mute,
    message_send,
    request_accept,
)
from hearth.messaging.tests.helpers import jpeg, start

pytestmark = pytest.mark.django_db
State = Participant.State


def state_of(conversation: Conversation, user: User) -> str:
    return Participant.objects.get(conversation=conversation, user=user).state


def test_from_someone_you_follow_arrives_in_the_inbox() -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    assert state_of(conversation, ben) == State.ACTIVE
    assert selectors.unread_count(user=ben) == 1
    assert [r.conversation for r in selectors.inbox(viewer=ben)] == [conversation]


def test_from_someone_you_dont_follow_is_a_request(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    conversation, _ = start(ana, ben, text="Hi, we met at the garden")
    assert state_of(conversation, ben) == State.REQUEST
    assert selectors.inbox(viewer=ben) == []
    assert selectors.unread_count(user=ben) == 0
    page = client_for(ben).get("/messages/requests")
    assert b"we met at the garden" in page.content
    # Opening it shows accept / ignore / block and no composer.
    page = client_for(ben).get(conversation.get_absolute_url())
    assert b"Message request" in page.content
    assert b'id="dm-composer"' not in page.content
    assert client_for(ben).post(f"/messages/{conversation.pk}/accept").status_code == 302
    assert state_of(conversation, ben) == State.ACTIVE
    page = client_for(ben).get(conversation.get_absolute_url())
    assert b'id="dm-composer"' in page.content


def test_ignore_hides_the_request_and_the_sender_is_not_told(
    client_for: Callable[..., Any],
) -> None:
    ana, ben = UserFactory(), UserFactory()
    conversation, _ = start(ana, ben)
    client_for(ben).post(f"/messages/{conversation.pk}/ignore")
    assert state_of(conversation, ben) == State.IGNORED
    assert selectors.inbox(viewer=ben, requests=True) == []
    # Ana can still write; it stays out of Ben's inbox and badge.
    with committed():
        message_send(conversation=conversation, sender=ana, text="Are you there?")
    assert selectors.unread_count(user=ben) == 0
    page = client_for(ana).get(conversation.get_absolute_url())
    assert b"ignore" not in page.content.lower().replace(b"ignored", b"")


def test_block_from_a_request_blocks_and_ends_it(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    conversation, _ = start(ana, ben)
    client_for(ben).post(f"/messages/{conversation.pk}/block")
    assert ben.blocking_set.filter(blocked=ana).exists()
    assert state_of(conversation, ben) == State.LEFT
    assert state_of(conversation, ana) == State.LEFT  # the blocked person's conversation ends
    assert client_for(ana).get(conversation.get_absolute_url()).status_code == 404


def test_message_to_a_blocker_looks_like_any_refusal(client_for: Callable[..., Any]) -> None:
    """Blocked by them, blocking them, or an account that is closed: one refusal, same page."""
    ana, ben, cy, gone = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    with committed():
        block_create(blocker=ben, blocked=ana)
        block_create(blocker=ana, blocked=cy)
    gone.is_active = False
    gone.save()
    answers = {}
    for person in (ben, cy, gone):
        response = client_for(ana).post(
            "/messages/new", {"to": person.username, "text": "hello again"}
        )
        assert response.status_code == 400
        body = response.content.decode().replace(person.username, "NAME")
        answers[person.username] = re.sub(r'"X-CSRFToken": "[^"]*"|value="[^"]{64}"', "", body)
    assert "You can&#x27;t message @NAME." in answers[ben.username]
    assert answers[ben.username] == answers[cy.username] == answers[gone.username]
    assert "block" not in answers[ben.username].lower()
    assert "No one here" not in answers[gone.username]
    for person in (ben, gone):
        with pytest.raises(MessagingError) as refused:
            start(ana, person)
        assert str(refused.value) == f"You can't message @{person.username}."
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0


def test_a_refusal_comes_before_any_reconsider_prompt(client_for: Callable[..., Any]) -> None:
    """A prompt shown only to people writing to a reachable account would tell them apart."""
    ana, ben, gone = UserFactory(), UserFactory(), UserFactory()
    with committed():
        block_create(blocker=ben, blocked=ana)
    gone.is_active = False
    gone.save()
    for person in (ben, gone):
        response = client_for(ana).post("/messages/new", {"to": person.username, "text": HURTFUL})
        assert response.status_code == 400
        assert b"Before you send this" not in response.content
    assert not Prompt.objects.exists()


def test_blocking_ends_a_one_to_one_for_the_blocked_person_only() -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    with committed():
        block_create(blocker=ben, blocked=ana)
    assert state_of(conversation, ana) == State.LEFT
    assert state_of(conversation, ben) == State.ACTIVE
    with pytest.raises(MessagingError, match="no longer"):
        message_send(conversation=conversation, sender=ana, text="hey")


def test_a_group_of_21_is_refused_and_nothing_is_saved(client_for: Callable[..., Any]) -> None:
    ana = UserFactory()
    others = [UserFactory() for _ in range(20)]
    response = client_for(ana).post(
        "/messages/new", {"to": ", ".join(u.username for u in others), "text": "Picnic?"}
    )
    assert response.status_code == 400
    assert b"up to 20 people, you included" in response.content
    assert Conversation.objects.count() == Participant.objects.count() == 0
    # Twenty is fine.
    response = client_for(ana).post(
        "/messages/new",
        {"to": " ".join(u.username for u in others[:19]), "text": "Picnic?", "title": "Park"},
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.is_group and conversation.title == "Park"
    assert conversation.participants.count() == 20


def test_a_bad_photo_saves_nothing(client_for: Callable[..., Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ana, ben = UserFactory(), UserFactory()
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client_for(ana).post(
        "/messages/new", {"to": ben.username, "text": "look", "photo_1": bad}
    )
    assert response.status_code == 400
    assert b"isn" in response.content  # "This file isn't an image we can read."
    assert Conversation.objects.count() == Message.objects.count() == 0
    assert MessagePhoto.objects.count() == 0


def test_unknown_and_empty_input_are_explained(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    c = client_for(ana)
    assert (
        b"No one here is called @nobody"
        in c.post("/messages/new", {"to": "nobody", "text": "hi"}).content
    )
    assert (
        b"Write something, or add a photo."
        in c.post("/messages/new", {"to": ben.username, "text": "  "}).content
    )
    assert (
        b"other than yourself"
        in c.post("/messages/new", {"to": ana.username, "text": "hi"}).content
    )
    assert Conversation.objects.count() == 0


def test_one_to_one_is_continued_not_duplicated() -> None:
    ana, ben = UserFactory(), UserFactory()
    first, _ = start(ana, ben)
    again, _ = start(ana, ben, text="Me again")
    assert again.pk == first.pk
    # Ben answering from a new conversation form accepts the request.
    back, _ = start(ben, ana, text="Hi Ana")
    assert back.pk == first.pk
    assert state_of(first, ben) == State.ACTIVE


def test_read_state_mute_and_leave(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    assert selectors.unread_count(user=ben) == 1
    nav = client_for(ben).get("/messages").content.decode()
    assert 'aria-label="1 unread"' in nav
    client_for(ben).get(conversation.get_absolute_url())
    assert selectors.unread_count(user=ben) == 0
    with committed():
        conversation_mute(conversation=conversation, user=ben, muted=True)
        message_send(conversation=conversation, sender=ana, text="second")
    assert selectors.unread_count(user=ben) == 0
    client_for(ben).post(f"/messages/{conversation.pk}/leave")
    assert state_of(conversation, ben) == State.LEFT
    with pytest.raises(MessagingError, match="No one else"):
        message_send(conversation=conversation, sender=ana, text="third")


def test_rename_is_for_groups(client_for: Callable[..., Any]) -> None:
    ana, ben, cy = UserFactory(), UserFactory(), UserFactory()
    follow(ben, ana)
    pair, _ = start(ana, ben)
    group, _ = start(ana, ben, cy, title="Book club")
    client_for(ana).post(f"/messages/{group.pk}/rename", {"title": "Readers"})
    group.refresh_from_db()
    assert group.title == "Readers"
    client_for(ana).post(f"/messages/{pair.pk}/rename", {"title": "Nope"})
    pair.refresh_from_db()
    assert pair.title == ""


def test_text_is_rendered_safely(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, message = start(ana, ben, text="<script>alert(1)</script> see #garden")
    assert "<script>" not in message.html
    page = client_for(ben).get(conversation.get_absolute_url()).content
    assert b"<script>alert(1)" not in page
    assert b"&lt;script&gt;" in page


HURTFUL = "You are a worthless idiot and everyone hates you"


def test_reconsider_prompt_flow(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    c = client_for(ana)
    url = f"/messages/{conversation.pk}/send"
    page = c.post(url, {"text": HURTFUL, "photo_1": jpeg()})
    assert page.status_code == 200
    assert b"Before you send this" in page.content
    prompt = Prompt.objects.get(author=ana)
    assert prompt.context == "message"
    staged = MessagePhoto.objects.get(message__isnull=True)
    assert Message.objects.count() == 1
    # Edit: back to the conversation with the text kept, nothing sent.
    edit = c.post(
        url, {"text": HURTFUL, "prompt": prompt.pk, "reconsider": "edit", "staged": staged.pk}
    )
    assert b"worthless idiot" in edit.content and Message.objects.count() == 1
    # Don't send: nothing sent, the staged photo removed.
    second = c.post(url, {"text": HURTFUL})
    prompt2 = Prompt.objects.exclude(pk=prompt.pk).get()
    done = c.post(url, {"text": HURTFUL, "prompt": prompt2.pk, "reconsider": "cancel"})
    assert done.status_code == 302 and Message.objects.count() == 1
    assert second.status_code == 200
    # Send anyway: sent with the photo staged on the first prompt.
    c.post(url, {"text": HURTFUL, "prompt": prompt.pk, "reconsider": "send", "staged": staged.pk})
    sent = Message.objects.order_by("-id").first()
    assert sent is not None and sent.text == HURTFUL
    assert list(sent.photos.all()) == [staged]
    # The first choice made on a prompt is the one recorded.
    assert Prompt.objects.get(pk=prompt.pk).outcome == Prompt.Outcome.EDITED
    assert Prompt.objects.get(pk=prompt2.pk).outcome == Prompt.Outcome.CANCELLED


def test_answering_a_request_accepts_it() -> None:
    ana, ben = UserFactory(), UserFactory()
    conversation, _ = start(ana, ben)
    with committed():
        request_accept(conversation=conversation, user=ben)
        message_send(conversation=conversation, sender=ben, text="hello!")
    assert state_of(conversation, ben) == State.ACTIVE


def test_older_conversations_are_a_link_away(
    client_for: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INBOX_SIZE", 3)
    me = UserFactory()
    friends = [UserFactory(display_name=f"Friend number {i}") for i in range(5)]
    for friend in friends:
        follow(me, friend)
        start(friend, me, text=f"Hello from friend {friends.index(friend)}")
    page = client_for(me).get("/messages").content.decode()
    assert [f"Friend number {i}" in page for i in range(5)] == [False, False, True, True, True]
    older = re.search(r'href="(\?max_id=\d+)">Show older conversations<', page)
    assert older is not None
    page = client_for(me).get("/messages" + older.group(1)).content.decode()
    assert [f"Friend number {i}" in page for i in range(5)] == [True, True, False, False, False]
    assert "Show older conversations" not in page


def test_the_requests_badge_counts_past_one_page(
    client_for: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INBOX_SIZE", 3)
    me = UserFactory()
    for _ in range(5):
        start(UserFactory(), me, text="Hi, we met at the community garden")
    for url in ("/messages", "/messages/requests"):
        page = client_for(me).get(url).content.decode()
        assert re.search(r'Requests <span class="badge">5</span>', page), url
    page = client_for(me).get("/messages/requests").content.decode()
    assert page.count("we met at the community garden") == 3
    assert "Show older requests" in page


def test_earlier_messages_link_pages_back_through_a_conversation(
    client_for: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben, text="Message number 0 of our chat")
    with committed():
        for i in range(1, 5):
            text = f"Message number {i} of our chat"
            message_send(conversation=conversation, sender=ana, text=text)
    c = client_for(ben)
    page = c.get(conversation.get_absolute_url()).content.decode()
    assert [f"number {i} " in page for i in range(5)] == [False, False, True, True, True]
    earlier = re.search(r'href="(\?max_id=\d+)">Earlier messages<', page)
    assert earlier is not None
    page = c.get(conversation.get_absolute_url() + earlier.group(1)).content.decode()
    assert [f"number {i} " in page for i in range(5)] == [True, True, False, False, False]
    assert "Earlier messages" not in page


def test_up_to_four_photos_each_with_its_description(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    response = client_for(ana).post(
        f"/messages/{conversation.pk}/send",
        {
            "text": "Photos from the garden open day",
            "photo_1": jpeg("a.jpg"),
            "alt_1": "Tomatoes on the vine",
            "photo_3": jpeg("c.jpg"),
            "alt_3": "A wheelbarrow full of leaves",
        },
    )
    assert response.status_code == 302
    sent = Message.objects.order_by("-id").first()
    assert sent is not None
    assert [p.alt for p in sent.photos.all()] == [
        "Tomatoes on the vine",
        "A wheelbarrow full of leaves",
    ]
    page = client_for(ben).get(conversation.get_absolute_url()).content.decode()
    assert 'alt="Tomatoes on the vine"' in page and 'alt="A wheelbarrow full of leaves"' in page


def test_a_bad_photo_is_named_beside_its_field_and_the_text_is_kept(
    client_for: Callable[..., Any],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    conversation, _ = start(ana, ben)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client_for(ana).post(
        f"/messages/{conversation.pk}/send",
        {
            "text": "Photos from the garden open day",
            "photo_1": jpeg(),
            "alt_1": "Tomatoes on the vine",
            "photo_2": bad,
            "alt_2": "Something",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_photo_2-error"[^>]*><li>([^<]*)<', page)
    assert error is not None and error.group(1).startswith("Photo 2:")
    assert re.search(r'id="id_photo_2"[^>]*aria-invalid="true"', page)
    assert '<details class="dm-photos" open>' in page
    assert ">Photos from the garden open day</textarea>" in page
    assert 'value="Tomatoes on the vine"' in page
    assert Message.objects.count() == 1 and MessagePhoto.objects.count() == 0


def test_a_description_without_its_photo_is_explained(client_for: Callable[..., Any]) -> None:
    ana, ben = UserFactory(), UserFactory()
    response = client_for(ana).post(
        "/messages/new",
        {"to": ben.username, "text": "Photos from the open day", "alt_2": "Tomatoes"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'id="id_alt_2-error"[^>]*><li>Choose the photo again', page)
    assert ">Photos from the open day</textarea>" in page
    assert Conversation.objects.count() == 0


def test_a_group_name_error_is_shown_beside_the_field(client_for: Callable[..., Any]) -> None:
    ana, ben, cy = UserFactory(), UserFactory(), UserFactory()
    follow(ben, ana)
    group, _ = start(ana, ben, cy, title="Book club")
    response = client_for(ana).post(f"/messages/{group.pk}/rename", {"title": "x" * 81})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(
        r'id="id_title"[^>]*aria-invalid="true" aria-describedby="id_title-error">\s*'
        r'<ul class="errorlist" id="id_title-error" role="alert"><li>A name can be up to 80',
        page,
    )
    assert '<details class="dm-settings" open>' in page
    assert 'class="messages"' not in page  # no banner
    group.refresh_from_db()
    assert group.title == "Book club"


def test_staged_photos_left_behind_are_cleaned_up() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from hearth.messaging.periodic import messaging_tick
    from hearth.messaging.services import PhotoUpload, photos_stage

    ana, ben = UserFactory(), UserFactory()
    follow(ben, ana)
    start(ana, ben, photo=True)  # a sent photo: never touched
    old, fresh = (photos_stage(owner=ana, uploads=[PhotoUpload(file=jpeg())])[0] for _ in "ab")
    MessagePhoto.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    storage, name = old.file.storage, str(old.file.name)
    assert storage.exists(name)
    assert messaging_tick() == 1
    assert not storage.exists(name)
    assert set(MessagePhoto.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        *MessagePhoto.objects.filter(message__isnull=False).values_list("pk", flat=True),
    }
    assert MessagePhoto.objects.count() == 2
    assert messaging_tick() == 0
