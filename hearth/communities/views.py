"""Community pages. Each view: parse, authorize (through a Standing), one service, render.

A PermissionError from a service becomes a 403; a post or community the
viewer may not read is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hearth.accounts.selectors import signed_in_user
from hearth.communities import selectors, services
from hearth.communities.forms import (
    CommunityEditForm,
    CommunityForm,
    JoinForm,
    MentorRequestForm,
    ReasonForm,
    RestrictForm,
    RoleForm,
)
from hearth.communities.models import Community
from hearth.communities.selectors import Standing
from hearth.core.http import safe_next
from hearth.core.pagination import id_param
from hearth.posts.forms import PostForm

View = Callable[..., HttpResponse]


def permission_as_403(view: View) -> View:
    """A service's PermissionError is a 403 page, and nothing changed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None

    return wrapped


def _page(
    request: HttpRequest,
    template: str,
    community: Community,
    standing: Standing,
    tab: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        template,
        {"community": community, "standing": standing, "tab": tab, **context},
        status=status,
    )


def _back(community: Community, name: str = "community", **kwargs: Any) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, kwargs={"slug": community.slug, **kwargs}))


# --- finding and creating ---------------------------------------------------


def browse(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Community.Kind.values else ""
    topic = request.GET.get("topic", "").strip()[:40]
    found = selectors.paged(
        selectors.communities_browse(q=q, kind=kind, topic=topic),
        page=selectors.page_number(request.GET.get("page")),
        per_page=selectors.BROWSE_PER_PAGE,
    )
    mine = (
        selectors.communities_of(user=signed_in_user(request))
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "communities/browse.html",
        {
            "communities": found,
            "mine": mine,
            "q": q,
            "kind": kind,
            "topic": topic,
            "kinds": Community.Kind.choices,
            "searched": bool(q or kind or topic),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    form = CommunityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = services.community_create(
                creator=me,
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                who_for=data["who_for"],
                topics=data["topics"],
                kind=data["kind"],
                visibility=data["visibility"],
                join_policy=data["join_policy"],
                join_question=data["join_question"],
                rules=form.rule_lines(),
                icon=request.FILES.get("icon"),
                icon_alt=data["icon_alt"],
            )
        except services.CommunityError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"{community.name} is open. Welcome, owner!")
            return _back(community)
    return render(
        request, "communities/create.html", {"form": form}, status=400 if form.errors else 200
    )


# --- the community page -----------------------------------------------------


def community(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's page: who it is for, its rules, pinned posts, then its threads.

    Anyone sees what a community says about itself; only those who may read
    it (anyone, for a public one; members, for a private one) see its posts.
    """
    place = selectors.community_get(slug=slug)
    standing = selectors.standing_get(viewer=request.user, community=place)
    context: dict[str, Any] = {"rules": selectors.community_rules_list(community=place)}
    if standing.can_read:
        max_id = id_param(request, "max_id")
        pinned, posts, next_max_id = selectors.community_posts(
            viewer=request.user, community=place, max_id=max_id
        )
        context.update(pinned=pinned, posts=posts, next_max_id=next_max_id, paged=max_id)
    if standing.can_post and not standing.needs_rules:
        context["form"] = PostForm(initial={"community": place.pk})
    return _page(request, "communities/community.html", place, standing, "posts", **context)


@login_required
def join(request: HttpRequest, slug: str, code: str = "") -> HttpResponse:
    """The rules, an acknowledgement and (by approval) the moderators' question, then join."""
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    standing = selectors.standing_get(viewer=me, community=place)
    form = JoinForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_join(
                community=place,
                user=me,
                accept_rules=form.cleaned_data["accept_rules"],
                answer=form.cleaned_data["answer"],
                code=form.cleaned_data["code"] or code,
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except services.CommunityError as exc:
            field = {"rules": "accept_rules"}.get(exc.field or "", exc.field)
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            if membership.state == membership.State.PENDING:
                messages.info(
                    request, "Your request is with the moderators. You'll be told when they decide."
                )
            else:
                messages.success(request, f"Welcome to {place.name}!")
            return _back(place)
    return _page(
        request,
        "communities/join.html",
        place,
        standing,
        "join",
        status=400 if form.errors else 200,
        form=form,
        code=code,
        rules=selectors.community_rules_list(community=place),
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    try:
        services.membership_leave(community=place, user=me)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"You left {place.name}.")
    return _back(place)


@login_required
@require_POST
def rules_accept(request: HttpRequest, slug: str) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    if request.POST.get("accept_rules"):
        services.rules_accept(community=place, user=me)
        messages.success(request, "Thank you. You can post here now.")
    else:
        messages.error(request, "Please tick the box to agree to the rules.")
    # From a thread page, back to the reply composer there.
    return HttpResponseRedirect(safe_next(request, place.get_absolute_url()))


@login_required
@require_POST
def home_feed(request: HttpRequest, slug: str) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    wanted = request.POST.get("home_feed") == "1"
    services.home_feed_set(community=place, user=me, home_feed=wanted)
    messages.success(
        request,
        f"New posts in {place.name} will "
        + ("show in your home feed." if wanted else "stay on the community page."),
    )
    return _back(place)


def rules(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.community_get(slug=slug)
    standing = selectors.standing_get(viewer=request.user, community=place)
    return _page(
        request,
        "communities/about.html",
        place,
        standing,
        "about",
        rules=selectors.community_rules_list(community=place),
        moderators=selectors.community_staff(community=place, roles=("owner", "moderator"))
        if standing.can_read
        else [],
    )


def log(request: HttpRequest, slug: str) -> HttpResponse:
    place, standing = selectors.community_get_readable(viewer=request.user, slug=slug)
    if not standing.can_see_log:
        raise Http404
    page = selectors.moderation_log(community=place, max_id=id_param(request, "max_id"))
    return _page(request, "communities/log.html", place, standing, "log", page=page)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    me = signed_in_user(request)
    place, standing = selectors.community_get_readable(viewer=me, slug=slug)
    return _members_page(request, place, standing)


def _members_page(
    request: HttpRequest,
    place: Community,
    standing: Standing,
    *,
    status: int = 200,
    error_for: int | None = None,
    role_form: RoleForm | None = None,
    restrict_form: RestrictForm | None = None,
    error: str = "",
) -> HttpResponse:
    """The member list; a refused role change, mute or ban comes back here (400) with
    its message next to the field in that person's row, and what was chosen kept."""
    if not standing.can_see_members:
        raise PermissionDenied("Only members can see who belongs here.")
    return _page(
        request,
        "communities/members.html",
        place,
        standing,
        "members",
        status=status,
        members=selectors.community_members(
            community=place, page=selectors.page_number(request.GET.get("page"))
        ),
        restricted=selectors.restricted_members(community=place) if standing.can_moderate else [],
        role_form=role_form or RoleForm(),
        restrict_form=restrict_form or RestrictForm(),
        error_for=error_for,
        error=error,
    )


# --- the owner and moderators ------------------------------------------------


def _moderating(request: HttpRequest, slug: str) -> tuple[Community, Standing]:
    place, standing = selectors.community_get_readable(viewer=request.user, slug=slug)
    if not standing.can_moderate:
        raise PermissionDenied("Only the community's moderators can do that.")
    return place, standing


@login_required
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    me = signed_in_user(request)
    place, standing = _moderating(request, slug)
    initial = {
        "name": place.name,
        "description": place.description,
        "who_for": place.who_for,
        "topics": ", ".join(place.topic_list),
        "kind": place.kind,
        "join_policy": place.join_policy,
        "join_question": place.join_question,
        "rules": "\n".join(r.title for r in selectors.community_rules_list(community=place)),
        "icon_alt": place.icon_alt,
    }
    form = CommunityEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.community_update(
                community=place,
                actor=me,
                name=data["name"],
                description=data["description"],
                who_for=data["who_for"],
                topics=data["topics"],
                kind=data["kind"],
                join_policy=data["join_policy"],
                join_question=data["join_question"],
                rules=form.rule_lines(),
                icon=request.FILES.get("icon"),
                icon_alt=data["icon_alt"],
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except services.CommunityError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Saved.")
            return _back(place, "community_settings")
    return _page(
        request,
        "communities/settings.html",
        place,
        standing,
        "settings",
        status=400 if form.errors else 200,
        form=form,
    )


@login_required
def moderation(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' queue: requests to join, open reports, invite link."""
    me = signed_in_user(request)
    place, standing = _moderating(request, slug)
    if request.method == "POST" and request.POST.get("reset_invite"):
        if services.invite_code_reset(
            community=place, actor=me, current=request.POST.get("code") or None
        ):
            messages.success(request, "A new invite link is ready; the old one no longer works.")
        else:
            messages.info(request, "That link had already been replaced; this is the new one.")
        return _back(place, "community_moderation")
    return _page(
        request,
        "communities/moderation.html",
        place,
        standing,
        "moderation",
        requests=selectors.join_requests(
            community=place, page=selectors.page_number(request.GET.get("requests_page"))
        ),
        reports=selectors.open_reports(
            community=place, page=selectors.page_number(request.GET.get("reports_page"))
        ),
        invite_url=request.build_absolute_uri(
            reverse("community_invite", kwargs={"slug": place.slug, "code": place.invite_code})
        ),
    )


@login_required
@require_POST
@permission_as_403
def request_decide(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(
            community=place, moderator=me, user_id=user_id, approve=approve
        )
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Approved." if approve else "Declined.")
    return _back(place, "community_moderation")


@login_required
@require_POST
@permission_as_403
def report_dismiss(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    if services.report_dismiss(community=place, moderator=me, report_id=report_id):
        messages.success(request, "Report dismissed.")
    return _back(place, "community_moderation")


def _member_error(
    request: HttpRequest,
    place: Community,
    user_id: int,
    exc: services.CommunityError | None,
    form: RoleForm | RestrictForm,
) -> HttpResponse:
    """Back to the members page with the message beside its field (or above the list)."""
    standing = selectors.standing_get(viewer=request.user, community=place)
    error = ""
    if exc is not None and exc.field in form.fields:
        form.add_error(exc.field, str(exc))
    elif exc is not None:
        error = str(exc)
    forms: dict[str, Any] = (
        {"role_form": form} if isinstance(form, RoleForm) else {"restrict_form": form}
    )
    return _members_page(
        request, place, standing, status=400, error_for=user_id, error=error, **forms
    )


@login_required
@require_POST
@permission_as_403
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    standing = selectors.standing_get(viewer=me, community=place)
    if not standing.is_owner:
        raise PermissionDenied("Only the owner can change roles.")
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _member_error(request, place, user_id, None, form)
    try:
        services.role_set(
            community=place, actor=me, user_id=user_id, role=form.cleaned_data["role"]
        )
    except services.CommunityError as exc:
        return _member_error(request, place, user_id, exc, form)
    messages.success(request, "Role changed.")
    return _back(place, "community_members")


@login_required
@permission_as_403
def member_handover(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Hand over ownership: a page saying what it means, then a confirmation."""
    me = signed_in_user(request)
    place, standing = selectors.community_get_readable(viewer=me, slug=slug)
    if not standing.is_owner:
        raise PermissionDenied("Only the owner can hand over ownership.")
    heir = selectors.member_get(community=place, user_id=user_id)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            try:
                services.ownership_transfer(community=place, actor=me, user_id=user_id)
            except services.CommunityError as exc:
                error = str(exc)
            else:
                messages.success(request, "Ownership handed over. You are now a moderator.")
                return _back(place, "community_members")
        else:
            error = "Tick the box to confirm the handover."
    return _page(
        request,
        "communities/handover.html",
        place,
        standing,
        "members",
        status=400 if error else 200,
        heir=heir,
        error=error,
    )


@login_required
@require_POST
@permission_as_403
def member_restrict(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Mute or ban a member (with a duration and a reason), or lift either."""
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    standing = selectors.standing_get(viewer=me, community=place)
    if not standing.can_moderate:
        raise PermissionDenied("Only the community's moderators can do that.")
    lift = request.POST.get("lift", "")
    form = RestrictForm(request.POST)
    try:
        if lift in ("mute", "ban"):
            services.member_lift(community=place, moderator=me, user_id=user_id, ban=lift == "ban")
            messages.success(request, "Lifted.")
            return _back(place, "community_members")
        if not form.is_valid():
            return _member_error(request, place, user_id, None, form)
        data = form.cleaned_data
        action = services.member_ban if data["action"] == "ban" else services.member_mute
        action(
            community=place,
            moderator=me,
            user_id=user_id,
            days=int(data["days"]) if data["days"] else None,
            reason=data["reason"],
        )
    except services.CommunityError as exc:
        return _member_error(request, place, user_id, exc, form)
    messages.success(request, "Done. It is in the moderation log.")
    return _back(place, "community_members")


@login_required
@permission_as_403
def post_moderate(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """A thread's moderation page: remove it or a reply with a reason, lock, pin."""
    me = signed_in_user(request)
    place, standing = _moderating(request, slug)
    post = selectors.community_post_for_moderation(community=place, post_id=post_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "remove" and form.is_valid():
                if services.post_remove(
                    community=place, moderator=me, post=post, reason=form.cleaned_data["reason"]
                ):
                    messages.success(request, "Removed. The author has been told why.")
                return _back(place, "community_post_moderate", post_id=post.pk)
            if action in ("lock", "unlock"):
                services.thread_lock_set(
                    community=place, moderator=me, post=post, locked=action == "lock"
                )
                messages.success(request, "Locked." if action == "lock" else "Unlocked.")
                return _back(place, "community_post_moderate", post_id=post.pk)
            if action in ("pin", "unpin"):
                services.post_pin_set(
                    community=place, moderator=me, post=post, pinned=action == "pin"
                )
                messages.success(request, "Pinned." if action == "pin" else "Unpinned.")
                return _back(place, "community_post_moderate", post_id=post.pk)
        except services.CommunityError as exc:
            form.add_error("reason" if exc.field == "reason" else None, str(exc))
    return _page(
        request,
        "communities/post_moderate.html",
        place,
        standing,
        "moderation",
        status=400 if form.errors else 200,
        post=post,
        form=form,
        pinned=post.pk in selectors.pinned_ids(community=place),
    )


@login_required
@permission_as_403
def post_report(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    me = signed_in_user(request)
    place, standing = selectors.community_get_readable(viewer=me, slug=slug)
    post = selectors.community_post_get(viewer=me, community=place, post_id=post_id)
    if not standing.can_report:
        raise PermissionDenied("Only members can report posts to the moderators.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                community=place, reporter=me, post=post, reason=form.cleaned_data["reason"]
            )
        except services.CommunityError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, "Thank you. The moderators will look at it.")
            return HttpResponseRedirect(post.get_absolute_url())
    return _page(
        request,
        "communities/report.html",
        place,
        standing,
        "posts",
        status=400 if form.errors else 200,
        post=post,
        form=form,
    )


# --- mentoring --------------------------------------------------------------


@login_required
@permission_as_403
def mentoring_community(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for a mentor here; mentors see the open requests and take one on."""
    me = signed_in_user(request)
    place, standing = selectors.community_get_readable(viewer=me, slug=slug)
    if not standing.is_member:
        raise PermissionDenied("Join the community to ask for or offer mentoring.")
    form = MentorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_request_create(
                community=place,
                mentee=me,
                topic=form.cleaned_data["topic"],
                hopes=form.cleaned_data["hopes"],
            )
        except services.CommunityError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Your request is with the community's mentors.")
            return _back(place, "community_mentoring")
    can_mentor = standing.is_mentor or standing.can_moderate
    return _page(
        request,
        "communities/mentoring.html",
        place,
        standing,
        "mentoring",
        status=400 if form.errors else 200,
        form=form,
        can_mentor=can_mentor,
        open_requests=selectors.mentor_requests_open(
            community=place, page=selectors.page_number(request.GET.get("page"))
        )
        if can_mentor
        else [],
        mentors=selectors.community_staff(community=place, roles=("mentor",)),
        mine=[r for r in selectors.mentorships_of(user=me) if r.community_id == place.pk],
    )


@login_required
@require_POST
@permission_as_403
def mentor_accept(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    place = selectors.community_get(slug=slug)
    try:
        services.mentor_request_accept(community=place, mentor=me, request_id=request_id)
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "You're their mentor now. Say hello!")
    return HttpResponseRedirect(reverse("mentoring"))


@login_required
def mentoring(request: HttpRequest) -> HttpResponse:
    """Your own mentoring, as mentee and as mentor: private to you."""
    me = signed_in_user(request)
    return render(
        request, "communities/my_mentoring.html", {"mentorships": selectors.mentorships_of(user=me)}
    )


@login_required
@require_POST
@permission_as_403
def mentoring_end(request: HttpRequest, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    services.mentorship_end(actor=me, request_id=request_id)
    messages.info(request, "Ended. Thank you for the time you gave each other.")
    return HttpResponseRedirect(reverse("mentoring"))
