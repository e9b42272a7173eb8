"""'Since your last visit' above the home feed, and the weekly reflection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.core.testing import page_ok as page
from hearth.gatherings.services import rsvp_set
from hearth.gatherings.tests.factories import gathering
from hearth.kindness.notes import note_send
from hearth.messaging.services import conversation_start, message_send
from hearth.posts.services import reaction_set
from hearth.posts.tests.factories import publish
from hearth.support.services import support_request_create
from hearth.wellbeing.models import Preferences

pytestmark = pytest.mark.django_db


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1]


def summary_of(html: str) -> str:
    start = html.find('aria-labelledby="visit-title"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def ask(asker, text: str, audience: str = "followers"):
    with committed():
        return support_request_create(
            asker=asker, text=text, kind="listening", topic="other", audience=audience
        )


def test_since_your_last_visit_names_who_posted_who_asked_and_what_is_coming_up(client_for):
    alice = UserFactory()
    bob, carol, dan = (UserFactory(display_name=n) for n in ("Bob Okafor", "Carol Diaz", "Dan Wu"))
    stranger = UserFactory(display_name="Erin Stranger")
    for person in (bob, carol, dan):
        follow(alice, person)
    walk = gathering(dan, title="Walk by the river", starts_local=None)
    rsvp_set(gathering=walk, user=alice, state="going")
    # Nothing new yet: the summary has only what is coming up.
    assert "posted" not in summary_of(page(client_for(alice), "/home"))

    with committed():
        publish(bob, "Made bread today.")
        publish(dan, "The river was high this morning.")
    ask(carol, "It has been a hard week, could use a listening ear.")
    ask(stranger, "Anyone?", audience="supporters")  # not someone alice may see

    html = main(page(client_for(alice), "/home"))
    summary = summary_of(html)
    assert "Since your last visit" in summary
    assert "Carol Diaz" in summary and "asked for support" in summary
    assert "Dan Wu" in summary and "Bob Okafor" in summary and "posted" in summary
    assert "Coming up" in summary and "Walk by the river" in summary
    assert "Erin Stranger" not in summary


def test_no_summary_for_someone_with_nothing_new(client_for):
    alice = UserFactory()
    html = main(page(client_for(alice), "/home"))
    assert "Since your last visit" not in html
    assert "Your feed is quiet" in html


def test_the_summary_leaves_out_people_you_blocked(client_for):
    alice, bob = UserFactory(), UserFactory(display_name="Bob Okafor")
    follow(alice, bob)
    page(client_for(alice), "/home")
    with committed():
        publish(bob, "Hello again.")
        block_create(blocker=alice, blocked=bob)
    assert "Bob Okafor" not in summary_of(page(client_for(alice), "/home"))


# --- the weekly reflection ---------------------------------------------------------


def test_reflection_names_people_thanks_and_support_never_a_number(client_for):
    alice = UserFactory()
    bob, carol, dan, erin, fay = (
        UserFactory(display_name=n)
        for n in ("Bob Okafor", "Carol Diaz", "Dan Wu", "Erin Lee", "Fay Blocked")
    )
    mine = publish(alice, "Moved into the new flat!")
    with committed():
        publish(bob, "Congratulations!", in_reply_to=mine)
        reaction_set(post=mine, user=dan, kind="celebrate")
        conversation, _ = conversation_start(initiator=carol, recipients=[alice], text="Coffee?")
        message_send(conversation=conversation, sender=alice, text="Yes please")
        note_send(sender=dan, recipient=alice, text="Thank you for the walk, it helped.")
        request = ask(erin, "Feeling low today.")
        publish(alice, "I'm here if you want to talk.", in_reply_to=request.post)
        publish(fay, "Nice.", in_reply_to=mine)
        block_create(blocker=alice, blocked=fay)

    html = main(page(client_for(alice), "/wellbeing/reflection"))
    assert "Bob Okafor" in html and "replied to you" in html
    assert "replied to each other" not in html
    assert "Carol Diaz" in html and "you talked" in html
    assert "Dan Wu" in html and "responded to your posts" in html
    assert "Thank you for the walk, it helped." in html
    assert "You answered when" in html and "Erin Lee" in html
    assert "Fay Blocked" not in html
    assert "streak" not in html.lower()


def test_reflection_of_a_quiet_week_is_kind(client_for):
    html = main(page(client_for(UserFactory()), "/wellbeing/reflection"))
    assert "A quiet week" in html
    assert "Turn on the weekly reflection" in html


def test_reflection_is_offered_on_its_day_until_opened(client_for):
    alice = UserFactory()
    today = timezone.now().astimezone(Preferences(time_zone="UTC").zone).weekday()
    Preferences.objects.create(user=alice, weekly_reflection=True, reflection_weekday=today)
    client = client_for(alice)
    assert "Read your reflection" in page(client, "/home")
    page(client, "/wellbeing/reflection")
    assert "Read your reflection" not in page(client, "/home")
    # Not opted in: never offered.
    bob = UserFactory()
    Preferences.objects.create(user=bob, weekly_reflection=False, reflection_weekday=today)
    assert "Read your reflection" not in page(client_for(bob), "/home")


def test_reflection_is_private(client_for):
    response = client_for(None).get("/wellbeing/reflection")
    assert response.status_code == 302


def test_the_summary_costs_the_same_whatever_the_number_of_new_posts(
    django_assert_max_num_queries,
):
    from hearth.feeds.summaries import since_last_visit

    alice = UserFactory()
    people = [UserFactory() for _ in range(6)]
    for person in people:
        follow(alice, person)
    since = timezone.now() - timedelta(days=1)
    with committed():
        publish(people[0], "One new post.")
    with django_assert_max_num_queries(6):
        few = since_last_visit(viewer=alice, line=0, since=since)
    with committed():
        for person in people:
            for n in range(3):
                publish(person, f"Post {n}")
            ask(person, "Could use a chat.")
    with django_assert_max_num_queries(6):
        many = since_last_visit(viewer=alice, line=0, since=since)
    assert len(few.posted) == 1
    assert len(many.posted) == 3 and many.posted_others == 3
    assert len(many.asked) == 3
