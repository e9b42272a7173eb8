"""Reading communities. What a viewer may do in one is decided here, once.

`standing_get` answers every permission question (read, post, reply, react,
report, moderate, see the log, see the member list) for one viewer and one
community; pages, services and the posts extension point all ask it, so the
permissions table in tests/test_permissions.py covers every path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.selectors import Viewer, as_user
from hearth.communities.models import (
    Community,
    LogEntry,
    Membership,
    MentorRequest,
    Pin,
    Report,
    Rule,
)
from hearth.core.pagination import Page, paginate
from hearth.kindness.filters import keyword_filters_active
from hearth.kindness.models import KeywordFilter
from hearth.posts.models import Post
from hearth.posts.selectors import posts_by_ids

M = TypeVar("M")
T = TypeVar("T", bound=Model)
MEMBERS_PER_PAGE = 50
QUEUE_PER_PAGE = 20
BROWSE_PER_PAGE = 30


@dataclass(frozen=True)
class NumberedPage(Generic[M]):
    """One page of a list sorted by something other than time (`?page=N`, from 1).

    Offsets are fine here: these lists are a community's members or its
    queues, or the communities of one server, never a feed.
    """

    items: Sequence[M]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.has_next else None

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    def __iter__(self) -> Iterator[M]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_number(raw: str | None) -> int:
    """`?page=` as a page number from 1; junk or out-of-range reads as 1."""
    if raw and raw.isdigit() and len(raw) <= 6 and int(raw) >= 1:
        return int(raw)
    return 1


def paged(queryset: QuerySet[T], *, page: int, per_page: int) -> NumberedPage[T]:
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return NumberedPage(rows[:per_page], page, len(rows) > per_page)


@dataclass(frozen=True)
class Standing:
    """Where one viewer stands in one community, and so what they may do there."""

    community: Community
    membership: Membership | None
    signed_in: bool

    @property
    def role(self) -> str:
        """logged_out, non_member, pending, banned, muted, member, mentor, moderator or owner."""
        m = self.membership
        if not self.signed_in:
            return "logged_out"
        if m is None:
            return "non_member"
        if m.is_banned:
            return "banned"
        if m.state == Membership.State.PENDING:
            return "pending"
        if m.is_muted and m.role in (Membership.Role.MEMBER, Membership.Role.MENTOR):
            return "muted"
        return str(m.role)

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active

    @property
    def can_read(self) -> bool:
        return not self.community.is_private or self.is_member

    @property
    def can_post(self) -> bool:
        return self.is_member and not self._muted

    can_reply = can_post

    @property
    def can_react(self) -> bool:
        return self.is_member

    @property
    def can_report(self) -> bool:
        return self.is_member

    @property
    def can_moderate(self) -> bool:
        return self.membership is not None and self.membership.moderates

    @property
    def is_owner(self) -> bool:
        return self.is_member and self.role == "owner"

    @property
    def is_mentor(self) -> bool:
        return self.is_member and self.role == "mentor"

    @property
    def can_see_log(self) -> bool:
        """A public community's log is public; a private one's is for members."""
        return self.can_read

    @property
    def can_see_members(self) -> bool:
        return self.is_member

    @property
    def can_join(self) -> bool:
        return self.signed_in and self.membership is None

    @property
    def needs_rules(self) -> bool:
        """A member who has not yet acknowledged the rules is asked to before posting."""
        return self.is_member and self.membership is not None and not self.rules_accepted

    @property
    def rules_accepted(self) -> bool:
        return self.membership is not None and self.membership.rules_accepted_at is not None

    @property
    def is_newcomer(self) -> bool:
        return self.is_member and self.membership is not None and self.membership.is_newcomer

    @property
    def _muted(self) -> bool:
        m = self.membership
        return m is not None and m.is_muted and not m.moderates


def community_get(*, slug: str) -> Community:
    """The community at /c/<slug> (any letter case); Http404 if there is none.

    Every community's name, description, who it is for, topics and rules are
    public, private ones included (that is how people find them); its posts,
    members and log are not (see Standing).
    """
    community = Community.objects.annotate(lslug=Lower("slug")).filter(lslug=slug.lower()).first()
    if community is None:
        raise Http404("No such community.")
    return community


def standing_get(*, viewer: Viewer, community: Community) -> Standing:
    user = as_user(viewer)
    membership = Membership.objects.filter(community=community, user=user).first() if user else None
    return Standing(community=community, membership=membership, signed_in=user is not None)


def community_get_readable(*, viewer: Viewer, slug: str) -> tuple[Community, Standing]:
    """A community whose content the viewer may read; Http404 otherwise (as if missing)."""
    community = community_get(slug=slug)
    standing = standing_get(viewer=viewer, community=community)
    if not standing.can_read:
        raise Http404("No such community.")
    return community, standing


def community_post_get(*, viewer: Viewer, community: Community, post_id: int) -> Post:
    """A post of `community` the viewer may see; Http404 for missing or hidden alike."""
    post = (
        Post.objects.visible_to(viewer)
        .filter(pk=post_id, community=community)
        .select_related("author", "community")
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def community_post_for_moderation(*, community: Community, post_id: int) -> Post:
    """A post in `community`, removed or not, for its moderators (the caller checked the role)."""
    post = (
        Post.objects.live()
        .filter(pk=post_id, community=community)
        .select_related("author", "community")
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    return post


def community_posts(
    *, viewer: Viewer, community: Community, max_id: int | None, limit: int = 20
) -> tuple[list[Post], list[Post], int | None]:
    """Pinned posts (first page only), then the community's threads newest first.

    Returns (pinned, posts, next_max_id). The caller checked `can_read`. The
    viewer's keyword filters for communities hide or mark posts.
    """
    visible = Post.objects.visible_to(viewer).filter(community=community, in_reply_to__isnull=True)
    pinned_ids: list[int] = []
    if max_id is None:
        pinned_ids = list(
            visible.filter(pk__in=Pin.objects.filter(community=community).values("post"))
            .order_by("-id")
            .values_list("id", flat=True)
        )
    page: Page[Post] = paginate(
        visible.exclude(pk__in=pinned_ids).only("id"), max_id=max_id, limit=limit
    )
    screen = keyword_filters_active(
        viewer=as_user(viewer), context=KeywordFilter.Context.COMMUNITIES
    )
    pinned = screen.apply(posts_by_ids(pinned_ids, viewer))
    posts = screen.apply(posts_by_ids([p.pk for p in page.items], viewer))
    return pinned, posts, page.next_max_id


def pinned_ids(*, community: Community) -> set[int]:
    return set(Pin.objects.filter(community=community).values_list("post_id", flat=True))


def community_rules_list(*, community: Community) -> list[Rule]:
    return list(community.rules.all())


ROLE_ORDER = Case(
    When(role=Membership.Role.OWNER, then=Value(0)),
    When(role=Membership.Role.MODERATOR, then=Value(1)),
    When(role=Membership.Role.MENTOR, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _active_members(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=Membership.State.ACTIVE)
        .exclude(banned_until__gt=timezone.now())
        .select_related("user")
        .order_by(ROLE_ORDER, Lower("user__username"), "user_id")
    )


def community_members(*, community: Community, page: int = 1) -> NumberedPage[Membership]:
    """Active members, owner and moderators first, then mentors, then by username; paged."""
    return paged(_active_members(community), page=page, per_page=MEMBERS_PER_PAGE)


def community_staff(*, community: Community, roles: Sequence[str]) -> list[Membership]:
    """Active members holding one of `roles` (the moderators, the mentors), in member order."""
    return list(_active_members(community).filter(role__in=roles))


def member_get(*, community: Community, user_id: int) -> Membership:
    """An active member of `community` (for the owner's pages); Http404 for anyone else."""
    membership = (
        Membership.objects.filter(community=community, user_id=user_id, state="active")
        .exclude(banned_until__gt=timezone.now())
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("That person is not a member of this community.")
    return membership


def restricted_members(*, community: Community) -> list[Membership]:
    """Members under a mute or ban now, for moderators."""
    now = timezone.now()
    return list(
        Membership.objects.filter(community=community)
        .filter(Q(banned_until__gt=now) | Q(muted_until__gt=now))
        .select_related("user")
        .order_by("user__username")
    )


def join_requests(*, community: Community, page: int = 1) -> NumberedPage[Membership]:
    """Requests to join, oldest first (the longest waiting at the top); paged."""
    return paged(
        Membership.objects.filter(community=community, state=Membership.State.PENDING)
        .exclude(banned_until__gt=timezone.now())
        .select_related("user")
        .order_by("created_at", "pk"),
        page=page,
        per_page=QUEUE_PER_PAGE,
    )


def open_reports(*, community: Community, page: int = 1) -> NumberedPage[Report]:
    """Open reports, oldest first; paged."""
    return paged(
        Report.objects.filter(community=community, state=Report.State.OPEN)
        .select_related("reporter", "post__author")
        .order_by("created_at", "pk"),
        page=page,
        per_page=QUEUE_PER_PAGE,
    )


def moderation_log(*, community: Community, max_id: int | None) -> Page[LogEntry]:
    return paginate(
        LogEntry.objects.filter(community=community).select_related("actor", "target_user", "post"),
        max_id=max_id,
        limit=50,
    )


def mentor_requests_open(*, community: Community, page: int = 1) -> NumberedPage[MentorRequest]:
    """Requests waiting for a mentor, oldest first; paged."""
    return paged(
        MentorRequest.objects.filter(community=community, state=MentorRequest.State.OPEN)
        .select_related("mentee")
        .order_by("created_at", "pk"),
        page=page,
        per_page=QUEUE_PER_PAGE,
    )


def mentorships_of(*, user: User) -> list[MentorRequest]:
    """Someone's own mentoring: as mentee (any state but withdrawn) and as mentor."""
    return list(
        MentorRequest.objects.filter(Q(mentee=user) | Q(mentor=user))
        .exclude(state=MentorRequest.State.WITHDRAWN)
        .select_related("community", "mentee", "mentor")
        .order_by("-created_at")
    )


def communities_of(*, user: User) -> list[Membership]:
    """The communities someone belongs to (or asked to join), for their own lists."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(banned_until__gt=timezone.now())
        .select_related("community")
        .order_by(Lower("community__name"))
    )


def communities_browse(*, q: str = "", kind: str = "", topic: str = "") -> QuerySet[Community]:
    """Every community, searchable by name/description, kind and topic.

    Private communities are listed too, with what they say about themselves
    in public (name, description, who it is for, topics).
    """
    found = Community.objects.all()
    if q:
        found = found.filter(
            Q(name__icontains=q)
            | Q(slug__icontains=q)
            | Q(description__icontains=q)
            | Q(who_for__icontains=q)
            | Q(topics__icontains=q)
        )
    if kind:
        found = found.filter(kind=kind)
    if topic:
        found = found.filter(topics__icontains=topic.lower())
    return found.order_by(Lower("name"), "id")


def readable_private_ids(viewer: User) -> QuerySet[Membership, int]:
    """Ids of the private communities `viewer` belongs to (and is not banned from)."""
    return (
        Membership.objects.filter(
            user=viewer,
            state=Membership.State.ACTIVE,
            community__visibility=Community.Visibility.PRIVATE,
        )
        .exclude(banned_until__gt=timezone.now())
        .values_list("community_id", flat=True)
    )
