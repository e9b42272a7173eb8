"""Editing a post or reply meets the same reconsider prompt as writing one."""

from __future__ import annotations

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.core.testing import page_text
from hearth.kindness.models import Prompt, PromptFeedback
from hearth.posts.models import Post
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

HURTFUL = "you are a pathetic idiot and nobody wants you here"
KIND = "I see it differently, but I'm glad you finished it."
ORIGINAL = "Lovely painting, well done!"


@pytest.fixture
def reply_and_client(client_for):
    author, replier = UserFactory(), UserFactory()
    original = publish(author, "I finally finished my first painting!")
    post = publish(replier, ORIGINAL, in_reply_to=original)
    return post, client_for(replier)


def edit(client, post, text, **extra):
    data = {"text": text, "content_warning": "", "tone": "", **extra}
    return client.post(f"/@{post.author.username}/{post.pk}/edit", data)


def test_a_kind_edit_is_saved_without_a_prompt(reply_and_client):
    post, client = reply_and_client
    response = edit(client, post, KIND)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == KIND
    assert not Prompt.objects.exists()


def test_a_hurtful_edit_gets_the_prompt_and_is_not_saved(reply_and_client):
    post, client = reply_and_client
    response = edit(client, post, HURTFUL)
    html = page_text(response)
    assert response.status_code == 200
    assert "Before you save this edit" in html
    assert HURTFUL in html
    for choice in ("Edit it", "Save anyway", "Keep the earlier version"):
        assert choice in html
    # The page's buttons come back to the edit page, not the composer.
    assert f'action="/@{post.author.username}/{post.pk}/edit"' in response.content.decode()
    post.refresh_from_db()
    assert post.text == ORIGINAL
    assert post.edited_at is None
    prompt = Prompt.objects.get()
    assert prompt.outcome == Prompt.Outcome.PENDING
    # Judged as a reply, in its thread, like a new reply would be.
    assert prompt.context == "reply"
    assert prompt.thread_root_id == post.thread_root_id


def test_save_anyway_saves_and_records_the_choice(reply_and_client):
    post, client = reply_and_client
    edit(client, post, HURTFUL)
    prompt = Prompt.objects.get()
    response = edit(client, post, HURTFUL, reconsider="send", prompt=prompt.pk)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == HURTFUL
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.SENT_ANYWAY
    assert Prompt.objects.count() == 1


def test_edit_it_returns_the_edit_page_with_the_text_intact(reply_and_client):
    post, client = reply_and_client
    edit(client, post, HURTFUL)
    prompt = Prompt.objects.get()
    response = edit(client, post, HURTFUL, reconsider="edit", prompt=prompt.pk)
    assert response.status_code == 200
    assert f"{HURTFUL}</textarea>" in page_text(response)
    post.refresh_from_db()
    assert post.text == ORIGINAL
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.EDITED
    assert edit(client, post, KIND).status_code == 302
    post.refresh_from_db()
    assert post.text == KIND


def test_keeping_the_earlier_version_changes_nothing(reply_and_client):
    post, client = reply_and_client
    edit(client, post, HURTFUL)
    prompt = Prompt.objects.get()
    response = edit(client, post, HURTFUL, reconsider="cancel", prompt=prompt.pk)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == ORIGINAL
    assert post.edited_at is None
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.CANCELLED


def test_this_was_wrong_is_kept_for_retraining(reply_and_client):
    post, client = reply_and_client
    edit(client, post, HURTFUL)
    prompt = Prompt.objects.get()
    edit(
        client, post, HURTFUL, reconsider="send", prompt=prompt.pk, wrong="1", wrong_note="a quote"
    )
    feedback = PromptFeedback.objects.get(prompt=prompt)
    assert feedback.text == HURTFUL
    assert feedback.note == "a quote"


def test_someone_elses_prompt_cannot_be_used(reply_and_client, client_for):
    post, client = reply_and_client
    edit(client, post, HURTFUL)
    prompt = Prompt.objects.get()
    intruder = UserFactory()
    own = publish(intruder, ORIGINAL)
    response = edit(client_for(intruder), own, HURTFUL, reconsider="send", prompt=prompt.pk)
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.text == ORIGINAL


def test_a_changed_content_warning_alone_is_not_judged_again(client_for):
    alice = UserFactory()
    post = publish(alice, HURTFUL)
    client = client_for(alice)
    response = edit(client, post, HURTFUL, content_warning="rant")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.content_warning == "rant"
    assert not Prompt.objects.exists()


def test_an_edited_post_is_judged_as_a_post(client_for):
    alice = UserFactory()
    post = publish(alice, ORIGINAL)
    edit(client_for(alice), post, HURTFUL)
    prompt = Prompt.objects.get()
    assert prompt.context == "post"
    assert prompt.thread_root_id is None
    assert Post.objects.get(pk=post.pk).text == ORIGINAL


def test_an_edited_reply_in_a_support_thread_is_judged_carefully(client_for):
    author, replier = UserFactory(), UserFactory()
    original = publish(
        author, "Having a really rough week, could use some support.", tone="support"
    )
    post = publish(replier, ORIGINAL, in_reply_to=original)
    edit(client_for(replier), post, HURTFUL)
    assert Prompt.objects.get().context == "support"
