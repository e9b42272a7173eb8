"""Following, follow requests, blocking, muting, the close circle, counts and email privacy,
as the people involved see them in their browser."""

from __future__ import annotations

import pytest

from hearth.accounts.models import Follow
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.core.testing import page_ok as page
from hearth.core.testing import page_text as text
from hearth.posts.models import Audience
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def home_text(client) -> str:
    """Everything reachable from the home feed: what is new and, behind the click, what is older."""
    return page(client, "/home") + page(client, "/home?older=1")


# --- following -----------------------------------------------------------------


def test_following_an_open_account_starts_at_once(client_for):
    alice, bob = UserFactory(), UserFactory()
    publish(alice, "Followers-only garden news", audience=Audience.FOLLOWERS)
    bob_client = client_for(bob)

    assert "Followers-only garden news" not in page(bob_client, f"/@{alice.username}")
    response = bob_client.post(f"/@{alice.username}/follow")
    assert response.status_code == 302

    profile = page(bob_client, f"/@{alice.username}")
    assert "Unfollow" in profile
    assert "Followers-only garden news" in profile
    # Her recent posts are brought into his feed, and she is told.
    assert "Followers-only garden news" in home_text(bob_client)
    assert "followed you" in page(client_for(alice), "/notifications")


def test_following_a_locked_account_asks_first(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    publish(alice, "Only for people I approved", audience=Audience.FOLLOWERS)
    bob_client = client_for(bob)

    profile = page(bob_client, f"/@{alice.username}")
    assert "Ask to follow" in profile
    bob_client.post(f"/@{alice.username}/follow")

    profile = page(bob_client, f"/@{alice.username}")
    assert "Withdraw follow request" in profile
    assert "Only for people I approved" not in profile
    assert "Only for people I approved" not in home_text(bob_client)

    alice_client = client_for(alice)
    assert "asked to follow you" in page(alice_client, "/notifications")
    assert f"@{bob.username}" in page(alice_client, "/follow-requests")


def test_accepting_a_follow_request_opens_followers_posts(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    publish(alice, "Only for people I approved", audience=Audience.FOLLOWERS)
    follow(bob, alice)

    alice_client = client_for(alice)
    response = alice_client.post(
        "/follow-requests", {"follower": bob.pk, "decision": "accept"}, follow=True
    )
    assert "Request accepted." in text(response)
    assert "No one is waiting for an answer." in page(alice_client, "/follow-requests")

    bob_client = client_for(bob)
    profile = page(bob_client, f"/@{alice.username}")
    assert "Unfollow" in profile
    assert "Only for people I approved" in profile
    assert "Only for people I approved" in home_text(bob_client)
    assert "accepted your follow request" in page(bob_client, "/notifications")


def test_declining_a_follow_request_keeps_posts_closed(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    publish(alice, "Only for people I approved", audience=Audience.FOLLOWERS)
    follow(bob, alice)

    alice_client = client_for(alice)
    response = alice_client.post(
        "/follow-requests", {"follower": bob.pk, "decision": "reject"}, follow=True
    )
    assert "Request declined." in text(response)
    assert "No one is waiting for an answer." in page(alice_client, "/follow-requests")

    bob_client = client_for(bob)
    profile = page(bob_client, f"/@{alice.username}")
    assert "Ask to follow" in profile
    assert "Only for people I approved" not in profile
    # He is not told he was declined.
    assert "declined" not in page(bob_client, "/notifications").lower()


def test_answering_a_request_that_does_not_exist_is_not_found(client_for):
    alice, bob = UserFactory(locked=True), UserFactory()
    response = client_for(alice).post(
        "/follow-requests", {"follower": bob.pk, "decision": "accept"}
    )
    assert response.status_code == 404


def test_unfollowing_removes_their_posts_from_home(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    publish(alice, "A public note from Alice")
    publish(alice, "A followers note from Alice", audience=Audience.FOLLOWERS)
    bob_client = client_for(bob)
    feed = page(bob_client, "/home")
    assert "A public note from Alice" in feed
    assert "A followers note from Alice" in feed

    bob_client.post(f"/@{alice.username}/unfollow")

    feed = home_text(bob_client)
    assert "A public note from Alice" not in feed
    assert "A followers note from Alice" not in feed
    profile = page(bob_client, f"/@{alice.username}")
    assert "Follow" in profile
    assert "A public note from Alice" in profile
    assert "A followers note from Alice" not in profile


def test_following_yourself_is_refused(client_for):
    alice = UserFactory()
    response = client_for(alice).post(f"/@{alice.username}/follow", follow=True)
    assert "You can't do that to yourself." in text(response)
    assert not Follow.objects.filter(follower=alice).exists()


def test_following_someone_unknown_is_not_found(client_for):
    response = client_for(UserFactory()).post("/@nobody_here/follow")
    assert response.status_code == 404


# --- blocking ------------------------------------------------------------------


def test_block_removes_follows_both_ways(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(alice, bob)
    follow(bob, alice)

    response = client_for(alice).post(f"/@{bob.username}/block", follow=True)
    assert f"You blocked @{bob.username}" in text(response)

    assert not Follow.objects.filter(follower=alice, followee=bob).exists()
    assert not Follow.objects.filter(follower=bob, followee=alice).exists()
    alice_view = page(client_for(alice), f"/@{bob.username}")
    assert f"You blocked @{bob.username}" in alice_view
    assert "Unfollow" not in alice_view
    assert f"@{bob.username}" in page(client_for(alice), "/settings/people")


def test_block_hides_posts_both_ways(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(alice, bob)
    follow(bob, alice)
    alices = publish(alice, "Alice's public thought")
    bobs = publish(bob, "Bob's public thought")
    alice_client, bob_client = client_for(alice), client_for(bob)

    alice_client.post(f"/@{bob.username}/block")

    # Bob, the blocked one, sees nothing of Alice: no bio, no posts, no post page.
    bob_view = page(bob_client, f"/@{alice.username}")
    assert "This profile isn't available to you." in bob_view
    assert "Alice's public thought" not in bob_view
    assert bob_client.get(alices.get_absolute_url()).status_code == 404
    assert "Alice's public thought" not in home_text(bob_client)

    # Alice no longer sees Bob's posts either.
    assert "Bob's public thought" not in page(alice_client, f"/@{bob.username}")
    assert alice_client.get(bobs.get_absolute_url()).status_code == 404
    assert "Bob's public thought" not in home_text(alice_client)


def test_blocked_person_sees_no_profile_content(client_for):
    alice = UserFactory(
        bio="Gardener and night owl", story="The long story of my year", pronouns="she/her"
    )
    bob = UserFactory()
    client_for(alice).post(f"/@{bob.username}/block")

    bob_view = page(client_for(bob), f"/@{alice.username}")
    for private in ("Gardener and night owl", "The long story of my year", "she/her"):
        assert private not in bob_view
    # No follow button either: there is nothing he can do about it from here.
    assert f"/@{alice.username}/follow" not in bob_view


def test_blocked_person_cannot_follow(client_for):
    alice, bob = UserFactory(), UserFactory()
    client_for(alice).post(f"/@{bob.username}/block")

    response = client_for(bob).post(f"/@{alice.username}/follow", follow=True)
    assert "That isn't possible with this person." in text(response)
    assert not Follow.objects.filter(follower=bob, followee=alice).exists()
    # And the blocker can't follow while the block stands either.
    client_for(alice).post(f"/@{bob.username}/follow")
    assert not Follow.objects.filter(follower=alice, followee=bob).exists()


def test_blocked_person_cannot_reply(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Thinking out loud")
    client_for(alice).post(f"/@{bob.username}/block")

    bob_client = client_for(bob)
    assert bob_client.get(f"/posts/new?in_reply_to={post.pk}").status_code == 404
    response = bob_client.post("/posts/new", {"text": "Let me in", "in_reply_to": post.pk})
    assert response.status_code == 404
    assert "Let me in" not in page(client_for(alice), post.get_absolute_url())


def test_blocker_cannot_reply_to_the_blocked_either(client_for):
    alice, bob = UserFactory(), UserFactory()
    bobs = publish(bob, "Bob's thoughts")
    client_for(alice).post(f"/@{bob.username}/block")
    response = client_for(alice).post("/posts/new", {"text": "hm", "in_reply_to": bobs.pk})
    assert response.status_code == 404


def test_blocked_person_mentioning_the_blocker_is_not_a_link_and_not_notified(client_for):
    alice, bob = UserFactory(), UserFactory()
    client_for(alice).post(f"/@{bob.username}/block")
    post = publish(bob, f"hey @{alice.username} look")
    html = page(client_for(bob), post.get_absolute_url())
    assert f'href="/@{alice.username}"' not in html.split("post__body", 1)[1].split("</div>", 1)[0]
    assert "mentioned you" not in page(client_for(alice), "/notifications")


def test_unblocking_lets_them_see_again_but_does_not_restore_follows(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    publish(alice, "Visible again")
    alice_client = client_for(alice)
    alice_client.post(f"/@{bob.username}/block")
    alice_client.post(f"/@{bob.username}/unblock")

    bob_view = page(client_for(bob), f"/@{alice.username}")
    assert "Visible again" in bob_view
    assert "Unfollow" not in bob_view


# --- muting --------------------------------------------------------------------


def test_mute_hides_posts_from_home_silently(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    publish(alice, "Alice posts a lot")
    bob_client = client_for(bob)

    response = bob_client.post(f"/@{alice.username}/mute", follow=True)
    assert "they are not told" in text(response)

    assert "Alice posts a lot" not in home_text(bob_client)
    publish(alice, "And another one")
    assert "And another one" not in home_text(client_for(bob))
    # The profile still shows her posts to him, and he still follows her.
    profile = page(bob_client, f"/@{alice.username}")
    assert "Alice posts a lot" in profile
    assert "And another one" in profile
    assert "Unfollow" in profile
    assert ">Muted<" in profile
    # Alice is not told, and sees nothing different on his profile or hers.
    alice_client = client_for(alice)
    assert "muted you" not in page(alice_client, "/notifications")
    assert "Muted" not in page(alice_client, f"/@{bob.username}")


def test_unmute_brings_posts_back(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    bob_client = client_for(bob)
    bob_client.post(f"/@{alice.username}/mute")
    publish(alice, "Back in the feed")
    bob_client.post(f"/@{alice.username}/unmute")
    assert "Back in the feed" in home_text(client_for(bob))


def test_muted_person_cannot_notify(client_for):
    alice, bob = UserFactory(), UserFactory()
    client_for(alice).post(f"/@{bob.username}/mute")
    publish(bob, f"hi @{alice.username}")
    assert "mentioned you" not in page(client_for(alice), "/notifications")


# --- close circle ----------------------------------------------------------------


def test_close_circle_add_and_remove(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    publish(alice, "For my circle only", audience=Audience.CIRCLE)
    alice_client, bob_client = client_for(alice), client_for(bob)
    assert "For my circle only" not in page(bob_client, f"/@{alice.username}")

    response = alice_client.post("/settings/circle", {"username": bob.username}, follow=True)
    html = text(response)
    assert f"@{bob.username} is now in your close circle." in html
    assert f"@{bob.username}" in html.split("In your circle", 1)[1]
    assert "For my circle only" in page(bob_client, f"/@{alice.username}")
    publish(alice, "Circle news after joining", audience=Audience.CIRCLE)
    assert "Circle news after joining" in home_text(client_for(bob))

    response = alice_client.post(
        "/settings/circle", {"username": bob.username, "remove": "1"}, follow=True
    )
    assert f"@{bob.username} is no longer in your close circle." in text(response)
    assert "Nobody yet." in page(alice_client, "/settings/circle")
    assert "For my circle only" not in page(client_for(bob), f"/@{alice.username}")
    assert "Circle news after joining" not in home_text(client_for(bob))


def test_close_circle_add_unknown_person_says_so(client_for):
    alice = UserFactory()
    response = client_for(alice).post("/settings/circle", {"username": "@nobody_here"}, follow=True)
    assert "There is nobody called @nobody_here here." in text(response)


def test_close_circle_is_never_shown_to_its_members(client_for):
    alice, bob = UserFactory(), UserFactory()
    client_for(alice).post("/settings/circle", {"username": bob.username})
    bob_client = client_for(bob)
    assert "circle" not in page(bob_client, f"/@{alice.username}").lower()
    assert "circle" not in page(bob_client, "/notifications").split("<main", 1)[1].lower()


# --- counts --------------------------------------------------------------------


def test_counts_are_shown_to_their_owner_only_by_default(client_for):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    follow(carol, alice)

    own = page(client_for(alice), f"/@{alice.username}")
    assert "2 followers" in own
    assert "0 following" in own
    assert "Only you see your counts." in own

    for viewer in (bob, None):
        other = page(client_for(viewer), f"/@{alice.username}")
        assert "2 followers" not in other
        assert "following</a>" not in other
        assert client_for(viewer).get(f"/@{alice.username}/followers").status_code == 404
        assert client_for(viewer).get(f"/@{alice.username}/following").status_code == 404
    assert client_for(alice).get(f"/@{alice.username}/followers").status_code == 200


def test_show_counts_setting_shares_them(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    alice_client = client_for(alice)
    response = alice_client.post(
        "/settings/account", {"email": alice.email, "show_counts": "on"}, follow=True
    )
    assert response.status_code == 200

    for viewer in (bob, None):
        other = page(client_for(viewer), f"/@{alice.username}")
        assert "1 follower" in other
        followers = page(client_for(viewer), f"/@{alice.username}/followers")
        assert f"@{bob.username}" in followers


def test_counts_never_shown_to_a_blocked_person_even_if_shared(client_for):
    alice, bob = UserFactory(show_counts=True), UserFactory()
    client_for(alice).post(f"/@{bob.username}/block")
    assert client_for(bob).get(f"/@{alice.username}/followers").status_code == 404
    assert "follower" not in page(client_for(bob), f"/@{alice.username}").split("<main", 1)[1]


# --- email privacy ---------------------------------------------------------------


def test_email_is_never_shown_to_others(client_for):
    alice = UserFactory(email="alice.private@example.net", show_counts=True)
    bob = UserFactory(email="bob.private@example.net")
    follow(bob, alice)
    follow(alice, bob)
    post = publish(alice, f"hello @{bob.username} #gardening")
    reply = publish(bob, f"@{alice.username} hi back", in_reply_to=post)
    client_for(bob).post(f"{post.get_absolute_url()}/react", {"kind": "love"})

    urls = [
        f"/@{alice.username}",
        f"/@{alice.username}/followers",
        f"/@{alice.username}/following",
        f"/@{bob.username}/followers",
        post.get_absolute_url(),
        reply.get_absolute_url(),
        f"{post.get_absolute_url()}/history",
        "/tags/gardening",
    ]
    for viewer in (bob, UserFactory(), None):
        c = client_for(viewer)
        for url in urls:
            response = c.get(url)
            assert "alice.private" not in text(response), (viewer, url)
    bob_client = client_for(bob)
    for url in ["/home", "/home?older=1", "/notifications", "/follow-requests"]:
        assert "alice.private" not in page(bob_client, url), url
    alice_client = client_for(alice)
    for url in ["/home", "/notifications", f"/@{bob.username}", reply.get_absolute_url()]:
        assert "bob.private" not in page(alice_client, url), url

    # The owner does see it, in their own settings.
    assert "alice.private@example.net" in page(alice_client, "/settings/account")
