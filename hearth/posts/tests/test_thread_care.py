"""Calm threads: read before replying, warmer replies, cool-down, reply rules and slow mode."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.core.testing import page_text
from hearth.kindness.models import Prompt
from hearth.posts.models import Post, ReplyPolicy
from hearth.posts.services import PostError, post_create
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def reply(client, parent, text, **extra):
    data = {"text": text, "audience": "public", "tone": "", "in_reply_to": parent.pk, **extra}
    return client.post("/posts/new", data)


# --- Read before replying ---------------------------------------------------------


def test_a_venting_post_in_the_feed_asks_to_be_opened_before_responding(client_for):
    author, reader = UserFactory(), UserFactory()
    with committed():
        follow_create(follower=reader, followee=author)
    post = publish(author, "Worst day at work in years.", tone="venting")
    home = page_text(client_for(reader).get("/home"))
    assert "Open the post to respond" in home
    assert f'action="/@{author.username}/{post.pk}/react"' not in home
    page = page_text(client_for(reader).get(post.get_absolute_url()))
    assert f'action="/@{author.username}/{post.pk}/react"' in page
    assert 'id="reply"' in page


def test_the_reply_box_of_a_post_behind_a_content_warning_opens_after_it(client_for):
    author = UserFactory()
    post = publish(author, "My dog died this morning.", content_warning="pet loss")
    page = page_text(client_for(UserFactory()).get(post.get_absolute_url()))
    assert "Read the post above, then reply" in page


# --- Meaningful replies ---------------------------------------------------------------


def test_a_one_word_reply_to_someone_venting_gets_warmer_suggestions(client_for):
    post = publish(UserFactory(), "I didn't get the job. Again.", tone="venting")
    client = client_for(UserFactory())
    response = reply(client, post, "same")
    html = page_text(response)
    assert "A few more words?" in html
    assert "That sounds really hard." in html
    assert not Post.objects.filter(in_reply_to=post).exists()


def test_picking_a_suggestion_returns_the_composer_with_it(client_for):
    post = publish(UserFactory(), "I didn't get the job. Again.", tone="venting")
    suggestion = "That sounds really hard. I'm sorry you're dealing with this."
    response = reply(client_for(UserFactory()), post, "same", suggestion=suggestion)
    assert f">{suggestion}</textarea>" in page_text(response)
    assert not Post.objects.filter(in_reply_to=post).exists()


def test_the_short_reply_can_still_be_sent_as_it_is(client_for):
    post = publish(UserFactory(), "Rough night, couldn't sleep.", tone="support")
    response = reply(client_for(UserFactory()), post, "same", as_is="1")
    assert response.status_code == 302
    assert Post.objects.filter(in_reply_to=post, text="same").exists()


def test_short_replies_elsewhere_are_not_questioned(client_for):
    post = publish(UserFactory(), "Who's up for the park on Sunday?")
    response = reply(client_for(UserFactory()), post, "same")
    assert response.status_code == 302


# --- Thread cool-down -----------------------------------------------------------------


def test_a_heated_thread_shows_a_reminder_to_everyone_replying(client_for):
    root = publish(UserFactory(), "Unpopular opinion: pineapple belongs on pizza.")
    for _ in range(2):
        Prompt.objects.create(
            score=0.9,
            thread_root_id=root.pk,
            outcome=Prompt.Outcome.SENT_ANYWAY,
            decided_at=timezone.now() - timedelta(minutes=10),
        )
    page = page_text(client_for(UserFactory()).get(root.get_absolute_url()))
    assert "This conversation has been getting heated" in page


def test_an_old_heated_moment_has_cooled_down(client_for):
    root = publish(UserFactory(), "Unpopular opinion: pineapple belongs on pizza.")
    for _ in range(2):
        Prompt.objects.create(
            score=0.9,
            thread_root_id=root.pk,
            outcome=Prompt.Outcome.SENT_ANYWAY,
            decided_at=timezone.now() - timedelta(hours=2),
        )
    page = page_text(client_for(UserFactory()).get(root.get_absolute_url()))
    assert "getting heated" not in page


# --- Reply rules and slow mode ---------------------------------------------------


def set_rules(client, post, policy, slow=0):
    return client.post(
        f"/@{post.author.username}/{post.pk}/replies",
        {"reply_policy": policy, "slow_mode_minutes": slow},
    )


def test_nobody_can_reply_but_the_author(client_for):
    author, other = UserFactory(), UserFactory()
    root = publish(author, "Just sharing, no replies needed.")
    set_rules(client_for(author), root, ReplyPolicy.NOBODY)
    page = page_text(client_for(other).get(root.get_absolute_url()))
    assert "has turned off replies" in page
    response = reply(client_for(other), root, "lovely!")
    assert response.status_code == 400
    assert "has turned off replies" in page_text(response)
    # Every path that creates a reply goes through the service.
    with pytest.raises(PostError):
        post_create(author=other, text="sneaky", in_reply_to=root)
    assert reply(client_for(author), root, "a note to self").status_code == 302


def test_only_people_the_author_follows_can_reply(client_for):
    author, friend, stranger = UserFactory(), UserFactory(), UserFactory()
    with committed():
        follow_create(follower=author, followee=friend)
    root = publish(author, "Friends, what should I cook tonight?")
    set_rules(client_for(author), root, ReplyPolicy.FOLLOWING)
    assert reply(client_for(friend), root, "Dal, always dal").status_code == 302
    assert reply(client_for(stranger), root, "Pasta!").status_code == 400
    # The rule holds deeper in the thread too.
    first = Post.objects.get(in_reply_to=root)
    assert reply(client_for(stranger), first, "Agreed!").status_code == 400


def test_only_mentioned_people_can_reply(client_for):
    author, named, other = UserFactory(), UserFactory(), UserFactory()
    root = publish(author, f"@{named.username} did you get home safe?")
    set_rules(client_for(author), root, ReplyPolicy.MENTIONED)
    assert reply(client_for(named), root, "Yes, thank you!").status_code == 302
    assert reply(client_for(other), root, "Hope so!").status_code == 400


def test_slow_mode_spaces_out_each_persons_replies(client_for):
    author, talker = UserFactory(), UserFactory()
    root = publish(author, "Let's talk about the new bike lanes.")
    set_rules(client_for(author), root, ReplyPolicy.EVERYONE, slow=15)
    client = client_for(talker)
    assert reply(client, root, "I love them.").status_code == 302
    second = reply(client, root, "Also the paint is so bright.")
    assert second.status_code == 400
    assert "slow mode" in page_text(second)
    assert "Also the paint is so bright." in page_text(second)  # the text is kept
    Post.objects.filter(author=talker).update(created_at=timezone.now() - timedelta(minutes=16))
    assert reply(client, root, "Also the paint is so bright.").status_code == 302


def test_only_the_author_sets_reply_rules(client_for):
    author, other = UserFactory(), UserFactory()
    root = publish(author, "A quiet post.")
    assert set_rules(client_for(other), root, ReplyPolicy.NOBODY).status_code == 404
    root.refresh_from_db()
    assert root.reply_policy == ReplyPolicy.EVERYONE
