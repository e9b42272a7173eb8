from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.services import follow_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.core.testing import page_ok, page_text
from hearth.feeds.models import Notification
from hearth.kindness.judge import get_judge
from hearth.kindness.services import reconsider_check
from hearth.posts.models import Audience, Post
from hearth.posts.tests.factories import publish
from hearth.support import services
from hearth.support.crisis import crisis_resources_for
from hearth.support.models import (
    MAX_CAPACITY,
    CrisisResource,
    Route,
    Supporter,
    SupportRequest,
    WorriedRequest,
)

pytestmark = pytest.mark.django_db


def supporter(capacity: int = 3, topics: str = "anything"):
    user = UserFactory()
    Supporter.objects.create(user=user, topics=f",{topics},", weekly_capacity=capacity)
    return user


def ask(asker=None, audience: str = "supporters", **kwargs) -> SupportRequest:
    with committed():
        return services.support_request_create(
            asker=asker or UserFactory(),
            text=kwargs.pop("text", "I lost my job and I can't sleep."),
            kind=kwargs.pop("kind", "listening"),
            topic=kwargs.pop("topic", "work_money"),
            audience=audience,
            **kwargs,
        )


def holders(request: SupportRequest) -> set[int]:
    return set(
        Route.objects.filter(request=request, state=Route.State.ROUTED).values_list(
            "supporter_id", flat=True
        )
    )


# --- asking and reading ------------------------------------------------------------


def test_only_supporters_request_is_read_by_asker_and_routed_supporters(client_for) -> None:
    helper = supporter()
    follower = UserFactory()
    stranger = UserFactory()
    asker = UserFactory()
    with committed():
        follow_create(follower=follower, followee=asker)
    request = ask(asker)
    assert request.post.audience == Audience.SUPPORTERS
    assert request.post.tone == "support"
    assert holders(request) == {helper.pk}
    url = request.post.get_absolute_url()
    for viewer, status in ((asker, 200), (helper, 200), (follower, 404), (stranger, 404)):
        assert client_for(viewer).get(url).status_code == status
        assert client_for(viewer).get(f"/support/{request.pk}").status_code == status
    assert client_for(None).get(url).status_code == 404
    # The supporter was told, with a link to respond.
    note = Notification.objects.get(recipient=helper, kind=Notification.Kind.SUPPORT_ROUTED)
    assert note.post_id == request.pk
    assert "Read and respond" in page_ok(client_for(helper), "/notifications")
    # A reply stays among the request's readers, whatever audience is passed.
    reply = publish(helper, "I'm here. Want to tell me more?", in_reply_to=request.post)
    assert reply.audience == Audience.SUPPORTERS
    assert client_for(asker).get(reply.get_absolute_url()).status_code == 200
    assert client_for(follower).get(reply.get_absolute_url()).status_code == 404
    assert "I'm here" in page_ok(client_for(asker), "/support")


def test_followers_request_is_also_read_by_routed_supporters_only_when_asked(client_for) -> None:
    helper = supporter()
    asker = UserFactory()
    asked = ask(asker, audience="followers")
    assert asked.post.audience == Audience.FOLLOWERS
    assert client_for(helper).get(asked.post.get_absolute_url()).status_code == 200
    private = ask(asker, audience="circle", ask_supporters=False)
    assert holders(private) == set()
    assert client_for(helper).get(private.post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "hugs", "kind of support"),
        ("topic", "anything", "what it is about"),
        ("audience", "public", "who can see"),
        ("checkin_days", 400, "check in"),
    ],
)
def test_request_bad_input(field, value, message) -> None:
    args = {
        "asker": UserFactory(),
        "text": "Help",
        "kind": "listening",
        "topic": "grief",
        "audience": "supporters",
        field: value,
    }
    with pytest.raises(services.SupportError) as exc:
        services.support_request_create(**args)
    assert exc.value.field == field
    assert message in str(exc.value).lower()


def test_empty_text_is_refused_with_the_posts_message() -> None:
    with pytest.raises(services.SupportError, match="Write something"):
        services.support_request_create(
            asker=UserFactory(), text="  ", kind="advice", topic="grief", audience="followers"
        )


def test_community_request_needs_membership() -> None:
    from hearth.communities.services import community_create

    owner = UserFactory()
    place = community_create(
        creator=owner,
        name="Grief",
        slug="grief-support",
        description="d",
        who_for="w",
        visibility="private",
        rules=["Be kind"],
    )
    with pytest.raises(services.SupportError, match="Join"):
        services.support_request_create(
            asker=UserFactory(),
            text="Help",
            kind="advice",
            topic="grief",
            audience="community",
            community_id=place.pk,
        )


# --- the careful threshold ------------------------------------------------------------


def test_replies_to_support_are_judged_more_carefully() -> None:
    author = UserFactory()
    # Minimising someone's trouble: passable as an ordinary reply, hurtful to
    # a person in a hard time. The test needs a text the judge scores between
    # the careful threshold and its own; checked first, so a retrained judge
    # that moves it out of that band says so plainly (with the fifteen-batch
    # judge "stop whining" was such a text, with the eighteen-batch one
    # "others have it worse"; the judge with the encoder prompts both
    # anywhere, and scores this one 0.52, between 0.49 and 0.58).
    text = "man up"
    judge = get_judge()
    assert judge.careful_threshold <= judge.assess(text).score < judge.threshold
    assert reconsider_check(author=author, text=text, context="reply") is None
    prompt = reconsider_check(author=author, text=text, context="support")
    assert prompt is not None and prompt.reasons
    # Friends' banter allowance does not apply there.
    assert reconsider_check(author=author, text="this is dumb", context="support", friends=True)


def test_composer_uses_the_careful_threshold_under_a_request(client_for) -> None:
    helper = supporter()
    request = ask()
    response = client_for(helper).post(
        "/posts/new", {"text": "stop whining", "in_reply_to": request.pk, "as_is": "1"}
    )
    assert response.status_code == 200
    assert "reconsider" in page_text(response).lower()
    assert not Post.objects.filter(in_reply_to=request.post).exists()


# --- supporters leaving, passing, pausing; the pool ---------------------------------


def test_a_supporter_who_leaves_hands_requests_back_and_they_are_routed_again() -> None:
    first = supporter(capacity=1)
    request = ask()
    assert holders(request) == {first.pk}
    second = supporter(capacity=1)
    with committed():
        released = services.supporter_leave(user=first, community_id=None)
    assert released == 1
    assert holders(request) == {second.pk}
    assert not Supporter.objects.filter(user=first).exists()


def test_leaving_with_nobody_free_keeps_the_request_in_the_pool_until_someone_comes() -> None:
    first = supporter(capacity=1)
    request = ask()
    with committed():
        services.supporter_leave(user=first, community_id=None)
    assert holders(request) == set()
    newcomer = UserFactory()
    with committed():
        services.supporter_set(
            user=newcomer, community_id=None, topics=["anything"], weekly_capacity="2"
        )
    assert holders(request) == {newcomer.pk}
    # Never handed back to the person who left, even if they return.
    with committed():
        services.supporter_set(
            user=first, community_id=None, topics=["anything"], weekly_capacity="5"
        )
    assert first.pk not in holders(request)


def test_pass_and_pause_release_to_others() -> None:
    a = supporter(capacity=1)
    request = ask()
    b = supporter(capacity=1)
    with committed():
        assert services.route_pass(supporter=a, request_id=request.pk)
    assert holders(request) == {b.pk}
    c = supporter(capacity=1)
    with committed():
        services.supporter_set(
            user=b, community_id=None, topics=["anything"], weekly_capacity=1, paused=True
        )
    assert holders(request) == {c.pk}
    assert not services.route_pass(supporter=a, request_id=request.pk)


def test_revalidate_releases_routes_of_people_no_longer_supporting() -> None:
    a = supporter()
    request = ask()
    Supporter.objects.filter(user=a).delete()  # as if removed behind routing's back
    b = supporter()
    with committed():
        assert services.supporters_revalidate() == 1
    assert holders(request) == {b.pk}


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ("0", "pause instead"),
        ("-3", "pause instead"),
        ("21", f"{MAX_CAPACITY} a week is the most"),
        ("1000000000000", "the most"),
        ("two", "whole number"),
        ("", "whole number"),
        ("2.5", "whole number"),
    ],
)
def test_capacity_bad_input_is_explained(capacity, message, client_for) -> None:
    user = UserFactory()
    with pytest.raises(services.SupportError) as exc:
        services.supporter_set(
            user=user, community_id=None, topics=["grief"], weekly_capacity=capacity
        )
    assert message in str(exc.value)
    response = client_for(user).post(
        "/support/settings", {"topics": ["grief"], "weekly_capacity": capacity, "action": "save"}
    )
    assert response.status_code == 400
    assert message in page_text(response)
    assert not Supporter.objects.filter(user=user).exists()


def test_no_topic_is_explained() -> None:
    with pytest.raises(services.SupportError, match="at least one topic"):
        services.supporter_set(user=UserFactory(), community_id=None, topics=[], weekly_capacity=2)


def test_the_database_refuses_a_capacity_out_of_range() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Supporter.objects.create(user=UserFactory(), topics=",grief,", weekly_capacity=0)


# --- check-ins ---------------------------------------------------------------------


def test_checkin_is_sent_once_when_due_and_answered_privately_or_shared(client_for) -> None:
    asker = UserFactory()
    request = ask(asker, checkin_days=3)
    assert request.checkin_at is not None
    assert services.checkin_send(request_id=request.pk) is False  # not due yet
    SupportRequest.objects.filter(pk=request.pk).update(
        checkin_at=timezone.now() - timedelta(minutes=1)
    )
    with committed():
        assert services.checkins_due_send() == 1
    assert services.checkin_send(request_id=request.pk) is False  # idempotent
    assert (
        Notification.objects.filter(recipient=asker, kind=Notification.Kind.SUPPORT_CHECKIN).count()
        == 1
    )
    assert "How are you doing?" in page_ok(client_for(asker), "/support")
    request.refresh_from_db()
    assert (
        services.checkin_answer(request=request, actor=asker, text="Better.", share=False) is None
    )
    assert not Post.objects.filter(in_reply_to=request.post).exists()

    other = ask(asker, checkin_days=1)
    update = services.checkin_answer(
        request=other, actor=asker, text="A bit better, thank you all.", share=True
    )
    assert update is not None and update.in_reply_to_id == other.pk
    assert update.audience == Audience.SUPPORTERS


def test_no_checkin_when_not_wanted_or_resolved() -> None:
    asker = UserFactory()
    request = ask(asker)
    assert request.checkin_at is None
    later = ask(asker, checkin_days=1)
    services.support_request_resolve(request=later, actor=asker)
    SupportRequest.objects.filter(pk=later.pk).update(checkin_at=timezone.now())
    assert services.checkins_due_send() == 0
    with pytest.raises(PermissionError):
        services.checkin_answer(request=later, actor=UserFactory(), text="x", share=False)


# --- worried about someone -----------------------------------------------------------


def test_worried_one_a_week_whoever_sends_and_sender_never_learns(client_for) -> None:
    author = UserFactory()
    post = publish(author, "Everything feels heavy lately.")
    senders = [UserFactory() for _ in range(3)]
    pages = []
    for sender in senders:
        response = client_for(sender).post(f"/support/worried/{post.pk}", follow=True)
        pages.append(page_text(response))
    assert all("You won't hear back" in text for text in pages)
    assert WorriedRequest.objects.filter(author=author).count() == 3
    assert WorriedRequest.objects.filter(author=author, delivered=True).count() == 1
    assert Notification.objects.filter(recipient=author, kind="worried").count() == 1
    note = Notification.objects.get(recipient=author, kind="worried")
    assert note.actor_id == author.pk  # nobody is named
    text = page_ok(client_for(author), "/support/care")
    assert "thinking of you" in text
    for sender in senders:
        assert sender.username not in text
    # A week later, one more may reach them.
    from hearth.support.models import CareSettings

    CareSettings.objects.filter(pk=author.pk).update(
        last_worried_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    with committed():
        assert services.worried_send(sender=senders[0], post=post).delivered


def test_worried_respects_opt_out_own_posts_and_daily_limit(client_for) -> None:
    author = UserFactory()
    post = publish(author, "Hmm.")
    services.care_settings_set(user=author, worried_messages=False)
    assert not services.worried_send(sender=UserFactory(), post=post).delivered
    with pytest.raises(services.SupportError, match="your own post"):
        services.worried_send(sender=author, post=post)
    busy = UserFactory()
    for _ in range(services.WORRIED_PER_DAY):
        services.worried_send(sender=busy, post=publish(UserFactory(), "x"))
    with pytest.raises(services.SupportError, match="several times today"):
        services.worried_send(sender=busy, post=post)


def test_misuse_report_reaches_staff_only(client_for) -> None:
    author = UserFactory()
    sender = UserFactory()
    post = publish(author, "A post.")
    with committed():
        worried = services.worried_send(sender=sender, post=post)
    assert client_for(UserFactory()).post(f"/support/care/{worried.pk}/misuse").status_code == 404
    assert client_for(author).post(f"/support/care/{worried.pk}/misuse").status_code == 302
    assert WorriedRequest.objects.get(pk=worried.pk).misuse_reported_at is not None
    assert client_for(author).get("/support/misuse").status_code == 404
    staff = UserFactory(is_staff=True)
    assert sender.username in page_ok(client_for(staff), "/support/misuse")


def test_worried_cannot_be_sent_about_a_post_one_cannot_see(client_for) -> None:
    request = ask()
    assert client_for(UserFactory()).post(f"/support/worried/{request.pk}").status_code == 404


# --- crisis resources ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want to kill myself", True),
        ("thinking about SUICIDE", True),
        ("suicidal thoughts", True),
        ("self-harm support", True),
        ("selfharm", True),
        ("I don\u2019t want to be alive", True),
        ("I want to die", True),
        ("ending it all", True),
        ("gardening in the rain", False),
        ("killer whales", False),
        ("my dad died in the spring", False),
        ("", False),
    ],
)
def test_crisis_words(text, expected) -> None:
    assert crisis_resources_for(text) is expected


def test_resources_page_is_public_and_shipped_entries_are_marked_to_check(client) -> None:
    assert CrisisResource.objects.filter(checked=False).count() >= 10
    text = page_ok(client, "/support/resources")
    assert "Samaritans" in text
    assert "to be checked by this server's admins" in text


def test_resources_edit_is_staff_only(client_for) -> None:
    resource = CrisisResource.objects.first()
    assert resource is not None
    for url in ("/support/resources/edit", f"/support/resources/{resource.pk}/edit"):
        assert client_for(UserFactory()).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 404
    staff = client_for(UserFactory(is_staff=True))
    response = staff.post(
        f"/support/resources/{resource.pk}/edit",
        {
            "country": "gb",
            "country_name": "United Kingdom",
            "name": "Checked line",
            "phone": "116 123",
            "position": 0,
            "checked": "on",
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.name, resource.country, resource.checked) == ("Checked line", "GB", True)
    bad = staff.post("/support/resources/add", {"country": "Britain", "name": "x", "position": 0})
    assert bad.status_code == 400
    assert "two-letter" in page_text(bad)


def test_find_page_offers_resources_for_crisis_words(client) -> None:
    assert "If things feel like too much" in page_ok(
        client, "/communities/find?q=I+keep+thinking+about+suicide"
    )
    assert "If things feel like too much" not in page_ok(client, "/communities/find?q=knitting")


# --- pages --------------------------------------------------------------------------


def test_pages_render_with_empty_states(client_for) -> None:
    me = client_for(UserFactory())
    assert "You haven't asked for support" in page_ok(me, "/support")
    assert "Ask for support" in page_ok(me, "/support/new")
    assert "Become a supporter" in page_ok(me, "/support/settings")
    assert "No messages" in page_ok(me, "/support/care")
    for url in ("/support", "/support/new", "/support/settings", "/support/care"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login")


def test_ask_through_the_page_and_become_a_supporter(client_for) -> None:
    helper = UserFactory()
    response = client_for(helper).post(
        "/support/settings",
        {"topics": ["grief", "loneliness"], "weekly_capacity": "3", "action": "save"},
    )
    assert response.status_code == 302
    asker = UserFactory()
    response = client_for(asker).post(
        "/support/new",
        {
            "text": "My mum died last week.",
            "kind": "listening",
            "topic": "grief",
            "audience": "supporters",
            "checkin_days": "3",
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get(asker=asker)
    assert response["Location"] == f"/support/{request.pk}"
    assert holders(request) == {helper.pk}
    assert "My mum died" in page_ok(client_for(helper), "/support")
    asker_page = page_ok(client_for(asker), f"/support/{request.pk}")
    assert "1 volunteer supporter has been asked" in asker_page
    assert "If things feel like too much" in asker_page
    # Leaving through the page.
    response = client_for(helper).post("/support/settings", {"action": "leave"})
    assert response.status_code == 302
    assert holders(request) == set()


def test_new_request_page_shows_errors(client_for) -> None:
    response = client_for(UserFactory()).post(
        "/support/new", {"text": "", "kind": "listening", "topic": "grief", "audience": "circle"}
    )
    assert response.status_code == 400
    assert "This field is required" in page_text(response)


def test_post_card_offers_worried_link_and_helplines(client_for) -> None:
    request = ask(audience="followers")
    follower = UserFactory()
    with committed():
        follow_create(follower=follower, followee=request.asker)
    text = page_ok(client_for(follower), request.post.get_absolute_url())
    assert f"/support/worried/{request.pk}" in text
    assert "Helplines" in text
    own = page_ok(client_for(request.asker), request.post.get_absolute_url())
    assert f"/support/worried/{request.pk}" not in own


def test_turning_worried_messages_off(client_for) -> None:
    user = UserFactory()
    response = client_for(user).post("/support/settings/care", {})
    assert response.status_code == 302
    from hearth.support.models import CareSettings

    assert CareSettings.objects.get(pk=user.pk).worried_messages is False
