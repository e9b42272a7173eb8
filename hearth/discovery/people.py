"""People you may know, people you haven't talked with in a while, and people search.

Every list here leaves out the viewer, deactivated accounts, and anyone
blocked either way; suggestions and reconnecting also leave out people the
viewer mutes. Reasons are in words and only ever name what the viewer can
see already: a community is named only when the viewer is an active member
of it (so a private community is named to its members alone), and friends
in common are a count, never names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import timezone

from hearth.accounts.models import Block, Follow, Mute, User
from hearth.communities.models import Membership
from hearth.messaging.models import Message, Participant
from hearth.posts.models import Audience, Post, PostTag

SUGGESTIONS = 12
# How many candidates each source contributes before scoring: bounds the work
# for someone who follows thousands.
CANDIDATES_PER_SOURCE = 200
QUIET_DAYS = 60
RECONNECT = 8
SEARCH_PAGE = 20
MAX_SEARCH = 100


@dataclass
class Suggestion:
    person: User
    reasons: list[str] = field(default_factory=list)
    score: int = 0


@dataclass(frozen=True)
class Quiet:
    person: User
    last_contact: datetime


def _hidden_ids(me: User, *, muted: bool) -> set[int]:
    """People never to show `me`: blocked either way and, if `muted`, those `me` mutes."""
    pairs = Block.objects.filter(Q(blocker=me) | Q(blocked=me)).values_list(
        "blocker_id", "blocked_id"
    )
    hidden = {pk for pair in pairs for pk in pair}
    if muted:
        hidden |= set(Mute.objects.filter(muter=me).values_list("muted_id", flat=True))
    hidden.add(me.pk)
    return hidden


def _active_memberships() -> QuerySet[Membership]:
    now = timezone.now()
    return Membership.objects.filter(state=Membership.State.ACTIVE).exclude(banned_until__gt=now)


def people_suggested(*, viewer: User, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """People `viewer` may know, best first, each with its reasons in words.

    Sources: friends of friends (people followed by people the viewer
    follows: "3 friends in common"), communities both are active members of
    ("you're both in Plot & Patch"), and people who follow the viewer
    ("follows you"). Leaves out anyone the viewer follows or asked to
    follow, blocks either way, mutes, deactivated accounts and the viewer.
    """
    hidden = _hidden_ids(viewer, muted=True)
    hidden |= set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    accepted = Follow.objects.filter(state=Follow.State.ACCEPTED)
    my_followees = accepted.filter(follower=viewer).values("followee_id")

    friends = dict(
        accepted.filter(follower_id__in=my_followees)
        .exclude(followee_id__in=hidden)
        .values("followee_id")
        .annotate(n=Count("follower_id", distinct=True))
        .order_by("-n")
        .values_list("followee_id", "n")[:CANDIDATES_PER_SOURCE]
    )
    shared: dict[int, list[str]] = defaultdict(list)
    my_communities = _active_memberships().filter(user=viewer).values("community_id")
    for user_id, name in (
        _active_memberships()
        .filter(community_id__in=my_communities)
        .exclude(user_id__in=hidden)
        .order_by("-joined_at")
        .values_list("user_id", "community__name")[: CANDIDATES_PER_SOURCE * 3]
    ):
        shared[user_id].append(name)
    followers = set(
        accepted.filter(followee=viewer)
        .exclude(follower_id__in=hidden)
        .order_by("-created_at")
        .values_list("follower_id", flat=True)[:CANDIDATES_PER_SOURCE]
    )

    ids = set(friends) | set(shared) | followers
    people = User.objects.filter(pk__in=ids, is_active=True).in_bulk()
    found: list[Suggestion] = []
    for pk, person in people.items():
        item = Suggestion(person)
        if pk in followers:
            item.reasons.append("follows you")
            item.score += 3
        if pk in friends:
            n = friends[pk]
            item.reasons.append(f"{n} friend{'s' if n != 1 else ''} in common")
            item.score += 2 * n
        if pk in shared:
            names = sorted(set(shared[pk]))
            item.reasons.append("you're both in " + _and(names))
            item.score += len(names)
        found.append(item)
    found.sort(key=lambda s: (-s.score, s.person.username.lower()))
    return found[:limit]


def _and(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def people_quiet(
    *, viewer: User, now: datetime | None = None, days: int = QUIET_DAYS, limit: int = RECONNECT
) -> list[Quiet]:
    """People `viewer` used to exchange with, then nothing for `days` days; most recent first.

    An exchange goes both ways: each has replied to the other, or each has
    written to the other in a one-to-one conversation (groups do not
    count). Leaves out people blocked either way or muted, and deactivated
    accounts.
    """
    now = now or timezone.now()
    hidden = _hidden_ids(viewer, muted=True)
    sent: dict[int, datetime] = {}
    received: dict[int, datetime] = {}

    def keep(into: dict[int, datetime], pk: int, at: datetime | None) -> None:
        if at is not None and pk not in hidden and (pk not in into or into[pk] < at):
            into[pk] = at

    live = Post.objects.live()
    for pk, at in (
        live.filter(author=viewer, in_reply_to__isnull=False)
        .values("in_reply_to__author_id")
        .annotate(last=Max("created_at"))
        .values_list("in_reply_to__author_id", "last")
    ):
        keep(sent, pk, at)
    for pk, at in (
        live.filter(in_reply_to__author=viewer)
        .values("author_id")
        .annotate(last=Max("created_at"))
        .values_list("author_id", "last")
    ):
        keep(received, pk, at)

    mine = Participant.objects.filter(user=viewer, conversation__is_group=False).values(
        "conversation_id"
    )
    partner: dict[int, int] = dict(
        Participant.objects.filter(conversation_id__in=mine)
        .exclude(user=viewer)
        .values_list("conversation_id", "user_id")
    )
    for conversation_id, sender_id, at in (
        Message.objects.filter(conversation_id__in=mine)
        .values("conversation_id", "sender_id")
        .annotate(last=Max("created_at"))
        .values_list("conversation_id", "sender_id", "last")
    ):
        other = partner.get(conversation_id)
        if other is None:
            continue
        keep(sent if sender_id == viewer.pk else received, other, at)

    cutoff = now - timedelta(days=days)
    last = {pk: max(sent[pk], received[pk]) for pk in sent.keys() & received.keys()}
    quiet = sorted(
        ((pk, at) for pk, at in last.items() if at < cutoff), key=lambda item: item[1], reverse=True
    )[: limit * 2]
    people = User.objects.filter(pk__in=[pk for pk, _ in quiet], is_active=True).in_bulk()
    return [Quiet(people[pk], at) for pk, at in quiet if pk in people][:limit]


@dataclass(frozen=True)
class SearchPage:
    people: Sequence[User]
    tags: list[str]
    next_page: int | None


def search(*, viewer: User | None, q: str, page: int = 1) -> SearchPage:
    """People whose display name or username contains `q`, and hashtags that start with it.

    Exact username first, then usernames that start with `q`, then the
    rest by username; SEARCH_PAGE a page. Leaves out deactivated accounts
    and, for a signed-in viewer, anyone blocked either way. Hashtags come
    from live public posts outside private communities, on the first page
    only. A query is cut to 100 characters; a leading @ or # is ignored.
    """
    q = q.strip()[:MAX_SEARCH]
    term = q.lstrip("@#").strip()
    if not term:
        return SearchPage([], [], None)
    page = max(page, 1)
    people = User.objects.filter(
        Q(username__icontains=term) | Q(display_name__icontains=term), is_active=True
    )
    if viewer is not None:
        hidden = _hidden_ids(viewer, muted=False) - {viewer.pk}
        people = people.exclude(pk__in=hidden)
    ranked = people.annotate(
        rank=Case(
            When(username__iexact=term, then=Value(0)),
            When(username__istartswith=term, then=Value(1)),
            When(display_name__istartswith=term, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "username", "pk")
    start = (page - 1) * SEARCH_PAGE
    rows = list(ranked[start : start + SEARCH_PAGE + 1])
    tags: list[str] = []
    if page == 1 and not q.startswith("@"):
        tags = list(
            PostTag.objects.filter(
                tag__startswith=term.lower(),
                post__deleted_at__isnull=True,
                post__removed_at__isnull=True,
                post__audience=Audience.PUBLIC,
            )
            .exclude(post__community__visibility="private")
            .values_list("tag", flat=True)
            .distinct()
            .order_by("tag")[:10]
        )
    return SearchPage(rows[:SEARCH_PAGE], tags, page + 1 if len(rows) > SEARCH_PAGE else None)
