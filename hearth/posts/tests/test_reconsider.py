"""The reconsider prompt in the composer: nothing is blocked, nothing is lost."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.core.testing import page_text
from hearth.kindness.models import Prompt, PromptFeedback
from hearth.posts.models import Media, Post
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

HURTFUL = "you are a pathetic idiot and nobody wants you here"
KIND = "That sounds like a hard week. I'm around if you want to talk."


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def pair(client_for):
    author, replier = UserFactory(), UserFactory()
    original = publish(author, "I finally finished my first painting!")
    return original, replier, client_for(replier)


def reply(client, original, text, **extra):
    data = {"text": text, "audience": "public", "tone": "", "in_reply_to": original.pk, **extra}
    return client.post("/posts/new", data)


def test_a_kind_reply_is_published_without_a_prompt(pair):
    original, replier, client = pair
    response = reply(client, original, KIND)
    assert response.status_code == 302
    assert Post.objects.filter(author=replier, text=KIND).exists()
    assert not Prompt.objects.exists()


def test_a_hurtful_reply_gets_the_prompt_and_is_not_published(pair):
    original, replier, client = pair
    response = reply(client, original, HURTFUL)
    html = page_text(response)
    assert response.status_code == 200
    assert "Before you send this" in html
    assert HURTFUL in html
    for choice in ("Edit it", "Send anyway", "Don't send"):
        assert choice in html
    assert not Post.objects.filter(author=replier, in_reply_to=original).exists()
    assert Prompt.objects.get().outcome == Prompt.Outcome.PENDING


def test_send_anyway_publishes_and_records_the_choice(pair):
    original, replier, client = pair
    reply(client, original, HURTFUL)
    prompt = Prompt.objects.get()
    response = reply(client, original, HURTFUL, reconsider="send", prompt=prompt.pk)
    assert response.status_code == 302
    assert Post.objects.filter(author=replier, in_reply_to=original, text=HURTFUL).exists()
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.SENT_ANYWAY


def test_edit_returns_the_composer_with_the_text_intact(pair):
    original, replier, client = pair
    reply(client, original, HURTFUL)
    prompt = Prompt.objects.get()
    response = reply(client, original, HURTFUL, reconsider="edit", prompt=prompt.pk)
    html = page_text(response)
    assert response.status_code == 200
    assert f">{HURTFUL}</textarea>" in html
    assert not Post.objects.filter(author=replier).exists()
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.EDITED


def test_an_edited_kind_version_is_published(pair):
    original, replier, client = pair
    reply(client, original, HURTFUL)
    prompt = Prompt.objects.get()
    reply(client, original, HURTFUL, reconsider="edit", prompt=prompt.pk)
    response = reply(client, original, "I see it differently, but I'm glad you finished it.")
    assert response.status_code == 302
    assert Post.objects.filter(author=replier, in_reply_to=original).count() == 1


def test_cancel_sends_nothing(pair):
    original, replier, client = pair
    reply(client, original, HURTFUL)
    prompt = Prompt.objects.get()
    response = reply(client, original, HURTFUL, reconsider="cancel", prompt=prompt.pk)
    assert response.status_code == 302
    assert not Post.objects.filter(author=replier).exists()
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.CANCELLED


def test_photos_survive_the_prompt(pair):
    original, replier, client = pair
    response = reply(client, original, HURTFUL, media_1=jpeg(), alt_1="A blue square")
    assert "1 photo attached" in page_text(response)
    staged = Media.objects.get(owner=replier)
    assert staged.post_id is None
    prompt = Prompt.objects.get()
    reply(client, original, HURTFUL, reconsider="send", prompt=prompt.pk, staged=staged.pk)
    post = Post.objects.get(author=replier)
    assert [(m.pk, m.alt) for m in post.media.all()] == [(staged.pk, "A blue square")]


def test_cancel_discards_the_photos_it_kept(pair):
    original, replier, client = pair
    reply(client, original, HURTFUL, media_1=jpeg())
    staged = Media.objects.get(owner=replier)
    reply(
        client,
        original,
        HURTFUL,
        reconsider="cancel",
        prompt=Prompt.objects.get().pk,
        staged=staged.pk,
    )
    assert not Media.objects.filter(pk=staged.pk).exists()


def test_someone_elses_prompt_or_photos_cannot_be_used(pair, client_for):
    original, replier, client = pair
    reply(client, original, HURTFUL, media_1=jpeg())
    prompt, staged = Prompt.objects.get(), Media.objects.get(owner=replier)
    intruder = client_for(UserFactory())
    response = reply(intruder, original, HURTFUL, reconsider="send", prompt=prompt.pk)
    assert response.status_code == 404
    # Another person's staged photo id is ignored, never attached.
    response = reply(intruder, original, KIND, staged=staged.pk)
    assert response.status_code == 302
    assert Media.objects.get(pk=staged.pk).post_id is None


def test_this_was_wrong_is_kept_for_retraining(pair):
    original, _replier, client = pair
    reply(client, original, HURTFUL)
    prompt = Prompt.objects.get()
    reply(
        client,
        original,
        HURTFUL,
        reconsider="send",
        prompt=prompt.pk,
        wrong="1",
        wrong_note="quoting a film",
    )
    feedback = PromptFeedback.objects.get(prompt=prompt)
    assert feedback.text == HURTFUL
    assert feedback.note == "quoting a film"


def test_marking_it_as_a_joke_still_prompts_and_the_page_says_so(pair):
    original, _replier, client = pair
    response = reply(client, original, HURTFUL, tone="joking")
    html = page_text(response)
    assert "Before you send this" in html
    assert "You marked this as" in html and "joking" in html


def make_friends(a, b):
    with committed():
        follow_create(follower=a, followee=b)
        follow_create(follower=b, followee=a)
    publish(b, "banter incoming", in_reply_to=publish(a, "morning!"))
    return publish(a, "guess who won the pub quiz", in_reply_to=publish(b, "quiz tonight?"))


BANTER = "you smug bastard, enjoy it while it lasts"


def test_profanity_between_friends_is_banter(client_for):
    a, b = UserFactory(), UserFactory()
    make_friends(a, b)
    original = publish(b, "I beat you at chess again")
    response = reply(client_for(a), original, BANTER)
    assert response.status_code == 302
    assert not Prompt.objects.exists()


def test_the_same_words_from_a_stranger_prompt(client_for):
    b = UserFactory()
    original = publish(b, "I beat you at chess again")
    response = reply(client_for(UserFactory()), original, BANTER)
    assert "Before you send this" in page_text(response)


def test_a_threat_between_friends_still_prompts(client_for):
    a, b = UserFactory(), UserFactory()
    make_friends(a, b)
    original = publish(b, "I beat you at chess again")
    response = reply(client_for(a), original, "I will find where you live and hurt you")
    assert "Before you send this" in page_text(response)
