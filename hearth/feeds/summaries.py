"""Summaries in words: held notifications, "since your last visit", the weekly reflection.

Plain sentences, never a score: names of people first, then what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from hearth.accounts.models import Block, Follow, Mute, User
from hearth.feeds.models import FeedEntry, Notification
from hearth.feeds.selectors import UNREAD_SHOWN_UP_TO
from hearth.gatherings.models import Gathering
from hearth.gatherings.selectors import gatherings_attended, gatherings_soon
from hearth.kindness.models import ThankYouNote
from hearth.messaging.models import Message, Participant
from hearth.posts.models import Post, Reaction
from hearth.support.models import SupportRequest
from hearth.wellbeing.quiet import Hold

# Notifications whose "actor" is not who the reader should think of.
IMPERSONAL = frozenset({"gathering_suggestion", "support_checkin", "worried"})
NAMES_SHOWN = 3


def _clock(moment: datetime | None) -> str:
    """A time of day in the zone the moment was made in (the person's own)."""
    return moment.strftime("%H:%M") if moment else ""


def waiting_for(hold: Hold) -> str:
    if hold.reason == "quiet":
        return f"the end of your quiet hours at {_clock(hold.release_at)}"
    if hold.reason == "daily":
        return f"your daily summary at {_clock(hold.release_at)}"
    if hold.reason == "weekly" and hold.release_at:
        return f"your weekly summary on {hold.release_at:%A} at {_clock(hold.release_at)}"
    return ""


def held_text(hold: Hold, count: int) -> str:
    if not count:
        return ""
    many = "99+" if count > UNREAD_SHOWN_UP_TO else str(count)
    noun = "notification is" if count == 1 else "notifications are"
    return f"{many} {noun} waiting for {waiting_for(hold)}."


def summary_title(hold: Hold) -> str:
    if hold.reason == "quiet":
        return (
            f"While your quiet hours were on ({_clock(hold.summary_from)} "
            f"to {_clock(hold.summary_to)})"
        )
    if hold.reason == "weekly":
        return "Your weekly summary"
    return "Your daily summary"


def _names(people: list[str]) -> str:
    shown = people[:NAMES_SHOWN]
    rest = len(people) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} other{'s' if rest > 1 else ''}"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def summary_lines(notifications: list[Notification]) -> list[str]:
    """One plain sentence per kind: "Ana, Ben and 2 others replied to your post"."""
    by_kind: dict[str, list[str]] = {}
    for n in notifications:
        names = by_kind.setdefault(n.kind, [])
        if n.actor.name not in names:
            names.append(n.actor.name)
    lines = []
    for kind, people in by_kind.items():
        label = Notification.Kind(kind).label
        if kind in IMPERSONAL:
            lines.append(label[0].upper() + label[1:])
        else:
            lines.append(f"{_names(people)} {label}")
    return lines


# --- "Since your last visit", above the home feed ------------------------------

VISIT_ENTRIES_READ = 100
SUPPORT_CANDIDATES = 20
COMING_UP_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class VisitSummary:
    """Who posted since the caught-up line, who asked for support, what is coming up."""

    posted: list[User] = field(default_factory=list)
    posted_others: int = 0
    asked: list[SupportRequest] = field(default_factory=list)
    coming_up: list[Gathering] = field(default_factory=list)

    @property
    def posted_text(self) -> str:
        names = [p.name for p in self.posted]
        if not names:
            return ""
        if self.posted_others:
            rest = self.posted_others
            return ", ".join(names) + f" and {rest} other{'s' if rest > 1 else ''} posted"
        return _names(names) + " posted"

    def __bool__(self) -> bool:
        return bool(self.posted or self.asked or self.coming_up)


def _silenced_ids(viewer: User) -> set[int]:
    """People the viewer mutes or blocks, or who block the viewer (one query)."""
    return set(
        User.objects.filter(
            Q(pk__in=Mute.objects.filter(muter=viewer).values("muted"))
            | Q(pk__in=Block.objects.filter(blocker=viewer).values("blocked"))
            | Q(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        ).values_list("pk", flat=True)
    )


def since_last_visit(*, viewer: User, line: int, since: datetime) -> VisitSummary:
    """The summary above the home feed, for posts newer than `line` (the caught-up line).

    Only what the viewer may see: posts re-checked against the audience
    rules, support requests through the same rules, gatherings they host or
    answered. Six small queries whatever the number of new posts (the
    newest VISIT_ENTRIES_READ entries are read; support requests are those
    of people the viewer follows).
    """
    silenced = _silenced_ids(viewer)
    new_ids = list(
        FeedEntry.objects.filter(owner=viewer, post_id__gt=line)
        .exclude(author__in=silenced)
        .order_by("-post_id")
        .values_list("post_id", flat=True)[:VISIT_ENTRIES_READ]
    )
    # Requests of people the viewer follows; the audience rules are then
    # applied once, to those few posts and the new feed entries together
    # (building the audience query is itself the costly part).
    candidates = list(
        SupportRequest.objects.filter(
            created_at__gt=since,
            state=SupportRequest.State.OPEN,
            asker__in=Follow.objects.filter(follower=viewer, state=Follow.State.ACCEPTED).values(
                "followee"
            ),
        )
        .exclude(asker__in=silenced)
        .select_related("asker")
        .order_by("-created_at")[:SUPPORT_CANDIDATES]
    )
    readable = dict(
        Post.objects.visible_to(viewer)
        .filter(pk__in=[*new_ids, *(r.pk for r in candidates)])
        .order_by("-id")
        .values_list("pk", "author_id")
    )
    authors: list[int] = []
    for post_id in sorted(set(new_ids) & set(readable), reverse=True):
        author_id = readable[post_id]
        if author_id != viewer.pk and author_id not in authors:
            authors.append(author_id)
    people = User.objects.in_bulk(authors[:NAMES_SHOWN])
    asked = [r for r in candidates if r.pk in readable][:NAMES_SHOWN]
    return VisitSummary(
        posted=[people[i] for i in authors[:NAMES_SHOWN] if i in people],
        posted_others=max(len(authors) - NAMES_SHOWN, 0),
        asked=asked,
        coming_up=gatherings_soon(user=viewer, within=COMING_UP_WITHIN),
    )


# --- The weekly reflection -----------------------------------------------------

REFLECTION_DAYS = 7
REFLECTION_PEOPLE = 12


@dataclass(frozen=True)
class Connection:
    person: User
    ways: list[str]


@dataclass(frozen=True)
class Reflection:
    """A week looked back on, in words: people, thanks, support, gatherings. No numbers."""

    start: datetime
    end: datetime
    connections: list[Connection]
    thanks: list[ThankYouNote]
    supported: list[User]
    gathered: list[Gathering]

    def __bool__(self) -> bool:
        return bool(self.connections or self.thanks or self.supported or self.gathered)


def weekly_reflection(*, user: User, now: datetime) -> Reflection:
    """The last REFLECTION_DAYS days of `user`'s connections; only they ever see it.

    Connected: replies either way (replies to `user` only if they may read
    them), conversations where both wrote, and responses to their posts.
    Support given: replies to support requests. People muted or blocked
    either way are left out.
    """
    start = now - timedelta(days=REFLECTION_DAYS)
    silenced = _silenced_ids(user)
    ways: dict[int, list[str]] = {}

    def add(person_id: int, way: str) -> None:
        if person_id != user.pk and person_id not in silenced:
            found = ways.setdefault(person_id, [])
            if way not in found:
                found.append(way)

    week_posts = Post.objects.live().filter(created_at__gt=start, created_at__lte=now)
    # Only replies `user` may read: a reply for the author's close circle, or
    # in a private community `user` has left or was banned from, must not
    # be told to exist by name.
    for author_id in (
        Post.objects.visible_to(user)
        .filter(created_at__gt=start, created_at__lte=now, in_reply_to__author=user)
        .values_list("author_id", flat=True)
    ):
        add(author_id, "replied to you")
    for author_id in week_posts.filter(author=user, in_reply_to__isnull=False).values_list(
        "in_reply_to__author_id", flat=True
    ):
        add(author_id, "you replied to them")
    mine = Participant.objects.filter(user=user).values("conversation_id")
    wrote = Message.objects.filter(
        conversation_id__in=mine, created_at__gt=start, created_at__lte=now
    )
    my_conversations = set(wrote.filter(sender=user).values_list("conversation_id", flat=True))
    for sender_id, conversation_id in wrote.exclude(sender=user).values_list(
        "sender_id", "conversation_id"
    ):
        add(sender_id, "you talked" if conversation_id in my_conversations else "wrote to you")
    for person_id in Reaction.objects.filter(
        post__author=user, created_at__gt=start, created_at__lte=now
    ).values_list("user_id", flat=True):
        add(person_id, "responded to your posts")
    for found in ways.values():
        if "replied to you" in found and "you replied to them" in found:
            found.remove("you replied to them")
            found[found.index("replied to you")] = "replied to each other"
    # Most ways of connecting first: a conversation both ways before a single response.
    order = sorted(ways, key=lambda pk: -len(ways[pk]))[:REFLECTION_PEOPLE]
    people = User.objects.in_bulk(order)
    supported_ids = list(
        dict.fromkeys(
            week_posts.filter(author=user, in_reply_to__support_request__isnull=False)
            .exclude(in_reply_to__author=user)
            .values_list("in_reply_to__author_id", flat=True)
        )
    )
    supported = User.objects.in_bulk(supported_ids)
    return Reflection(
        start=start,
        end=now,
        connections=[Connection(people[pk], ways[pk]) for pk in order if pk in people],
        thanks=list(
            ThankYouNote.objects.filter(recipient=user, created_at__gt=start, created_at__lte=now)
            .exclude(sender__in=silenced)
            .select_related("sender")
            .order_by("-id")[:REFLECTION_PEOPLE]
        ),
        supported=[supported[pk] for pk in supported_ids if pk in supported],
        gathered=gatherings_attended(user=user, start=start, end=now),
    )
