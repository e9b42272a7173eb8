"""Communities end to end through their pages and services: what people notice."""

from __future__ import annotations

import contextlib
import html

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


# --- every action is logged exactly once ----------------------------------------


def _log_world():
    """A community with someone in every position an action needs, set up without logging."""
    from django.utils import timezone

    from hearth.communities.models import Pin, Report

    owner = UserFactory()
    place = make(owner)
    people = {name: UserFactory() for name in ("member", "mod", "heir", "asker", "reporter")}
    now = timezone.now()
    for name in ("member", "mod", "heir", "reporter"):
        Membership.objects.create(
            community=place, user=people[name], rules_accepted_at=now, joined_at=now
        )
    Membership.objects.filter(user=people["mod"]).update(role="moderator")
    Membership.objects.create(community=place, user=people["asker"], state="pending")
    thread = post_create(
        author=people["member"], text="Our walk by the river today", community_id=place.pk
    )
    other = post_create(
        author=people["member"], text="A photo of the bluebells", community_id=place.pk
    )
    Pin.objects.create(community=place, post=other)
    report = Report.objects.create(
        community=place, post=thread, reporter=people["reporter"], reason="Off topic here"
    )
    return place, owner, people, thread, other, report


def _settings(place, owner, **changes):
    fields = {
        "name": place.name,
        "description": place.description,
        "who_for": place.who_for,
        "topics": place.topics,
        "kind": place.kind,
        "join_policy": place.join_policy,
        "join_question": place.join_question,
        "rules": [r.title for r in place.rules.all()],
        **changes,
    }
    return services.community_update(community=place, actor=owner, **fields)


def _later():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(days=2)


LOGGED_ACTIONS = {
    "pin": (
        "pin",
        lambda w: services.post_pin_set(community=w[0], moderator=w[1], post=w[3], pinned=True),
    ),
    "unpin": (
        "unpin",
        lambda w: services.post_pin_set(community=w[0], moderator=w[1], post=w[4], pinned=False),
    ),
    "remove": (
        "remove_post",
        lambda w: services.post_remove(
            community=w[0], moderator=w[1], post=w[3], reason="Selling is against rule 3"
        ),
    ),
    "lock": (
        "lock_thread",
        lambda w: services.thread_lock_set(community=w[0], moderator=w[1], post=w[3], locked=True),
    ),
    "unlock": (
        "unlock_thread",
        lambda w: services.thread_lock_set(community=w[0], moderator=w[1], post=w[4], locked=False),
    ),
    "approve": (
        "approve",
        lambda w: services.join_request_decide(
            community=w[0], moderator=w[1], user_id=w[2]["asker"].pk, approve=True
        ),
    ),
    "decline": (
        "decline",
        lambda w: services.join_request_decide(
            community=w[0], moderator=w[1], user_id=w[2]["asker"].pk, approve=False
        ),
    ),
    "mute": (
        "mute",
        lambda w: services.member_mute(
            community=w[0], moderator=w[1], user_id=w[2]["member"].pk, days=7, reason="Cool off"
        ),
    ),
    "unmute": (
        "unmute",
        lambda w: services.member_lift(
            community=w[0], moderator=w[1], user_id=w[2]["member"].pk, ban=False
        ),
    ),
    "ban": (
        "ban",
        lambda w: services.member_ban(
            community=w[0], moderator=w[1], user_id=w[2]["member"].pk, days=30, reason="Spam"
        ),
    ),
    "unban": (
        "unban",
        lambda w: services.member_lift(
            community=w[0], moderator=w[1], user_id=w[2]["member"].pk, ban=True
        ),
    ),
    "role set": (
        "appoint",
        lambda w: services.role_set(
            community=w[0], actor=w[1], user_id=w[2]["member"].pk, role="mentor"
        ),
    ),
    "ownership handover": (
        "transfer",
        lambda w: services.ownership_transfer(community=w[0], actor=w[1], user_id=w[2]["heir"].pk),
    ),
    "report dismiss": (
        "dismiss_report",
        lambda w: services.report_dismiss(community=w[0], moderator=w[1], report_id=w[5].pk),
    ),
    "rules edit": (
        "edit_rules",
        lambda w: _settings(w[0], w[1], rules=["Listen before advising", "No selling"]),
    ),
    "settings edit": (
        "edit_settings",
        lambda w: _settings(
            w[0], w[1], description="A gentler place for grief.", join_policy="approval"
        ),
    ),
}


@pytest.mark.parametrize("name", [*LOGGED_ACTIONS, "invite reset"])
def test_every_moderator_action_twice_is_logged_once(name):
    world = _log_world()
    if name == "invite reset":
        place, owner = world[0], world[1]
        seen = place.invite_code

        def act(w):
            return services.invite_code_reset(community=place, actor=owner, current=seen)

        action = "reset_invite"
    else:
        action, act = LOGGED_ACTIONS[name]
    # What an undo needs in place beforehand, set up without logging.
    if name == "unlock":
        Post.objects.filter(pk=world[4].pk).update(locked_at=_later())
    elif name in ("unmute", "unban"):
        field = "muted_until" if name == "unmute" else "banned_until"
        Membership.objects.filter(user=world[2]["member"]).update(**{field: _later()})
    act(world)
    # The same form sent twice: refusing the repeat is fine too, if nothing more is logged.
    with contextlib.suppress(PermissionError, services.CommunityError):
        act(world)
    entries = list(LogEntry.objects.values_list("action", flat=True))
    assert entries == [action], f"{name} twice logged {entries}"


def test_settings_saved_unchanged_log_nothing_and_changes_name_what_changed(client_for):
    owner = UserFactory()
    place = make(owner)
    _settings(place, owner)
    assert not LogEntry.objects.exists()
    _settings(place, owner, who_for="Anyone grieving a parent.", join_policy="invite")
    entry = LogEntry.objects.get()
    assert entry.action == "edit_settings"
    log = client_for(None).get(reverse("community_log", args=[place.slug])).content.decode()
    assert "changed the community&#x27;s settings (who it is for, who can join)" in log
    assert place.invite_code not in log


def test_restricting_a_moderator_logs_the_step_down_too():
    owner = UserFactory()
    place = make(owner)
    mod, other = UserFactory(), UserFactory()
    join(place, mod)
    join(place, other)
    for person in (mod, other):
        services.role_set(community=place, actor=owner, user_id=person.pk, role="moderator")
    LogEntry.objects.all().delete()
    services.member_mute(community=place, moderator=owner, user_id=mod.pk, days=1, reason="Pause")
    services.member_ban(community=place, moderator=owner, user_id=other.pk, days=1, reason="Spam")
    entries = list(
        LogEntry.objects.order_by("id").values_list("action", "target_user_id", "detail")
    )
    assert entries == [
        ("appoint", mod.pk, "Moderator → Member"),
        ("mute", mod.pk, ""),
        ("appoint", other.pk, "Moderator → Member"),
        ("ban", other.pk, ""),
    ]
    assert Membership.objects.get(user=mod).role == "member"


def test_a_changed_mute_is_logged_again_and_a_muted_member_gets_no_role_until_unmuted():
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    services.member_mute(
        community=place, moderator=owner, user_id=member.pk, days=1, reason="Pause"
    )
    services.member_mute(
        community=place, moderator=owner, user_id=member.pk, days=30, reason="Again, sorry"
    )
    assert LogEntry.objects.filter(action="mute").count() == 2
    with pytest.raises(services.CommunityError, match="Lift the mute"):
        services.role_set(community=place, actor=owner, user_id=member.pk, role="moderator")
    assert Membership.objects.get(user=member).is_muted


# --- rules on the community page, norms on a thread page ------------------------


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_the_rules_show_on_the_community_page_to_everyone(client_for, visibility):
    owner = UserFactory()
    place = make(owner, visibility=visibility)
    member = UserFactory()
    join(place, member)
    for viewer in (None, UserFactory(), member, owner):
        page = client_for(viewer).get(reverse("community", args=[place.slug])).content.decode()
        assert "Listen before advising" in page and "No judgement" in page


def test_a_thread_page_asks_for_the_rules_before_a_first_reply_then_reminds_a_newcomer(
    client_for,
):
    owner = UserFactory()
    place = make(owner)
    thread = post_create(author=owner, text="Tell us about your week", community_id=place.pk)
    newcomer = UserFactory()
    join(place, newcomer)
    Membership.objects.filter(user=newcomer).update(rules_accepted_at=None)
    client = client_for(newcomer)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Before you reply in Grief after losing a parent" in page
    assert "Listen before advising" in page
    assert 'name="text"' not in page  # no reply composer until the rules are agreed to
    agreed = client.post(
        reverse("community_rules_accept", args=[place.slug]),
        {"accept_rules": "1", "next": thread.get_absolute_url() + "#reply"},
    )
    assert agreed["Location"] == thread.get_absolute_url() + "#reply"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "You joined Grief after losing a parent this week" in page
    assert 'name="text"' in page
    client.post(
        reverse("compose"), {"text": "Slowly getting better, thank you", "in_reply_to": thread.pk}
    )
    assert Post.objects.filter(in_reply_to=thread, author=newcomer).exists()


def test_a_thread_page_does_not_remind_long_standing_members_or_outsiders(client_for):
    from datetime import timedelta

    from django.utils import timezone

    owner = UserFactory()
    place = make(owner)
    thread = post_create(author=owner, text="Tell us about your week", community_id=place.pk)
    old_hand, outsider = UserFactory(), UserFactory()
    join(place, old_hand)
    Membership.objects.filter(user=old_hand).update(joined_at=timezone.now() - timedelta(days=30))
    page = client_for(old_hand).get(thread.get_absolute_url()).content.decode()
    assert "this week" not in page and 'name="text"' in page
    page = client_for(outsider).get(thread.get_absolute_url()).content.decode()
    assert "Join Grief after losing a parent to take part there." in page
    assert 'name="text"' not in page and "this week" not in page


# --- bad input: a clear message next to the field, nothing saved ------------------

CREATE_FORM = {
    "name": "Allotment neighbours",
    "slug": "allotments",
    "description": "Seeds, sheds and swapping courgettes.",
    "who_for": "People with a plot, or wishing for one.",
    "kind": "local",
    "visibility": "public",
    "join_policy": "open",
    "rules": "Share the harvest\nClose the gate",
}


def _field_group(body: str, field_id: str) -> str:
    """The HTML of the form field group holding the input `field_id`."""
    at = body.index(f'id="{field_id}"')
    start = body.rindex('<div class="field">', 0, at)
    end = body.find('<div class="field', at)
    return html.unescape(body[start : end if end != -1 else len(body)])


def _png(size: int = 64) -> bytes:
    import io
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (size, size), os.urandom(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("notes.txt", b"just some words, not a picture"), "isn't an image we can read"),
        (("garden.png", None), "larger than"),
    ],
    ids=["not-an-image", "oversize"],
)
def test_an_unusable_icon_is_explained_next_to_the_field_and_nothing_is_saved(
    client_for, settings, upload, message
):
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_MAX_BYTES = 1024 * 1024
    name, content = upload
    if content is None:
        content = _png(700)  # ~1.4 MB of noise, over the 1 MB limit
        assert len(content) > settings.MEDIA_MAX_BYTES
    client = client_for(UserFactory())
    page = client.post(
        reverse("community_create"),
        {**CREATE_FORM, "icon": SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert message in _field_group(body, "id_icon")
    assert "Seeds, sheds and swapping courgettes." in body  # what was typed is kept
    assert not Community.objects.exists()
    assert not os.path.exists(os.path.join(settings.MEDIA_ROOT, "communities"))


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"description": "x" * 2001}, "id_description", "at most 2000 characters"),
        ({"who_for": "x" * 1001}, "id_who_for", "at most 1000 characters"),
        ({"rules": "Be kind\n" + "y" * 201}, "id_rules", "Each rule can be up to 200 characters."),
        (
            {"rules": "\n".join(f"Rule number {i}" for i in range(16))},
            "id_rules",
            "up to 15 rules",
        ),
        ({"topics": ",".join(f"topic{i}" for i in range(11))}, "id_topics", "up to 10 topics"),
    ],
    ids=["description", "who-for", "long-rule", "too-many-rules", "too-many-topics"],
)
def test_oversize_community_text_is_explained_next_to_the_field(
    client_for, changes, field_id, message
):
    owner = UserFactory()
    client = client_for(owner)
    page = client.post(reverse("community_create"), {**CREATE_FORM, **changes})
    assert page.status_code == 400
    assert message in _field_group(page.content.decode(), field_id)
    assert not Community.objects.exists()
    # The same limits hold when editing, and nothing changes then.
    place = make(owner)
    edit = {k: v for k, v in CREATE_FORM.items() if k not in ("slug", "visibility")}
    page = client.post(reverse("community_settings", args=[place.slug]), {**edit, **changes})
    assert page.status_code == 400
    assert message in _field_group(page.content.decode(), field_id)
    place.refresh_from_db()
    assert place.name == "Grief after losing a parent"
    assert [r.title for r in place.rules.all()] == ["Listen before advising", "No judgement"]
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "nobody"])
@pytest.mark.parametrize("page_name", ["role", "mute", "ban", "handover"])
def test_acting_on_someone_who_is_not_a_member_is_explained(client_for, who, page_name):
    owner = UserFactory()
    place = make(owner)
    user_id = UserFactory().pk if who == "stranger" else 987654321
    if page_name in ("mute", "ban"):
        url = reverse("community_restrict", args=[place.slug, user_id])
        data = {"action": page_name, "days": "7", "reason": "Spam links"}
    elif page_name == "role":
        url = reverse("community_role", args=[place.slug, user_id])
        data = {"role": "moderator"}
    else:
        url = reverse("community_handover", args=[place.slug, user_id])
        data = {"confirm": "1"}
    page = client_for(owner).post(url, data)
    if page_name == "handover":
        assert page.status_code == 404  # the confirmation page is about a member
    else:
        assert page.status_code == 400
        assert "That person is not a member of this community." in page.content.decode()
    assert Membership.objects.filter(community=place).count() == 1
    assert not LogEntry.objects.exists()


# --- lists that page, errors beside their fields, a confirmed handover ------------


def test_browse_pages_with_a_show_more_link_that_keeps_the_search(client_for, monkeypatch):
    from hearth.communities import selectors

    monkeypatch.setattr(selectors, "BROWSE_PER_PAGE", 2)
    owner = UserFactory()
    for i, name in enumerate(["Birdwatchers", "Bird song", "Birds of prey", "Knitting"]):
        make(owner, name=name, slug=f"place-{i}")
    client = client_for(None)
    first = client.get(reverse("communities"), {"q": "bird"}).content.decode()
    assert "Bird song" in first and "Birds of prey" in first
    assert "Birdwatchers" not in first and "Knitting" not in first
    assert 'href="?q=bird&amp;page=2"' in first and "Show more communities" in first
    second = client.get(reverse("communities"), {"q": "bird", "page": "2"}).content.decode()
    assert "Birdwatchers" in second and "Show more communities" not in second


def test_members_are_listed_by_role_then_name_and_paged(client_for, monkeypatch):
    from hearth.communities import selectors

    monkeypatch.setattr(selectors, "MEMBERS_PER_PAGE", 3)
    owner = UserFactory(username="zoe")
    place = make(owner)
    people = {name: UserFactory(username=name) for name in ("amy", "bob", "cat", "dan")}
    for person in people.values():
        join(place, person)
    services.role_set(community=place, actor=owner, user_id=people["dan"].pk, role="moderator")
    services.role_set(community=place, actor=owner, user_id=people["cat"].pk, role="mentor")
    client = client_for(people["amy"])
    first = client.get(reverse("community_members", args=[place.slug])).content.decode()
    order = [first.index(f"@{name}<") for name in ("zoe", "dan", "cat")]
    assert order == sorted(order)
    assert "@amy<" not in first and "Show more" in first
    second = client.get(reverse("community_members", args=[place.slug]), {"page": "2"})
    body = second.content.decode()
    assert body.index("@amy<") < body.index("@bob<") and "Show more" not in body


def test_the_moderators_queues_and_mentor_requests_page(client_for, monkeypatch):
    from hearth.communities import selectors
    from hearth.communities.models import Report

    monkeypatch.setattr(selectors, "QUEUE_PER_PAGE", 1)
    owner = UserFactory()
    place = make(owner, join_policy=Community.JoinPolicy.APPROVAL)
    askers = [UserFactory(display_name=n) for n in ("Asker Ann", "Asker Ben")]
    for person in askers:
        services.membership_join(community=place, user=person, accept_rules=True)
    reporters = [UserFactory() for _ in range(2)]
    for person in reporters:
        Membership.objects.create(community=place, user=person, joined_at=place.created_at)
    post = post_create(author=owner, text="Welcome, everyone", community_id=place.pk)
    for person, reason in zip(
        reporters, ["First reason given", "Second reason given"], strict=True
    ):
        Report.objects.create(community=place, post=post, reporter=person, reason=reason)
    client = client_for(owner)
    url = reverse("community_moderation", args=[place.slug])
    page = client.get(url).content.decode()
    assert "Asker Ann" in page and "Asker Ben" not in page
    assert "First reason given" in page and "Second reason given" not in page
    page = client.get(url, {"requests_page": "2", "reports_page": "2"}).content.decode()
    assert "Asker Ben" in page and "Second reason given" in page
    for person, topic in zip(reporters, ["Starting out", "Going back to work"], strict=True):
        services.mentor_request_create(
            community=place, mentee=person, topic=topic, hopes="Someone to talk to"
        )
    mentoring = reverse("community_mentoring", args=[place.slug])
    page = client.get(mentoring).content.decode()
    assert "Starting out" in page and "Going back to work" not in page and "Show more" in page
    assert "Going back to work" in client.get(mentoring, {"page": "2"}).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"action": "ban", "days": "30", "reason": ""}, "reason", "Give a reason"),
        ({"action": "ban", "days": "99", "reason": "Spam links"}, "days", "Choose 1, 7 or 30"),
        ({"action": "shout", "days": "7", "reason": "Spam links"}, "act", "Choose mute or ban"),
    ],
    ids=["missing-reason", "bad-duration", "bad-action"],
)
def test_a_refused_mute_or_ban_comes_back_with_the_message_beside_the_field(
    client_for, data, field, message
):
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    page = client_for(owner).post(reverse("community_restrict", args=[place.slug, member.pk]), data)
    assert page.status_code == 400
    body = page.content.decode()
    group = _field_group(body, f"{field}-{member.pk}")
    assert message in group
    assert 'aria-invalid="true"' in group
    if data["reason"]:
        assert 'value="Spam links"' in _field_group(body, f"reason-{member.pk}")
    if data["action"] == "ban":
        assert '<option value="ban" selected>' in _field_group(body, f"act-{member.pk}")
    membership = Membership.objects.get(user=member)
    assert not membership.is_banned and not membership.is_muted
    assert not LogEntry.objects.exists()


def test_a_bad_role_comes_back_beside_the_role_field(client_for):
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    page = client_for(owner).post(
        reverse("community_role", args=[place.slug, member.pk]), {"role": "owner"}
    )
    assert page.status_code == 400
    body = html.unescape(page.content.decode())
    at = body.index(f'id="role-{member.pk}"')
    assert "Choose moderator, mentor or member." in body[at : at + 1200]
    assert Membership.objects.get(user=member).role == "member"


def test_handing_over_ownership_needs_a_confirmation(client_for):
    owner = UserFactory()
    place = make(owner)
    heir = UserFactory(display_name="Heir Apparent")
    join(place, heir)
    client = client_for(owner)
    members = client.get(reverse("community_members", args=[place.slug])).content.decode()
    url = reverse("community_handover", args=[place.slug, heir.pk])
    assert url in members
    page = client.get(url).content.decode()
    assert "Hand Grief after losing a parent over to Heir Apparent?" in page
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert Membership.objects.get(user=owner).role == "owner"
    client.post(url, {"confirm": "1"})
    assert Membership.objects.get(user=heir).role == "owner"
    assert Membership.objects.get(user=owner).role == "moderator"
    assert LogEntry.objects.filter(action="transfer").count() == 1


def test_non_members_see_no_report_link_or_reaction_buttons_on_community_posts(client_for):
    owner = UserFactory()
    place = make(owner)
    author, member, outsider = UserFactory(), UserFactory(), UserFactory()
    join(place, author)
    join(place, member)
    thread = post_create(author=author, text="Our walk by the river today", community_id=place.pk)
    report_url = reverse("community_report", args=[place.slug, thread.pk])
    inside = client_for(member).get(thread.get_absolute_url()).content.decode()
    assert report_url in inside and 'class="reactions"' in inside
    outside = client_for(outsider).get(thread.get_absolute_url()).content.decode()
    assert report_url not in outside and 'class="reactions"' not in outside
    # Outside communities nothing changes: anyone signed in may respond.
    plain = post_create(author=author, text="A quiet evening with a good book")
    assert (
        'class="reactions"' in client_for(outsider).get(plain.get_absolute_url()).content.decode()
    )


# --- working features, now tested ---------------------------------------------------


def test_browse_finds_communities_by_name_kind_and_topic(client_for):
    owner = UserFactory()
    make(owner, name="Sourdough bakers", slug="sourdough", topics="bread, baking", kind="interest")
    make(owner, name="Night shift nurses", slug="nurses", topics="nursing", kind="professional")
    make(owner, name="Widowed young", slug="widowed", topics="grief, loss", kind="support")
    client = client_for(None)

    def names(**params):
        body = client.get(reverse("communities"), params).content.decode()
        return {n for n in ("Sourdough bakers", "Night shift nurses", "Widowed young") if n in body}

    assert names(q="SOURDOUGH") == {"Sourdough bakers"}
    assert names(kind="professional") == {"Night shift nurses"}
    assert names(topic="grief") == {"Widowed young"}
    assert names(q="night", kind="support") == set()
    assert names() == {"Sourdough bakers", "Night shift nurses", "Widowed young"}


def test_a_declined_request_is_logged_once_and_the_person_may_ask_again(client_for):
    owner = UserFactory()
    place = make(owner, join_policy=Community.JoinPolicy.APPROVAL)
    person = UserFactory()
    join(place, person)
    url = reverse("community_request_decide", args=[place.slug, person.pk])
    client_for(owner).post(url, {"decision": "decline"})
    again = client_for(owner).post(url, {"decision": "decline"}, follow=True)
    assert "already been handled" in again.content.decode()
    assert not Membership.objects.filter(user=person).exists()
    assert LogEntry.objects.filter(action="decline").count() == 1
    assert Notification.objects.get(recipient=person).kind == "join_declined"
    client_for(person).post(reverse("community_join", args=[place.slug]), {"accept_rules": "on"})
    assert Membership.objects.get(user=person).state == "pending"


def test_a_dismissed_report_leaves_the_queue_and_the_post(client_for):
    owner = UserFactory()
    place = make(owner)
    member, author = UserFactory(), UserFactory()
    join(place, member)
    join(place, author)
    post = post_create(author=author, text="Our walk by the river today", community_id=place.pk)
    client_for(member).post(
        reverse("community_report", args=[place.slug, post.pk]), {"reason": "Seems off topic"}
    )
    from hearth.communities.models import Report

    report = Report.objects.get()
    client_for(owner).post(reverse("community_report_dismiss", args=[place.slug, report.pk]))
    queue = client_for(owner).get(reverse("community_moderation", args=[place.slug]))
    assert "Seems off topic" not in queue.content.decode()
    assert Report.objects.get().state == "dismissed"
    assert Post.objects.get(pk=post.pk).removed_at is None
    assert LogEntry.objects.filter(action="dismiss_report").count() == 1


def test_a_new_invite_link_replaces_the_old_one(client_for):
    owner = UserFactory()
    place = make(owner, join_policy=Community.JoinPolicy.INVITE)
    old_code = place.invite_code
    client = client_for(owner)
    url = reverse("community_moderation", args=[place.slug])
    client.post(url, {"reset_invite": "1", "code": old_code})
    client.post(url, {"reset_invite": "1", "code": old_code})  # a double click
    place.refresh_from_db()
    assert place.invite_code != old_code
    assert LogEntry.objects.filter(action="reset_invite").count() == 1
    late, early = UserFactory(), UserFactory()
    client_for(late).post(
        reverse("community_invite", args=[place.slug, old_code]), {"accept_rules": "on"}
    )
    assert not Membership.objects.filter(user=late).exists()
    client_for(early).post(
        reverse("community_invite", args=[place.slug, place.invite_code]), {"accept_rules": "on"}
    )
    assert Membership.objects.get(user=early).state == "active"


def test_leaving_ends_membership_and_withdraws_an_open_mentor_request(client_for):
    owner = UserFactory()
    place = make(owner, visibility="private")
    member = UserFactory()
    join(place, member)
    thread = post_create(author=owner, text="Members only news", community_id=place.pk)
    services.mentor_request_create(
        community=place, mentee=member, topic="First steps", hopes="Someone to talk to"
    )
    client = client_for(member)
    client.post(reverse("community_leave", args=[place.slug]))
    assert not Membership.objects.filter(user=member).exists()
    assert MentorRequest.objects.get().state == "withdrawn"
    assert client.get(thread.get_absolute_url()).status_code == 404
    client_for(owner).post(reverse("community_leave", args=[place.slug]))
    assert Membership.objects.get(user=owner).role == "owner"


def test_the_home_feed_toggle_switches_both_ways(client_for):
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    client = client_for(member)
    url = reverse("community_home_feed", args=[place.slug])
    page = client.post(url, {"home_feed": "0"}, follow=True).content.decode()
    assert "will stay on the community page" in page
    assert "Show its posts in my home feed" in page
    with committed():
        post = post_create(author=owner, text="News from the garden", community_id=place.pk)
    assert not FeedEntry.objects.filter(owner=member, post=post).exists()
    page = client.post(url, {"home_feed": "1"}, follow=True).content.decode()
    assert "will show in your home feed" in page
    with committed():
        later = post_create(author=owner, text="More news from the garden", community_id=place.pk)
    assert FeedEntry.objects.filter(owner=member, post=later).exists()


def test_banning_someone_who_asked_to_join_refuses_them_and_clears_the_request(client_for):
    owner = UserFactory()
    place = make(owner, join_policy=Community.JoinPolicy.APPROVAL)
    person = UserFactory(display_name="Persistent Spammer")
    join(place, person)
    page = client_for(owner).post(
        reverse("community_restrict", args=[place.slug, person.pk]),
        {"action": "ban", "days": "", "reason": "Spam in the join answer"},
    )
    assert page.status_code == 302
    queue = client_for(owner).get(reverse("community_moderation", args=[place.slug]))
    assert "Persistent Spammer" not in queue.content.decode()
    assert Membership.objects.get(user=person).is_banned
    denied = client_for(person).post(
        reverse("community_join", args=[place.slug]), {"accept_rules": "on"}
    )
    assert denied.status_code == 403
    approve = client_for(owner).post(
        reverse("community_request_decide", args=[place.slug, person.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "already been handled" in approve.content.decode()
    assert not Membership.objects.get(user=person).is_active
    assert list(LogEntry.objects.values_list("action", flat=True)) == ["ban"]


def test_a_muted_or_banned_person_is_told_until_when_and_why(client_for):
    owner = UserFactory()
    place = make(owner, visibility="private", slug="quiet-circle")
    muted, banned = UserFactory(), UserFactory()
    join(place, muted)
    join(place, banned)
    client = client_for(owner)
    mute = {"action": "mute", "days": "7", "reason": "Three off-topic sales posts"}
    ban = {"action": "ban", "days": "", "reason": "Threatened another member"}
    for _ in range(2):  # a double submit tells nobody twice
        client.post(reverse("community_restrict", args=[place.slug, muted.pk]), mute)
        client.post(reverse("community_restrict", args=[place.slug, banned.pk]), ban)
    assert Notification.objects.filter(recipient=muted, kind="muted").count() == 1
    assert Notification.objects.filter(recipient=banned, kind="banned").count() == 1

    told = client_for(muted).get(reverse("notifications")).content.decode()
    assert "muted you in" in told and "Three off-topic sales posts" in told
    assert "until" in told and "not post or reply there" in told
    told = client_for(banned).get(reverse("notifications")).content.decode()
    assert "banned you from Grief after losing a parent for good" in html.unescape(told)
    assert "Threatened another member" in told
    # A banned person can't read a private community: no link that would 404.
    assert reverse("community", args=[place.slug]) not in told


def test_the_reply_page_asks_for_the_rules_too_then_reminds_a_newcomer(client_for):
    owner = UserFactory()
    place = make(owner)
    thread = post_create(author=owner, text="Tell us about your week", community_id=place.pk)
    newcomer = UserFactory()
    join(place, newcomer)
    Membership.objects.filter(user=newcomer).update(rules_accepted_at=None)
    client = client_for(newcomer)
    reply_page = reverse("compose") + f"?in_reply_to={thread.pk}"
    page = client.get(reply_page).content.decode()
    assert "Before you reply in Grief after losing a parent" in page
    assert 'name="text"' not in page
    assert f'name="next" value="{html.escape(reply_page)}"' in page
    agreed = client.post(
        reverse("community_rules_accept", args=[place.slug]),
        {"accept_rules": "1", "next": reply_page},
    )
    assert agreed["Location"] == reply_page
    page = client.get(reply_page).content.decode()
    assert "You joined Grief after losing a parent this week" in page
    assert 'name="text"' in page


def test_leaving_takes_the_community_out_of_ones_home_feed_but_keeps_ones_own_posts():
    place = make()
    leaver, other = UserFactory(), UserFactory()
    join(place, leaver)
    join(place, other)
    with committed():
        theirs = post_create(author=other, text="Sowing broad beans today", community_id=place.pk)
    with committed():
        mine = post_create(author=leaver, text="My first courgette flower", community_id=place.pk)
    home = set(FeedEntry.objects.filter(owner=leaver).values_list("post_id", flat=True))
    assert {theirs.pk, mine.pk} <= home
    with committed():
        services.membership_leave(community=place, user=leaver)
    home = set(FeedEntry.objects.filter(owner=leaver).values_list("post_id", flat=True))
    assert theirs.pk not in home and mine.pk in home


def test_a_muted_member_cannot_edit_what_they_wrote_there_until_the_mute_ends(client_for):
    owner = UserFactory()
    place = make(owner)
    member = UserFactory()
    join(place, member)
    post = post_create(
        author=member, text="Courgettes for anyone who wants them", community_id=place.pk
    )
    services.member_mute(
        community=place, moderator=owner, user_id=member.pk, days=7, reason="Spamming links"
    )
    page = client_for(member).post(
        reverse("post_edit", args=[member.username, post.pk]),
        {"text": "Courgettes, and my shop link", "content_warning": "", "tone": ""},
    )
    assert page.status_code == 400
    body = html.unescape(page.content.decode())
    assert "muted" in body.lower()
    assert "Courgettes, and my shop link" in body  # the text typed is kept
    post.refresh_from_db()
    assert post.text == "Courgettes for anyone who wants them"
    services.member_lift(community=place, moderator=owner, user_id=member.pk, ban=False)
    client_for(member).post(
        reverse("post_edit", args=[member.username, post.pk]),
        {"text": "Courgettes, free to a good home", "content_warning": "", "tone": ""},
    )
    post.refresh_from_db()
    assert post.text == "Courgettes, free to a good home"
