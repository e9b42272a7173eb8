"""Communities end to end through their pages and services: what people notice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearth.accounts.tests.factories import UserFactory
from hearth.communities import services
from hearth.communities.models import Community, LogEntry, Membership, MentorRequest
from hearth.conftest import committed
from hearth.feeds.models import FeedEntry, Notification
from hearth.feeds.services import feed_fanout
from hearth.posts.models import Post
from hearth.posts.services import PostError, post_create

pytestmark = pytest.mark.django_db


def make(owner=None, **kwargs):
    owner = owner or UserFactory()
    fields = {
        "creator": owner,
        "name": "Grief after losing a parent",
        "slug": "grief-parents",
        "description": "A gentle place to talk about losing a mum or dad.",
        "who_for": "Anyone who lost a parent, recently or long ago.",
        "rules": ["Listen before advising", "No judgement"],
        **kwargs,
    }
    return services.community_create(**fields)


def join(place, user):
    with committed():
        return services.membership_join(community=place, user=user, accept_rules=True)


def test_create_page_keeps_text_and_explains_a_taken_or_reserved_address(client_for):
    owner = UserFactory()
    make(owner)
    client = client_for(owner)
    form = {
        "name": "Another",
        "slug": "Grief-Parents",
        "description": "Words I typed carefully",
        "who_for": "People",
        "kind": "support",
        "visibility": "public",
        "join_policy": "open",
        "rules": "Be kind",
    }
    page = client.post(reverse("community_create"), form)
    assert page.status_code == 400
    body = page.content.decode()
    assert "Another community already has that address." in body
    assert "Words I typed carefully" in body
    page = client.post(reverse("community_create"), {**form, "slug": "new"})
    assert "That address is reserved" in page.content.decode()
    page = client.post(reverse("community_create"), {**form, "slug": "ok-one", "rules": "  \n "})
    assert "Write at least one rule" in page.content.decode()
    page = client.post(reverse("community_create"), {**form, "slug": "ok-one", "name": "x" * 81})
    assert page.status_code == 400
    assert Community.objects.count() == 1


def test_create_makes_the_creator_owner_with_ordered_rules(client_for):
    owner = UserFactory()
    response = client_for(owner).post(
        reverse("community_create"),
        {
            "name": "Sourdough",
            "slug": "sourdough",
            "description": "Starters and crumb shots.",
            "who_for": "Bakers.",
            "topics": "Bread, #baking, bread",
            "kind": "interest",
            "visibility": "public",
            "join_policy": "open",
            "rules": "Share recipes\nBe kind to beginners",
        },
    )
    assert response.status_code == 302
    place = Community.objects.get(slug="sourdough")
    assert place.topic_list == ["bread", "baking"]
    assert [r.title for r in place.rules.all()] == ["Share recipes", "Be kind to beginners"]
    assert Membership.objects.get(community=place, user=owner).role == "owner"
    page = client_for(None).get("/c/SOURDOUGH").content.decode()
    assert "Share recipes" in client_for(None).get("/c/sourdough/about").content.decode()
    assert "Sourdough" in page


def test_joining_needs_the_rules_acknowledged_and_keeps_the_answer(client_for):
    place = make(join_policy=Community.JoinPolicy.APPROVAL, join_question="What brings you?")
    person = UserFactory()
    client = client_for(person)
    page = client.post(reverse("community_join", args=[place.slug]), {"answer": "My mum, in May"})
    body = page.content.decode()
    assert page.status_code == 400
    assert "tick the box" in body
    assert "My mum, in May" in body
    assert not Membership.objects.filter(user=person).exists()
    client.post(
        reverse("community_join", args=[place.slug]),
        {"answer": "My mum, in May", "accept_rules": "on"},
    )
    membership = Membership.objects.get(user=person)
    assert membership.state == "pending"
    assert membership.join_answer == "My mum, in May"


def test_invite_only_needs_the_code(client_for):
    place = make(join_policy=Community.JoinPolicy.INVITE)
    person = UserFactory()
    client = client_for(person)
    client.post(reverse("community_join", args=[place.slug]), {"accept_rules": "on"})
    assert not Membership.objects.filter(user=person).exists()
    client.post(
        reverse("community_invite", args=[place.slug, place.invite_code]), {"accept_rules": "on"}
    )
    assert Membership.objects.get(user=person).state == "active"


def test_approval_is_logged_once_and_the_person_is_told(client_for):
    owner = UserFactory()
    place = make(owner, join_policy=Community.JoinPolicy.APPROVAL)
    person = UserFactory()
    join(place, person)
    client = client_for(owner)
    url = reverse("community_request_decide", args=[place.slug, person.pk])
    client.post(url, {"decision": "approve"})
    client.post(url, {"decision": "approve"})  # a double click
    assert LogEntry.objects.filter(action="approve").count() == 1
    assert Membership.objects.get(user=person).state == "active"
    note = Notification.objects.get(recipient=person)
    assert note.kind == "join_approved"
    assert "approved" in client_for(person).get(reverse("notifications")).content.decode()


def test_a_removed_post_is_gone_for_others_and_its_author_is_told_why(client_for):
    owner = UserFactory()
    place = make(owner)
    author, reader = UserFactory(), UserFactory()
    join(place, author)
    join(place, reader)
    with committed():
        post = post_create(author=author, text="Buy my pills", community_id=place.pk)
    url = reverse("community_post_moderate", args=[place.slug, post.pk])
    client = client_for(owner)
    empty = client.post(url, {"action": "remove", "reason": "  "})
    assert "Give a reason" in empty.content.decode()
    client.post(url, {"action": "remove", "reason": "Selling is against rule 3"})
    client.post(url, {"action": "remove", "reason": "Selling is against rule 3"})
    assert LogEntry.objects.filter(action="remove_post").count() == 1
    assert client_for(reader).get(post.get_absolute_url()).status_code == 404
    mine = client_for(author).get(post.get_absolute_url()).content.decode()
    assert "Selling is against rule 3" in mine
    notes = client_for(author).get(reverse("notifications")).content.decode()
    assert "Selling is against rule 3" in notes
    log = client_for(None).get(reverse("community_log", args=[place.slug])).content.decode()
    assert "removed a post" in log


def test_community_posts_reach_members_home_feeds_by_their_choice():
    place = make()
    keen, quiet, follower = UserFactory(), UserFactory(), UserFactory()
    join(place, keen)
    join(place, quiet)
    services.home_feed_set(community=place, user=quiet, home_feed=False)
    from hearth.accounts.services import follow_create

    with committed():
        follow_create(follower=follower, followee=keen)
    with committed():
        post = post_create(author=keen, text="First loaf!", community_id=place.pk)
    owners = set(FeedEntry.objects.filter(post=post).values_list("owner_id", flat=True))
    assert keen.pk in owners
    assert quiet.pk not in owners
    # Followers who are not members do not get community posts at home.
    assert follower.pk not in owners
    # A reply stays in its thread: only its author has it at home.
    reply = post_create(author=quiet, text="Lovely crumb", in_reply_to=post)
    assert feed_fanout(post_id=reply.pk) == 1
    assert list(FeedEntry.objects.filter(post=reply).values_list("owner_id", flat=True)) == [
        quiet.pk
    ]


def test_a_locked_thread_takes_no_replies_and_a_ban_stops_everything():
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    thread = post_create(author=owner, text="Welcome thread", community_id=place.pk)
    services.thread_lock_set(community=place, moderator=owner, post=thread, locked=True)
    services.thread_lock_set(community=place, moderator=owner, post=thread, locked=True)
    assert LogEntry.objects.filter(action="lock_thread").count() == 1
    with pytest.raises(PostError, match="locked"):
        post_create(author=member, text="hi", in_reply_to=thread)
    services.member_ban(
        community=place, moderator=owner, user_id=member.pk, days=None, reason="Harassment"
    )
    with pytest.raises(PostError, match="banned"):
        post_create(author=member, text="new thread", community_id=place.pk)
    with pytest.raises(PermissionError):
        services.membership_join(community=place, user=member, accept_rules=True)
    entry = LogEntry.objects.get(action="ban")
    assert entry.for_good and entry.reason == "Harassment"


def test_restrictions_refuse_bad_durations_and_protect_the_owner():
    owner = UserFactory()
    place = make(owner)
    mod, member = UserFactory(), UserFactory()
    join(place, mod)
    join(place, member)
    services.role_set(community=place, actor=owner, user_id=mod.pk, role="moderator")
    with pytest.raises(services.CommunityError, match="3,650"):
        services.member_mute(community=place, moderator=mod, user_id=member.pk, days=0, reason="x")
    with pytest.raises(PermissionError):
        services.member_ban(community=place, moderator=mod, user_id=owner.pk, days=1, reason="x")
    with pytest.raises(services.CommunityError, match="not a member"):
        services.member_mute(
            community=place, moderator=mod, user_id=UserFactory().pk, days=1, reason="x"
        )
    assert not LogEntry.objects.filter(action__in=["mute", "ban"]).exists()


def test_ownership_hands_over_and_the_old_owner_stays_a_moderator():
    owner = UserFactory()
    place = make(owner)
    heir = UserFactory()
    join(place, heir)
    with pytest.raises(services.CommunityError):
        services.membership_leave(community=place, user=owner)
    services.ownership_transfer(community=place, actor=owner, user_id=heir.pk)
    assert Membership.objects.get(user=heir).role == "owner"
    assert Membership.objects.get(user=owner).role == "moderator"
    with pytest.raises(PermissionError):
        services.role_set(community=place, actor=owner, user_id=heir.pk, role="member")


def test_mentoring_matches_notifies_both_and_either_can_end(client_for):
    owner = UserFactory()
    place = make(owner)
    mentor, mentee, other_mentor = UserFactory(), UserFactory(), UserFactory()
    for person in (mentor, mentee, other_mentor):
        join(place, person)
    for person in (mentor, other_mentor):
        services.role_set(community=place, actor=owner, user_id=person.pk, role="mentor")
    page = client_for(mentee).post(
        reverse("community_mentoring", args=[place.slug]), {"topic": "", "hopes": "Company"}
    )
    assert "Say what you would like mentoring in." in page.content.decode()
    client_for(mentee).post(
        reverse("community_mentoring", args=[place.slug]),
        {"topic": "The first year", "hopes": "Someone who has been there"},
    )
    request = MentorRequest.objects.get()
    assert (
        "The first year"
        in client_for(mentor)
        .get(reverse("community_mentoring", args=[place.slug]))
        .content.decode()
    )
    client_for(mentor).post(reverse("community_mentor_accept", args=[place.slug, request.pk]))
    late = client_for(other_mentor).post(
        reverse("community_mentor_accept", args=[place.slug, request.pk]), follow=True
    )
    assert "already been taken" in late.content.decode()
    assert Notification.objects.filter(kind="mentor_matched").count() == 2
    for person in (mentor, mentee):
        assert "The first year" in client_for(person).get(reverse("mentoring")).content.decode()
    client_for(mentee).post(reverse("mentoring_end", args=[request.pk]))
    assert MentorRequest.objects.get().state == "ended"
    assert Notification.objects.filter(kind="mentor_ended", recipient=mentor).exists()


def test_reports_reach_the_queue_once_and_a_newcomer_sees_the_norms(client_for):
    owner = UserFactory()
    place = make(owner)
    member, author = UserFactory(), UserFactory()
    join(place, member)
    join(place, author)
    post = post_create(author=author, text="You are all idiots", community_id=place.pk)
    url = reverse("community_report", args=[place.slug, post.pk])
    client_for(member).post(url, {"reason": "Insults"})
    client_for(member).post(url, {"reason": "Insults"})
    queue = client_for(owner).get(reverse("community_moderation", args=[place.slug]))
    assert queue.content.decode().count("Insults") == 1
    page = client_for(member).get(reverse("community", args=[place.slug])).content.decode()
    assert "You joined Grief after losing a parent this week" in page
    assert "Listen before advising" in page


def test_changed_rules_are_acknowledged_again_before_posting(client_for):
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    services.community_update(
        community=place,
        actor=owner,
        name=place.name,
        description=place.description,
        who_for=place.who_for,
        topics="",
        kind=place.kind,
        join_policy=place.join_policy,
        join_question="",
        rules=["Listen before advising", "No judgement", "No selling"],
    )
    with pytest.raises(PostError, match="accept the rules"):
        post_create(author=member, text="hello", community_id=place.pk)
    page = client_for(member).get(reverse("community", args=[place.slug])).content.decode()
    assert "No selling" in page and "Before your first post here" in page
    client_for(member).post(
        reverse("community_rules_accept", args=[place.slug]), {"accept_rules": "1"}
    )
    assert post_create(author=member, text="hello", community_id=place.pk).community_id == place.pk
    assert Post.objects.filter(community=place).count() == 1


def test_tags_used_only_inside_a_private_community_are_not_searchable():
    from hearth.posts.selectors import tags_search

    owner = UserFactory()
    secret = make(owner, slug="secret-circle", visibility="private")
    post_create(author=owner, text="Our #hiddenplans for spring", community_id=secret.pk)
    post_create(author=owner, text="Public #hiddenthoughts")
    assert tags_search(query="hidden", limit=10) == ["hiddenthoughts"]
