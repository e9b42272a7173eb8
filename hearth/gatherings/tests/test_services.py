"""Creating and changing gatherings, RSVPs and the waitlist, reminders, suggestions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.feeds.models import Notification
from hearth.gatherings import services
from hearth.gatherings.models import CommunitySuggestion, Gathering, Rsvp
from hearth.gatherings.tests.factories import community, details, gathering, join, local_in
from hearth.posts.models import Post

pytestmark = pytest.mark.django_db


def _states(g):
    return {
        r.user.username: (r.state, r.position)
        for r in Rsvp.objects.filter(gathering=g).select_related("user")
    }


# --- bad input: clear messages, nothing partially saved -------------------------


def test_end_before_start_is_refused_and_nothing_saved():
    host = UserFactory()
    starts = local_in("Europe/Berlin")
    with pytest.raises(services.GatheringError) as exc:
        gathering(host, starts_local=starts, ends_local=starts - timedelta(minutes=30))
    assert exc.value.errors == {"ends": "The end must be after the start."}
    assert not Gathering.objects.exists()
    assert not Rsvp.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/room", "example.org/room", "https://", "data:,hi"],
)
def test_meeting_link_must_be_http(url):
    host = UserFactory()
    with pytest.raises(services.GatheringError) as exc:
        gathering(host, online=True, address="", meeting_url=url)
    assert "https://" in exc.value.errors["meeting_url"]
    assert not Gathering.objects.exists()


def test_every_bad_field_is_reported_at_once():
    host = UserFactory()
    starts = local_in("Europe/Berlin")
    with pytest.raises(services.GatheringError) as exc:
        gathering(
            host,
            title="  ",
            starts_local=starts,
            ends_local=starts - timedelta(hours=1),
            meeting_url="mailto:me@example.org",
            address="",
        )
    assert set(exc.value.errors) == {"title", "ends", "meeting_url", "address"}
    assert not Gathering.objects.exists()


def test_unknown_zone_and_past_start():
    host = UserFactory()
    with pytest.raises(services.GatheringError) as exc:
        gathering(host, tz="Mars/Olympus_Mons", starts_local=local_in("UTC"))
    assert "tz" in exc.value.errors
    with pytest.raises(services.GatheringError) as exc:
        gathering(host, starts_local=local_in("Europe/Berlin", days=-2))
    assert "past" in exc.value.errors["starts"]


def test_capacity_below_going_is_refused_and_nothing_changes():
    host = UserFactory()
    g = gathering(host, capacity=5)
    for _ in range(2):
        services.rsvp_set(gathering=g, user=UserFactory(), state="going")
    bad = details(
        title="A new title",
        starts_local=g.starts_at.astimezone(g.zone).replace(tzinfo=None),
        capacity=2,
    )
    with pytest.raises(services.GatheringError) as exc:
        services.gathering_update(gathering=g, actor=host, details=bad)
    assert exc.value.errors["capacity"].startswith("3 people are already going")
    g.refresh_from_db()
    assert (g.title, g.capacity, g.sequence) == ("Walk by the river", 5, 0)


def test_only_the_host_edits():
    host, other = UserFactory(), UserFactory()
    g = gathering(host)
    with pytest.raises(PermissionError):
        services.gathering_update(gathering=g, actor=other, details=details(title="Mine now"))


# --- RSVPs and the waitlist -------------------------------------------------------


def test_waitlist_fills_in_order_and_promotes_when_someone_leaves():
    host = UserFactory(username="host")
    a, b, c = (UserFactory(username=n) for n in ("ann", "bob", "cat"))
    g = gathering(host, capacity=2)  # the host takes one place
    assert services.rsvp_set(gathering=g, user=a, state="going").state == "going"
    assert services.rsvp_set(gathering=g, user=b, state="going").state == "waitlisted"
    assert services.rsvp_set(gathering=g, user=c, state="going").state == "waitlisted"
    # Asking again keeps one's place in the queue.
    assert services.rsvp_set(gathering=g, user=b, state="going").position == 1
    assert _states(g)["cat"] == ("waitlisted", 2)
    with committed():
        services.rsvp_set(gathering=g, user=a, state="cant")
    assert _states(g) == {
        "host": ("going", None),
        "ann": ("cant", None),
        "bob": ("going", None),
        "cat": ("waitlisted", 2),
    }
    told = Notification.objects.get(recipient=b)
    assert (told.kind, told.gathering_id, told.actor_id) == ("gathering_promoted", g.pk, host.pk)
    assert not Notification.objects.filter(recipient=c).exists()


def test_maybe_takes_no_place_and_leaving_waitlist_keeps_order():
    host = UserFactory()
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    g = gathering(host, capacity=1)
    services.rsvp_set(gathering=g, user=a, state="maybe")
    services.rsvp_set(gathering=g, user=b, state="going")
    services.rsvp_set(gathering=g, user=c, state="going")
    services.rsvp_set(gathering=g, user=b, state="cant")  # leaves the waitlist: no promotion
    assert Rsvp.objects.get(gathering=g, user=c).state == "waitlisted"
    assert Rsvp.objects.get(gathering=g, user=a).state == "maybe"


def test_growing_capacity_promotes_and_unlimited_promotes_everyone():
    host = UserFactory()
    waiting = [UserFactory() for _ in range(4)]
    g = gathering(host, capacity=1)
    for person in waiting:
        services.rsvp_set(gathering=g, user=person, state="going")
    same_start = g.starts_at.astimezone(g.zone).replace(tzinfo=None)
    with committed():
        services.gathering_update(
            gathering=g, actor=host, details=details(starts_local=same_start, capacity=3)
        )
    going = set(Rsvp.objects.filter(gathering=g, state="going").values_list("user_id", flat=True))
    assert going == {host.pk, waiting[0].pk, waiting[1].pk}
    assert Notification.objects.filter(kind="gathering_promoted").count() == 2
    services.gathering_update(
        gathering=g, actor=host, details=details(starts_local=same_start, capacity=None)
    )
    assert not Rsvp.objects.filter(gathering=g, state="waitlisted").exists()
    g.refresh_from_db()
    assert g.sequence == 2


def test_blocked_by_host_cannot_rsvp_and_host_cannot_leave():
    from hearth.accounts.models import Block

    host, blocked = UserFactory(), UserFactory()
    g = gathering(host)
    Block.objects.create(blocker=host, blocked=blocked)
    with pytest.raises(PermissionError):
        services.rsvp_set(gathering=g, user=blocked, state="going")
    with pytest.raises(services.GatheringError):
        services.rsvp_set(gathering=g, user=host, state="cant")
    assert not Rsvp.objects.filter(user=blocked).exists()


def test_cancel_tells_everyone_who_answered_and_stops_rsvps():
    host, a, b, c = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    g = gathering(host)
    services.rsvp_set(gathering=g, user=a, state="going")
    services.rsvp_set(gathering=g, user=b, state="maybe")
    services.rsvp_set(gathering=g, user=c, state="cant")
    with committed():
        services.gathering_cancel(gathering=g, actor=host)
        services.gathering_cancel(gathering=g, actor=host)  # twice: one notification each
    told = set(
        Notification.objects.filter(kind="gathering_cancelled").values_list("recipient", flat=True)
    )
    assert told == {a.pk, b.pk}
    with pytest.raises(services.GatheringError):
        services.rsvp_set(gathering=g, user=c, state="going")


def test_community_moderator_may_cancel_a_member_s_gathering():
    owner, member, stranger = UserFactory(), UserFactory(), UserFactory()
    place = community(owner)
    join(place, member)
    g = gathering(member, community=place)
    with pytest.raises(PermissionError):
        services.gathering_cancel(gathering=g, actor=stranger)
    with committed():
        services.gathering_cancel(gathering=g, actor=owner)
    assert Notification.objects.get(recipient=member).kind == "gathering_cancelled"


def test_only_members_who_may_post_host_for_a_community():
    owner, stranger = UserFactory(), UserFactory()
    place = community(owner)
    with pytest.raises(services.GatheringError) as exc:
        gathering(stranger, community=place)
    assert "community" in exc.value.errors


# --- time zones ------------------------------------------------------------------


def test_times_are_stored_in_utc_across_a_dst_change():
    host = UserFactory()
    # Berlin's clocks go forward at 02:00 on 29 March 2026: 20:00 CET to 04:00 CEST is 7 hours.
    g = services.gathering_create(
        host=host,
        details=details(
            starts_local=datetime(2099, 3, 28, 20, 0), ends_local=datetime(2099, 3, 29, 4, 0)
        ),
    )
    assert g.ends_at - g.starts_at == timedelta(hours=7)
    assert g.starts_at.utcoffset() == timedelta(0)
    assert (g.starts_at.hour, g.ends_at.hour) == (19, 2)


def test_a_skipped_time_is_refused_and_a_repeated_one_is_the_first():
    host = UserFactory()
    with pytest.raises(services.GatheringError) as exc:
        gathering(host, starts_local=datetime(2099, 3, 29, 2, 30))
    assert "doesn't exist in Europe/Berlin" in exc.value.errors["starts"]
    # 02:30 on 25 October 2099 happens twice in Berlin; the first is 00:30 UTC.
    g = gathering(host, starts_local=datetime(2099, 10, 25, 2, 30))
    assert (g.starts_at.hour, g.starts_at.minute) == (0, 30)


# --- reminders ---------------------------------------------------------------------


def _at(g, before):
    return g.starts_at - before


def test_reminders_are_sent_once_a_day_and_an_hour_before():
    host, a, b, c = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    g = gathering(host)
    services.rsvp_set(gathering=g, user=a, state="going")
    services.rsvp_set(gathering=g, user=b, state="maybe")
    services.rsvp_set(gathering=g, user=c, state="cant")
    with committed():
        assert services.reminders_send(now=_at(g, timedelta(days=2))) == 0
        assert services.reminders_send(now=_at(g, timedelta(hours=20))) == 1
        assert services.reminders_send(now=_at(g, timedelta(hours=19))) == 0
        assert services.reminders_send(now=_at(g, timedelta(minutes=50))) == 1
        assert services.reminders_send(now=_at(g, timedelta(minutes=10))) == 0
    notes = Notification.objects.filter(kind="gathering_reminder")
    assert sorted(notes.values_list("recipient_id", "note")) == sorted(
        [(a.pk, "day"), (b.pk, "day"), (a.pk, "hour"), (b.pk, "hour")]
    )


def test_a_moved_gathering_is_reminded_again_and_a_cancelled_one_not():
    host, a = UserFactory(), UserFactory()
    g = gathering(host)
    services.rsvp_set(gathering=g, user=a, state="going")
    with committed():
        services.reminders_send(now=_at(g, timedelta(hours=20)))
    later = (g.starts_at + timedelta(days=1)).astimezone(g.zone).replace(tzinfo=None)
    g = services.gathering_update(gathering=g, actor=host, details=details(starts_local=later))
    with committed():
        assert services.reminders_send(now=_at(g, timedelta(hours=20))) == 1
    assert Notification.objects.filter(recipient=a, kind="gathering_reminder").count() == 2
    other = gathering(host, title="Tea")
    services.gathering_cancel(gathering=other, actor=host)
    assert services.reminders_send(now=_at(other, timedelta(minutes=30))) == 0


def test_starting_within_the_hour_skips_the_day_reminder():
    host, a = UserFactory(), UserFactory()
    g = gathering(host)
    services.rsvp_set(gathering=g, user=a, state="going")
    with committed():
        services.reminders_send(now=_at(g, timedelta(minutes=30)))
        services.reminders_send(now=_at(g, timedelta(minutes=20)))
    assert list(Notification.objects.values_list("note", flat=True)) == ["hour"]


# --- suggestions to moderators ------------------------------------------------------


def _busy(place, authors, posts=40):
    Post.objects.bulk_create(
        [
            Post(author=authors[i % len(authors)], text=f"Post {i}", community=place)
            for i in range(posts)
        ]
    )


def test_a_busy_community_that_never_meets_gets_one_gentle_suggestion():
    owner, mod = UserFactory(), UserFactory()
    place = community(owner)
    join(place, mod, role="moderator")
    people = [UserFactory() for _ in range(5)]
    _busy(place, people)
    type(place).objects.filter(pk=place.pk).update(created_at=timezone.now() - timedelta(days=100))
    with committed():
        assert services.gathering_suggestions() == [place.pk]
        assert services.gathering_suggestions() == []
    told = Notification.objects.filter(kind="gathering_suggestion")
    assert set(told.values_list("recipient_id", flat=True)) == {owner.pk, mod.pk}
    # Sixty days on, still no gathering: one more.
    later = timezone.now() + timedelta(days=61)
    _busy(place, people)
    Post.objects.filter(community=place).update(created_at=later - timedelta(days=1))
    assert services.gathering_suggestions(now=later) == [place.pk]
    assert CommunitySuggestion.objects.get().suggested_at == later


def test_no_suggestion_for_quiet_or_meeting_communities():
    owner = UserFactory()
    people = [UserFactory() for _ in range(5)]
    quiet = community(owner, slug="quiet-ones")
    _busy(quiet, people, posts=10)
    meeting = community(owner, slug="meeting-ones")
    _busy(meeting, people)
    for place in (quiet, meeting):
        join(place, people[0])
    type(quiet).objects.update(created_at=timezone.now() - timedelta(days=100))
    gathering(people[0], community=meeting)
    assert services.gathering_suggestions() == []
