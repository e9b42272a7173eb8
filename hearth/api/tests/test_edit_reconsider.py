"""PUT /api/v1/statuses/:id meets the reconsider prompt as POST does, and as the web's edit page.

Only a changed text is judged; a reply in a support thread is judged
carefully; friends' banter does not prompt. `hearth_confirmed=true` saves
the edit anyway and records the choice on the prompt.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.kindness.models import Prompt
from hearth.posts.models import Post
from hearth.posts.tests.factories import publish
from hearth.posts.tests.test_reconsider import BANTER, make_friends

pytestmark = pytest.mark.django_db

HURTFUL = "you are a pathetic idiot and nobody wants you here"
KIND = "I see it differently, but I'm glad you finished it."
ORIGINAL = "Lovely painting, well done!"


def _edit(client: ApiClient, post: Post, text: str, **extra: Any) -> Any:
    return client.put_json(f"/api/v1/statuses/{post.pk}", {"status": text, **extra})


def test_a_kind_edit_is_saved_without_a_prompt() -> None:
    alice = UserFactory()
    post = publish(alice, ORIGINAL)
    response = _edit(ApiClient(issue_token(alice)), post, KIND)
    assert response.status_code == 200, response.content
    assert Post.objects.get(pk=post.pk).text == KIND
    assert not Prompt.objects.exists()


def test_a_hurtful_edit_is_422_then_saved_when_confirmed() -> None:
    author, replier = UserFactory(), UserFactory()
    original = publish(author, "I finally finished my first painting!")
    post = publish(replier, ORIGINAL, in_reply_to=original)
    client = ApiClient(issue_token(replier))
    prompted = _edit(client, post, HURTFUL)
    assert prompted.status_code == 422, prompted.content
    body = prompted.json()
    assert body["error"]
    assert body["hearth_reconsider"]["prompt_id"]
    assert body["hearth_reconsider"]["reasons"]
    post.refresh_from_db()
    assert (post.text, post.edited_at) == (ORIGINAL, None)
    assert not post.edits.exists()
    prompt = Prompt.objects.get()
    # Judged as a reply in its thread, as the web's edit page does.
    assert (prompt.context, prompt.thread_root_id) == ("reply", post.thread_root_id)
    assert prompt.outcome == Prompt.Outcome.PENDING

    sent = _edit(
        client,
        post,
        HURTFUL,
        hearth_confirmed="true",
        hearth_prompt_id=body["hearth_reconsider"]["prompt_id"],
    )
    assert sent.status_code == 200, sent.content
    post.refresh_from_db()
    assert post.text == HURTFUL
    assert post.edits.count() == 1
    prompt.refresh_from_db()
    assert prompt.outcome == Prompt.Outcome.SENT_ANYWAY
    assert Prompt.objects.count() == 1


def test_an_edit_that_keeps_the_text_is_not_judged_again() -> None:
    alice = UserFactory()
    post = publish(alice, HURTFUL)  # sent anyway earlier
    client = ApiClient(issue_token(alice))
    response = _edit(client, post, HURTFUL, spoiler_text="harsh words")
    assert response.status_code == 200, response.content
    assert response.json()["spoiler_text"] == "harsh words"
    assert not Prompt.objects.exists()
    # A form-encoded edit, as some clients send, is judged the same way.
    changed = client.put(
        f"/api/v1/statuses/{post.pk}",
        f"status={HURTFUL.replace(' ', '+')}+again",
        content_type="application/x-www-form-urlencoded",
    )
    assert changed.status_code == 422
    assert Prompt.objects.get().context == "post"


def test_replies_in_a_support_thread_are_judged_carefully_on_create_and_edit() -> None:
    author, replier = UserFactory(), UserFactory()
    original = publish(
        author, "Having a really rough week, could use some support.", tone="support"
    )
    client = ApiClient(issue_token(replier))
    created = client.post_json(
        "/api/v1/statuses", {"status": HURTFUL, "in_reply_to_id": str(original.pk)}
    )
    assert created.status_code == 422
    assert Prompt.objects.get().context == "support"
    post = publish(replier, ORIGINAL, in_reply_to=original)
    edited = _edit(client, post, HURTFUL)
    assert edited.status_code == 422
    assert list(Prompt.objects.values_list("context", flat=True)) == ["support", "support"]
    assert Post.objects.get(pk=post.pk).text == ORIGINAL


def test_friends_banter_is_not_prompted_when_edited_a_strangers_is() -> None:
    a, b, stranger = UserFactory(), UserFactory(), UserFactory()
    make_friends(a, b)
    original = publish(b, "I beat you at chess again")
    mine = publish(a, "well played", in_reply_to=original)
    friendly = _edit(ApiClient(issue_token(a)), mine, BANTER)
    assert friendly.status_code == 200, friendly.content
    assert not Prompt.objects.exists()
    theirs = publish(stranger, "well played", in_reply_to=original)
    prompted = _edit(ApiClient(issue_token(stranger)), theirs, BANTER)
    assert prompted.status_code == 422
    assert Post.objects.get(pk=theirs.pk).text == "well played"
