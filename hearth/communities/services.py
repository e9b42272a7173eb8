"""Changing communities: creating them, joining, roles, moderation, mentoring.

Every moderator action writes exactly one LogEntry in the same transaction as
the change it records, and none when it changes nothing (pinning a pinned
post, say), so a repeated request never doubles the log. Who may act is
asked of `selectors.standing_get`; a refusal raises PermissionError (views
answer 403) and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from hearth.accounts.models import Block, User
from hearth.communities.events import (
    CommunityChanged,
    JoinDecided,
    MemberRestricted,
    MembershipLeft,
    MentorshipEnded,
    MentorshipStarted,
    PostRemoved,
    RoleChanged,
)
from hearth.communities.models import (
    FOR_GOOD,
    Community,
    LogEntry,
    Membership,
    MentorRequest,
    Pin,
    Report,
    Rule,
    invite_code,
)
from hearth.communities.selectors import Standing, standing_get
from hearth.core.events import emit
from hearth.core.images import ImageRejected, process_image
from hearth.posts.models import Post

RESERVED_SLUGS = frozenset(
    {"new", "find", "admin", "api", "settings", "communities", "mine", "mentoring", "search"}
)
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
MAX_RULES = 15
MAX_TOPICS = 10
MAX_RESTRICTION_DAYS = 3650
# A mute or ban repeated with the same reason and an end this close to the one
# in force is the same decision sent twice (a double submit): nothing changes.
SAME_RESTRICTION = timedelta(hours=1)
SETTING_LABELS = {
    "name": "name",
    "description": "description",
    "who_for": "who it is for",
    "topics": "topics",
    "kind": "kind",
    "join_policy": "who can join",
    "join_question": "question for people asking to join",
    "icon": "picture",
}


class CommunityError(ValueError):
    """Bad input, in words for people; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _log(
    community: Community,
    actor: User,
    action: str,
    *,
    target: User | None = None,
    post: Post | None = None,
    reason: str = "",
    detail: str = "",
    until: datetime | None = None,
) -> LogEntry:
    return LogEntry.objects.create(
        community=community,
        actor=actor,
        action=action,
        target_user=target,
        post=post,
        reason=reason[:500],
        detail=detail[:200],
        until=until,
    )


def _require(standing: Standing, allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionError(f"You can't {what} in {standing.community.name}.")


def _moderator(community: Community, actor: User) -> Standing:
    standing = standing_get(viewer=actor, community=community)
    _require(standing, standing.can_moderate, "moderate")
    return standing


def _owner(community: Community, actor: User) -> Standing:
    standing = standing_get(viewer=actor, community=community)
    if not standing.is_owner:
        raise PermissionError("Only the owner can do that.")
    return standing


# --- creating and describing ------------------------------------------------


def clean_topics(raw: str) -> str:
    """ "Grief, Loss,  #parents" -> "grief,loss,parents" (deduplicated, in order)."""
    seen: list[str] = []
    for part in raw.split(","):
        topic = part.strip().lstrip("#").strip().lower()
        if topic and topic not in seen:
            if len(topic) > 40:
                raise CommunityError("Each topic can be up to 40 characters.", "topics")
            seen.append(topic)
    if len(seen) > MAX_TOPICS:
        raise CommunityError(f"Choose up to {MAX_TOPICS} topics.", "topics")
    return ",".join(seen)


def clean_rules(rules: Sequence[str]) -> list[str]:
    cleaned = [r.strip() for r in rules if r.strip()]
    if not cleaned:
        raise CommunityError("Write at least one rule, so members know the norms.", "rules")
    if len(cleaned) > MAX_RULES:
        raise CommunityError(f"A community can have up to {MAX_RULES} rules.", "rules")
    for rule in cleaned:
        if len(rule) > 200:
            raise CommunityError("Each rule can be up to 200 characters.", "rules")
    return cleaned


def slug_problem(slug: str, *, exclude: Community | None = None) -> str:
    """Why `slug` cannot be a community's address ("" if it can)."""
    if not SLUG_RE.match(slug):
        return (
            "Use 3 to 40 lower-case letters, digits and hyphens, "
            "starting and ending with a letter or digit."
        )
    if slug in RESERVED_SLUGS:
        return "That address is reserved. Please choose another."
    taken = Community.objects.annotate(lslug=Lower("slug")).filter(lslug=slug)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        return "Another community already has that address."
    return ""


def _set_icon(community: Community, icon: UploadedFile[bytes] | None, icon_alt: str) -> None:
    if icon is None:
        return
    try:
        processed = process_image(icon, max_side=512, square=True)
    except ImageRejected as exc:
        raise CommunityError(str(exc), "icon") from None
    community.icon.save(processed.name, processed.content, save=False)
    community.icon_alt = icon_alt.strip()[:300]


@transaction.atomic
def community_create(
    *,
    creator: User,
    name: str,
    slug: str,
    description: str,
    who_for: str,
    topics: str = "",
    kind: str = Community.Kind.INTEREST,
    visibility: str = Community.Visibility.PUBLIC,
    join_policy: str = Community.JoinPolicy.OPEN,
    join_question: str = "",
    rules: Sequence[str] = (),
    icon: UploadedFile[bytes] | None = None,
    icon_alt: str = "",
) -> Community:
    """Create a community with `creator` as its owner (who has accepted its rules).

    Raises CommunityError (with the field) for a bad, reserved or taken
    address, empty name/description/who-for, no rules, too many topics or
    rules, oversize text, an unknown kind/visibility/policy, or an unusable
    icon; nothing is saved then.
    """
    slug = slug.strip().lower()
    problem = slug_problem(slug)
    if problem:
        raise CommunityError(problem, "slug")
    name, description, who_for = name.strip(), description.strip(), who_for.strip()
    _check_text_fields(name=name, description=description, who_for=who_for)
    _check_choices(kind=kind, visibility=visibility, join_policy=join_policy)
    rule_texts = clean_rules(rules)
    community = Community(
        slug=slug,
        name=name,
        description=description,
        who_for=who_for,
        topics=clean_topics(topics),
        kind=kind,
        visibility=visibility,
        join_policy=join_policy,
        join_question=join_question.strip()[:300],
        created_by=creator,
    )
    _set_icon(community, icon, icon_alt)
    try:
        with transaction.atomic():
            community.save(force_insert=True)
    except IntegrityError:
        raise CommunityError("Another community already has that address.", "slug") from None
    Rule.objects.bulk_create(
        [Rule(community=community, position=i, title=t) for i, t in enumerate(rule_texts, 1)]
    )
    now = timezone.now()
    Membership.objects.create(
        community=community,
        user=creator,
        role=Membership.Role.OWNER,
        rules_accepted_at=now,
        joined_at=now,
    )
    emit(CommunityChanged(community_id=community.pk))
    return community


def _check_text_fields(*, name: str, description: str, who_for: str) -> None:
    if not name:
        raise CommunityError("Give the community a name.", "name")
    if len(name) > 80:
        raise CommunityError("A name can be up to 80 characters.", "name")
    if not description:
        raise CommunityError("Describe what the community is about.", "description")
    if len(description) > 2000:
        raise CommunityError("A description can be up to 2,000 characters.", "description")
    if not who_for:
        raise CommunityError("Say who the community is for.", "who_for")
    if len(who_for) > 1000:
        raise CommunityError("This can be up to 1,000 characters.", "who_for")


def _check_choices(*, kind: str, visibility: str, join_policy: str) -> None:
    if kind not in Community.Kind.values:
        raise CommunityError("Choose what kind of community this is.", "kind")
    if visibility not in Community.Visibility.values:
        raise CommunityError("Choose who can read the community.", "visibility")
    if join_policy not in Community.JoinPolicy.values:
        raise CommunityError("Choose who can join.", "join_policy")


@transaction.atomic
def community_update(
    *,
    community: Community,
    actor: User,
    name: str,
    description: str,
    who_for: str,
    topics: str,
    kind: str,
    join_policy: str,
    join_question: str,
    rules: Sequence[str],
    icon: UploadedFile[bytes] | None = None,
    icon_alt: str = "",
) -> Community:
    """Change a community's description, policy and rules (owner and moderators).

    Visibility is fixed at creation: making a private community public would
    publish what its members wrote for each other. Changed settings are
    logged once (one entry naming what changed), changed rules once more
    (members accept the new rules before their next post); saving the same
    values again logs nothing.
    """
    _moderator(community, actor)
    name, description, who_for = name.strip(), description.strip(), who_for.strip()
    _check_text_fields(name=name, description=description, who_for=who_for)
    _check_choices(kind=kind, visibility=community.visibility, join_policy=join_policy)
    rule_texts = clean_rules(rules)
    wanted = {
        "name": name,
        "description": description,
        "who_for": who_for,
        "topics": clean_topics(topics),
        "kind": kind,
        "join_policy": join_policy,
        "join_question": join_question.strip()[:300],
    }
    changed = [field for field, value in wanted.items() if getattr(community, field) != value]
    if icon is not None:
        changed.append("icon")
    elif community.icon and community.icon_alt != icon_alt.strip()[:300]:
        community.icon_alt = icon_alt.strip()[:300]
        changed.append("icon")
    _set_icon(community, icon, icon_alt)
    for field, value in wanted.items():
        setattr(community, field, value)
    if changed:
        community.save()
        _log(
            community,
            actor,
            LogEntry.Action.EDIT_SETTINGS,
            detail=", ".join(dict.fromkeys(SETTING_LABELS[f] for f in changed)),
        )
    if [r.title for r in community.rules.all()] != rule_texts:
        community.rules.all().delete()
        Rule.objects.bulk_create(
            [Rule(community=community, position=i, title=t) for i, t in enumerate(rule_texts, 1)]
        )
        Membership.objects.filter(community=community).exclude(user=actor).update(
            rules_accepted_at=None
        )
        _log(community, actor, LogEntry.Action.EDIT_RULES)
        changed.append("rules")
    if changed:
        emit(CommunityChanged(community_id=community.pk))
    return community


@transaction.atomic
def invite_code_reset(*, community: Community, actor: User, current: str | None = None) -> bool:
    """A new invite link; the old one stops working. Moderators only; logged once.

    `current` is the code the moderator saw: if it is no longer the code in
    force (a double submit, or another moderator was quicker) nothing
    changes and False is returned. The log never shows the code itself.
    """
    _moderator(community, actor)
    row = Community.objects.select_for_update().only("invite_code").get(pk=community.pk)
    if current is not None and current != row.invite_code:
        community.invite_code = row.invite_code
        return False
    community.invite_code = invite_code()
    community.save(update_fields=["invite_code"])
    _log(community, actor, LogEntry.Action.RESET_INVITE)
    return True


# --- joining and leaving ----------------------------------------------------


@transaction.atomic
def membership_join(
    *,
    community: Community,
    user: User,
    accept_rules: bool,
    answer: str = "",
    code: str = "",
) -> Membership:
    """Join (open, or with the invite code) or ask to join (by approval).

    The rules must be acknowledged. Raises CommunityError for unaccepted
    rules, a missing answer to the join question, a wrong or missing invite
    code, or someone already a member or asking; PermissionError for someone
    banned there. Returns the membership (state pending or active).
    """
    existing = Membership.objects.select_for_update().filter(community=community, user=user).first()
    if existing is not None:
        if existing.is_banned:
            raise PermissionError(f"You can't join {community.name}.")
        raise CommunityError(
            "You have already asked to join."
            if existing.state == Membership.State.PENDING
            else "You are already a member."
        )
    if not accept_rules:
        raise CommunityError("Please read the rules and tick the box to agree to them.", "rules")
    policy = community.join_policy
    if policy == Community.JoinPolicy.INVITE and code != community.invite_code:
        raise CommunityError(
            "This community can only be joined through an invite link from a member."
        )
    answer = answer.strip()
    if len(answer) > 1000:
        raise CommunityError("Your answer can be up to 1,000 characters.", "answer")
    approval = policy == Community.JoinPolicy.APPROVAL and code != community.invite_code
    if approval and community.join_question and not answer:
        raise CommunityError("Please answer the moderators' question.", "answer")
    now = timezone.now()
    return Membership.objects.create(
        community=community,
        user=user,
        state=Membership.State.PENDING if approval else Membership.State.ACTIVE,
        join_answer=answer if approval else "",
        rules_accepted_at=now,
        joined_at=None if approval else now,
    )


def rules_accept(*, community: Community, user: User) -> None:
    """Acknowledge the community's current rules (needed before posting after they change)."""
    Membership.objects.filter(community=community, user=user, state=Membership.State.ACTIVE).update(
        rules_accepted_at=timezone.now()
    )


@transaction.atomic
def membership_leave(*, community: Community, user: User) -> None:
    """Leave a community, or withdraw a request to join. The owner must hand over first.

    A banned person's row stays, so leaving does not lift a ban. Open
    mentoring asked for there is withdrawn.
    """
    membership = Membership.objects.filter(community=community, user=user).first()
    if membership is None or membership.is_banned:
        return
    if membership.role == Membership.Role.OWNER:
        raise CommunityError("Hand over ownership to another member before leaving.")
    was_member = membership.state == Membership.State.ACTIVE
    membership.delete()
    MentorRequest.objects.filter(
        community=community, mentee=user, state=MentorRequest.State.OPEN
    ).update(state=MentorRequest.State.WITHDRAWN, ended_at=timezone.now())
    if was_member:
        emit(MembershipLeft(community_id=community.pk, user_id=user.pk))


def home_feed_set(*, community: Community, user: User, home_feed: bool) -> None:
    """Choose whether the community's new posts reach your home feed or stay on its page."""
    Membership.objects.filter(community=community, user=user).update(home_feed=home_feed)


@transaction.atomic
def join_request_decide(
    *, community: Community, moderator: User, user_id: int, approve: bool
) -> Membership | None:
    """Approve or decline a request to join; logged once, the person is told.

    Raises PermissionError for someone who may not moderate, CommunityError
    if there is no such pending request (already decided, withdrawn).
    """
    _moderator(community, moderator)
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user_id=user_id, state=Membership.State.PENDING)
        # A banned person's request left the queue with the ban.
        .exclude(banned_until__gt=timezone.now())
        .select_related("user")
        .first()
    )
    if membership is None:
        raise CommunityError("That request has already been handled.")
    if approve:
        membership.state = Membership.State.ACTIVE
        membership.joined_at = timezone.now()
        membership.save(update_fields=["state", "joined_at"])
    else:
        membership.delete()
    _log(
        community,
        moderator,
        LogEntry.Action.APPROVE if approve else LogEntry.Action.DECLINE,
        target=membership.user,
    )
    emit(JoinDecided(community_id=community.pk, user_id=user_id, approved=approve))
    return membership if approve else None


# --- roles ------------------------------------------------------------------


def _member(community: Community, user_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None or membership.state != Membership.State.ACTIVE:
        raise CommunityError("That person is not a member of this community.")
    return membership


@transaction.atomic
def role_set(*, community: Community, actor: User, user_id: int, role: str) -> Membership:
    """The owner appoints or removes moderators and mentors.

    `role` is moderator, mentor or member. Raises PermissionError for anyone
    but the owner, CommunityError for an unknown role, a non-member, a banned
    member, a muted one (lift the mute first), or the owner themself (hand
    over ownership instead). Setting the role someone has logs nothing.
    """
    _owner(community, actor)
    if role not in (Membership.Role.MODERATOR, Membership.Role.MENTOR, Membership.Role.MEMBER):
        raise CommunityError("Choose moderator, mentor or member.", "role")
    membership = _member(community, user_id)
    if membership.role == Membership.Role.OWNER:
        raise CommunityError("To step down as owner, hand over ownership to another member.")
    if membership.is_banned:
        raise CommunityError("Lift the ban before giving this person a role.")
    if membership.role == role:
        return membership
    if membership.is_muted and role != Membership.Role.MEMBER:
        # Appointing would lift the mute without an entry of its own in the log.
        raise CommunityError("Lift the mute before giving this person a role.", "role")
    _role_change(community, actor, membership, role)
    membership.save(update_fields=["role"])
    emit(RoleChanged(community_id=community.pk, user_id=user_id, role=role))
    return membership


@transaction.atomic
def ownership_transfer(*, community: Community, actor: User, user_id: int) -> None:
    """Hand the community to another member; the old owner stays on as a moderator.

    Raises PermissionError for anyone but the owner (so a repeat after the
    handover changes nothing), CommunityError for a non-member, or someone
    banned or muted there. Logged once; emits RoleChanged.
    """
    standing = _owner(community, actor)
    membership = _member(community, user_id)
    if membership.user_id == actor.pk:
        return
    if membership.is_banned:
        raise CommunityError("Lift the ban before handing over ownership.")
    if membership.is_muted:
        raise CommunityError("Lift the mute before handing over ownership.")
    old = standing.membership
    assert old is not None
    Membership.objects.filter(pk=old.pk).update(role=Membership.Role.MODERATOR)
    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.OWNER)
    _log(community, actor, LogEntry.Action.TRANSFER, target=membership.user)
    emit(RoleChanged(community_id=community.pk, user_id=user_id, role=Membership.Role.OWNER))


# --- mutes and bans ---------------------------------------------------------


def restriction_until(days: int | None) -> datetime:
    """None means for good; otherwise 1 to 3,650 days from now."""
    if days is None:
        return FOR_GOOD
    if not 1 <= days <= MAX_RESTRICTION_DAYS:
        raise CommunityError("Choose from 1 to 3,650 days, or for good.", "days")
    return timezone.now() + timedelta(days=days)


def _restrictable(community: Community, actor: User, user_id: int) -> Membership:
    standing = _moderator(community, actor)
    membership = (
        Membership.objects.select_for_update()
        .filter(community=community, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise CommunityError("That person is not a member of this community.")
    if membership.user_id == actor.pk:
        raise CommunityError("You can't do that to yourself.")
    if membership.role == Membership.Role.OWNER:
        raise PermissionError("The owner can't be muted or banned.")
    if membership.role == Membership.Role.MODERATOR and not standing.is_owner:
        raise PermissionError("Only the owner can mute or ban a moderator.")
    return membership


def _same_restriction(
    current: datetime | None, until: datetime, reason: str, entry_reason: str
) -> bool:
    if current is None or current <= timezone.now() or reason != entry_reason:
        return False
    return abs(current - until) < SAME_RESTRICTION


def _last_reason(community: Community, user_id: int, action: str) -> str:
    entry = (
        LogEntry.objects.filter(community=community, target_user_id=user_id, action=action)
        .order_by("-id")
        .values_list("reason", flat=True)
        .first()
    )
    return entry or ""


def _step_down(community: Community, actor: User, membership: Membership) -> None:
    """A moderator or mentor restricted loses the role; that is logged as a role change."""
    if membership.role in (Membership.Role.MEMBER, Membership.Role.OWNER):
        return
    _role_change(community, actor, membership, Membership.Role.MEMBER)


def _role_change(community: Community, actor: User, membership: Membership, role: str) -> None:
    """Set `membership.role` (the caller saves) and log it as "old → new"."""
    old = membership.get_role_display()
    membership.role = role
    _log(
        community,
        actor,
        LogEntry.Action.APPOINT,
        target=membership.user,
        detail=f"{old} → {membership.get_role_display()}",
    )


@transaction.atomic
def member_mute(
    *, community: Community, moderator: User, user_id: int, days: int | None, reason: str
) -> Membership:
    """Stop a member posting and replying for `days` (None: for good). Logged once.

    A moderator muted (by the owner) steps down to member, logged as a role
    change of its own; a mentor stays a mentor. The same mute sent twice
    (same reason, an end within SAME_RESTRICTION) changes and logs nothing.
    Raises PermissionError for someone who may not moderate or a target
    they may not restrict, CommunityError for a bad duration, a missing
    reason or someone who is not a member.
    """
    membership = _restrictable(community, moderator, user_id)
    until = restriction_until(days)
    reason = _reason(reason)
    if _same_restriction(
        membership.muted_until, until, reason, _last_reason(community, user_id, "mute")
    ):
        return membership
    membership.muted_until = until
    if membership.role == Membership.Role.MODERATOR:
        _step_down(community, moderator, membership)
    membership.save(update_fields=["muted_until", "role"])
    entry = _log(
        community,
        moderator,
        LogEntry.Action.MUTE,
        target=membership.user,
        reason=reason,
        until=until,
    )
    emit(MemberRestricted(log_id=entry.pk))
    return membership


@transaction.atomic
def member_ban(
    *, community: Community, moderator: User, user_id: int, days: int | None, reason: str
) -> Membership:
    """Ban someone (a member or someone asking to join) for `days` or for good. Logged once.

    They can no longer take part, read a private community, or join again
    until it ends; their mentoring there ends. A moderator or mentor banned
    steps down to member, logged as a role change of its own. The same ban
    sent twice (same reason, an end within SAME_RESTRICTION) changes and
    logs nothing. Raises as member_mute does.
    """
    membership = _restrictable(community, moderator, user_id)
    until = restriction_until(days)
    reason = _reason(reason)
    if _same_restriction(
        membership.banned_until, until, reason, _last_reason(community, user_id, "ban")
    ):
        return membership
    membership.banned_until = until
    _step_down(community, moderator, membership)
    membership.save(update_fields=["banned_until", "role"])
    MentorRequest.objects.filter(
        community=community, state__in=[MentorRequest.State.OPEN, MentorRequest.State.ACTIVE]
    ).filter(mentee_id=user_id).update(state=MentorRequest.State.ENDED, ended_at=timezone.now())
    entry = _log(
        community,
        moderator,
        LogEntry.Action.BAN,
        target=membership.user,
        reason=reason,
        until=until,
    )
    emit(MemberRestricted(log_id=entry.pk))
    return membership


@transaction.atomic
def member_lift(*, community: Community, moderator: User, user_id: int, ban: bool) -> None:
    """Lift a ban (`ban`) or a mute early. Logged once; nothing happens if none is in force."""
    membership = _restrictable(community, moderator, user_id)
    if ban and membership.is_banned:
        membership.banned_until = None
        membership.save(update_fields=["banned_until"])
        _log(community, moderator, LogEntry.Action.UNBAN, target=membership.user)
    elif not ban and membership.is_muted:
        membership.muted_until = None
        membership.save(update_fields=["muted_until"])
        _log(community, moderator, LogEntry.Action.UNMUTE, target=membership.user)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise CommunityError("Give a reason; the person will be told.", "reason")
    if len(reason) > 500:
        raise CommunityError("A reason can be up to 500 characters.", "reason")
    return reason


# --- posts ------------------------------------------------------------------


@transaction.atomic
def post_remove(*, community: Community, moderator: User, post: Post, reason: str) -> bool:
    """Remove a post or reply from the community, with a reason its author is told.

    The post stays readable by its author alone, marked as removed with the
    reason. Open reports about it are closed as acted on. Returns False (and
    logs nothing) if it was already removed. Emits PostRemoved.
    """
    _moderator(community, moderator)
    if post.community_id != community.pk:
        raise CommunityError("That post is not in this community.")
    reason = _reason(reason)
    updated = Post.objects.filter(pk=post.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), removal_reason=reason
    )
    if not updated:
        return False
    Pin.objects.filter(community=community, post=post).delete()
    Report.objects.filter(post=post, state=Report.State.OPEN).update(
        state=Report.State.ACTED, resolved_at=timezone.now(), resolved_by=moderator
    )
    entry = _log(
        community,
        moderator,
        LogEntry.Action.REMOVE_POST,
        target=post.author,
        post=post,
        reason=reason,
    )
    emit(PostRemoved(post_id=post.pk, log_id=entry.pk))
    return True


@transaction.atomic
def thread_lock_set(*, community: Community, moderator: User, post: Post, locked: bool) -> bool:
    """Lock (no new replies) or unlock a thread; `post` is its first post. Logged once."""
    _moderator(community, moderator)
    if post.community_id != community.pk or post.in_reply_to_id is not None:
        raise CommunityError("Threads are locked from their first post.")
    value = timezone.now() if locked else None
    changed = Post.objects.filter(pk=post.pk, locked_at__isnull=locked).update(locked_at=value) > 0
    if changed:
        action = LogEntry.Action.LOCK_THREAD if locked else LogEntry.Action.UNLOCK_THREAD
        _log(community, moderator, action, target=post.author, post=post)
    return changed


@transaction.atomic
def post_pin_set(*, community: Community, moderator: User, post: Post, pinned: bool) -> bool:
    """Pin a thread to the top of the community page, or unpin it. Logged once."""
    _moderator(community, moderator)
    if post.community_id != community.pk or post.in_reply_to_id is not None:
        raise CommunityError("Only the first post of a thread can be pinned.")
    if post.is_removed:
        raise CommunityError("A removed post can't be pinned.")
    if pinned:
        _, changed = Pin.objects.get_or_create(community=community, post=post)
    else:
        changed = Pin.objects.filter(community=community, post=post).delete()[0] > 0
    if changed:
        _log(
            community,
            moderator,
            LogEntry.Action.PIN if pinned else LogEntry.Action.UNPIN,
            post=post,
        )
    return changed


def report_create(*, community: Community, reporter: User, post: Post, reason: str) -> Report:
    """Tell the community's moderators about a post or reply. Members only.

    A second report of the same post by the same person while the first is
    open changes nothing and returns the first.
    """
    standing = standing_get(viewer=reporter, community=community)
    _require(standing, standing.can_report, "report posts")
    if post.community_id != community.pk:
        raise CommunityError("That post is not in this community.")
    reason = reason.strip()
    if not reason:
        raise CommunityError("Say what is wrong, so the moderators can act.", "reason")
    if len(reason) > 1000:
        raise CommunityError("A report can be up to 1,000 characters.", "reason")
    existing = Report.objects.filter(post=post, reporter=reporter, state=Report.State.OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(
                community=community, post=post, reporter=reporter, reason=reason
            )
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter, state=Report.State.OPEN)


@transaction.atomic
def report_dismiss(*, community: Community, moderator: User, report_id: int) -> bool:
    """Close a report without acting on the post. Logged once."""
    _moderator(community, moderator)
    report = (
        Report.objects.filter(pk=report_id, community=community, state=Report.State.OPEN)
        .select_related("post")
        .first()
    )
    if report is None:
        return False
    report.state, report.resolved_at, report.resolved_by = (
        Report.State.DISMISSED,
        timezone.now(),
        moderator,
    )
    report.save(update_fields=["state", "resolved_at", "resolved_by"])
    _log(community, moderator, LogEntry.Action.DISMISS_REPORT, post=report.post)
    return True


# --- mentoring --------------------------------------------------------------


def mentor_request_create(
    *, community: Community, mentee: User, topic: str, hopes: str
) -> MentorRequest:
    """A member asks the community's mentors for a mentor. One open request per community."""
    standing = standing_get(viewer=mentee, community=community)
    _require(standing, standing.is_member, "ask for a mentor")
    topic, hopes = topic.strip(), hopes.strip()
    if not topic:
        raise CommunityError("Say what you would like mentoring in.", "topic")
    if len(topic) > 120:
        raise CommunityError("The topic can be up to 120 characters.", "topic")
    if not hopes:
        raise CommunityError("Say a little about what you hope for.", "hopes")
    if len(hopes) > 1000:
        raise CommunityError("This can be up to 1,000 characters.", "hopes")
    try:
        with transaction.atomic():
            return MentorRequest.objects.create(
                community=community, mentee=mentee, topic=topic, hopes=hopes
            )
    except IntegrityError:
        raise CommunityError(
            "You already have an open request or a mentor in this community."
        ) from None


@transaction.atomic
def mentor_request_accept(*, community: Community, mentor: User, request_id: int) -> MentorRequest:
    """A mentor of the community takes on an open request; both are notified.

    Raises PermissionError for anyone who is not a mentor (or moderator or
    owner) there, CommunityError if the request is no longer open (another
    mentor was quicker), or for someone accepting their own request.
    """
    standing = standing_get(viewer=mentor, community=community)
    _require(standing, standing.is_mentor or standing.can_moderate, "mentor")
    request = (
        MentorRequest.objects.select_for_update()
        .filter(pk=request_id, community=community, state=MentorRequest.State.OPEN)
        .first()
    )
    if request is None:
        raise CommunityError("That request has already been taken or withdrawn.")
    if request.mentee_id == mentor.pk:
        raise CommunityError("You can't mentor yourself.")
    if Block.objects.filter(blocker_id=request.mentee_id, blocked=mentor).exists():
        raise CommunityError("That request has already been taken or withdrawn.")
    request.mentor, request.state, request.accepted_at = (
        mentor,
        MentorRequest.State.ACTIVE,
        timezone.now(),
    )
    request.save(update_fields=["mentor", "state", "accepted_at"])
    emit(MentorshipStarted(request_id=request.pk))
    return request


@transaction.atomic
def mentorship_end(*, actor: User, request_id: int) -> None:
    """Either side ends a mentorship (or the mentee withdraws an open request)."""
    request = (
        MentorRequest.objects.select_for_update()
        .filter(pk=request_id, state__in=[MentorRequest.State.OPEN, MentorRequest.State.ACTIVE])
        .first()
    )
    if request is None or actor.pk not in (request.mentee_id, request.mentor_id):
        raise PermissionError("That is not your mentorship.")
    was_active = request.state == MentorRequest.State.ACTIVE
    request.state = MentorRequest.State.ENDED if was_active else MentorRequest.State.WITHDRAWN
    request.ended_at = timezone.now()
    request.save(update_fields=["state", "ended_at"])
    if was_active:
        emit(MentorshipEnded(request_id=request.pk, ended_by_id=actor.pk))
