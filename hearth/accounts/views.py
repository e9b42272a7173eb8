from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.accounts import selectors, services
from hearth.accounts.forms import AccountForm, ProfileForm, SignupForm, UsernameForm
from hearth.accounts.models import Follow, User
from hearth.core.http import back_or_partial, safe_next
from hearth.core.images import ImageRejected
from hearth.core.pagination import id_param


def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; with ?invite=<token>, the new person and the inviter follow each other.

    An unknown, expired or used-up invite says so and the sign-up still works.
    """
    if request.user.is_authenticated:
        return redirect("home")
    token = (request.POST.get("invite") or request.GET.get("invite") or "").strip()[:40]
    invite = services.invite_get(token=token) if token else None
    problem = services.invite_problem(invite) if token else ""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, problem = services.user_create_invited(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                token=token,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="hearth.accounts.backends.UsernameOrEmailBackend")
            if token and not problem and invite is not None:
                messages.success(
                    request,
                    f"Welcome to Hearth. You and {invite.inviter.name} now follow each other.",
                )
            else:
                if problem:
                    messages.info(request, f"{problem} Your account is ready all the same.")
                messages.success(request, "Welcome to Hearth. Tell people a little about yourself.")
            return redirect("settings_profile")
    return render(
        request,
        "accounts/signup.html",
        {
            "form": form,
            "invite": invite if token and not problem else None,
            "token": token,
            "invite_problem": problem,
        },
        status=400 if form.errors else 200,
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """Make invite links to share, and see the ones made before."""
    me = selectors.signed_in_user(request)
    if request.method == "POST":
        services.invite_create(inviter=me)
        messages.success(request, "A new invite link is ready to copy and share.")
        return redirect("invite")
    return render(
        request,
        "accounts/invite.html",
        {
            "invites": selectors.invites_of(user=me),
            "signup_url": request.build_absolute_uri(reverse("signup")),
            "now": timezone.now(),
        },
    )


@login_required
def settings_profile(request: HttpRequest) -> HttpResponse:
    user = selectors.signed_in_user(request)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        try:
            services.profile_update(
                user=user, fields=fields, avatar=form.cleaned_data.get("avatar_upload")
            )
        except ImageRejected as exc:
            form.add_error("avatar_upload", str(exc))
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("settings_profile")
    if form.errors:
        user.refresh_from_db()
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form, "section": "profile"},
        status=400 if form.errors else 200,
    )


@login_required
def settings_account(request: HttpRequest) -> HttpResponse:
    user = selectors.signed_in_user(request)
    form = AccountForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your account settings are saved.")
        return redirect("settings_account")
    return render(
        request,
        "accounts/settings_account.html",
        {"form": form, "section": "account"},
        status=400 if form.errors else 200,
    )


def _people_action(
    request: HttpRequest,
    action: Callable[[User, User], object],
    success: str,
    fallback: str,
) -> HttpResponse:
    user = selectors.signed_in_user(request)
    form = UsernameForm(request.POST)
    if form.is_valid():
        other: User = form.cleaned_data["username"]
        try:
            action(user, other)
        except services.RelationshipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, success.format(name=other.username))
    else:
        for error in form.errors.get("username", []):
            messages.error(request, str(error))
    return HttpResponseRedirect(safe_next(request, reverse(fallback)))


@login_required
def settings_circle(request: HttpRequest) -> HttpResponse:
    user = selectors.signed_in_user(request)
    if request.method == "POST":
        if request.POST.get("remove"):
            return _people_action(
                request,
                lambda me, other: services.circle_remove(owner=me, member=other),
                "@{name} is no longer in your close circle.",
                "settings_circle",
            )
        return _people_action(
            request,
            lambda me, other: services.circle_add(owner=me, member=other),
            "@{name} is now in your close circle.",
            "settings_circle",
        )
    return render(
        request,
        "accounts/settings_circle.html",
        {
            "members": selectors.circle_members(owner=user),
            "section": "circle",
            "form": UsernameForm(),
        },
    )


@login_required
def settings_people(request: HttpRequest) -> HttpResponse:
    user = selectors.signed_in_user(request)
    return render(
        request,
        "accounts/settings_people.html",
        {
            "blocked": selectors.blocked_users(user=user),
            "muted": selectors.muted_users(user=user),
            "section": "people",
        },
    )


@login_required
def follow_requests(request: HttpRequest) -> HttpResponse:
    user = selectors.signed_in_user(request)
    if request.method == "POST":
        follower_id = request.POST.get("follower", "")
        if not follower_id.isdigit():
            raise Http404
        try:
            if request.POST.get("decision") == "accept":
                services.follow_request_accept(followee=user, follower_id=int(follower_id))
                messages.success(request, "Request accepted.")
            else:
                services.follow_request_reject(followee=user, follower_id=int(follower_id))
                messages.success(request, "Request declined.")
        except Follow.DoesNotExist:
            raise Http404 from None
        return redirect("follow_requests")
    return render(
        request,
        "accounts/follow_requests.html",
        {"requests": selectors.follow_requests_pending(user=user), "section": "requests"},
    )


RELATIONSHIP_ACTIONS: dict[str, tuple[Callable[[User, User], object], str]] = {
    "follow": (lambda me, other: services.follow_create(follower=me, followee=other), ""),
    "unfollow": (lambda me, other: services.follow_delete(follower=me, followee=other), ""),
    "block": (
        lambda me, other: services.block_create(blocker=me, blocked=other),
        "You blocked @{name}. They can no longer see your posts or follow you.",
    ),
    "unblock": (
        lambda me, other: services.block_delete(blocker=me, blocked=other),
        "You unblocked @{name}.",
    ),
    "mute": (
        lambda me, other: services.mute_create(muter=me, muted=other),
        "You muted @{name}. Their posts won't appear in your home feed; they are not told.",
    ),
    "unmute": (
        lambda me, other: services.mute_delete(muter=me, muted=other),
        "You unmuted @{name}.",
    ),
}


@login_required
@require_POST
def relationship(request: HttpRequest, username: str, action: str) -> HttpResponse:
    """Follow, unfollow, block, unblock, mute or unmute: one thin view for all six."""
    if action not in RELATIONSHIP_ACTIONS:
        raise Http404
    user = selectors.signed_in_user(request)
    other = selectors.user_get_by_username(username=username)
    perform, success = RELATIONSHIP_ACTIONS[action]
    try:
        perform(user, other)
    except services.RelationshipError as exc:
        messages.error(request, str(exc))
    else:
        if success:
            messages.success(request, success.format(name=other.username))
    return back_or_partial(
        request,
        fallback=other.get_absolute_url(),
        partial="accounts/_relationship.html",
        context={"person": other, "rel": selectors.relationship_get(viewer=user, other=other)},
    )


def _people_list(
    request: HttpRequest, username: str, title: str, people: Callable[[User], QuerySet[User]]
) -> HttpResponse:
    person = selectors.user_get_by_username(username=username)
    rel = selectors.relationship_get(viewer=request.user, other=person)
    # Who follows whom is the owner's to share: shown only to them unless
    # they chose to show their counts.
    if not (rel.is_self or person.show_counts) or rel.blocked_by:
        raise Http404
    queryset = people(person)
    max_id = id_param(request, "page")
    offset = max_id or 0
    rows = list(queryset[offset : offset + 41])
    return render(
        request,
        "accounts/people_list.html",
        {
            "person": person,
            "title": title,
            "people": rows[:40],
            "next_page": offset + 40 if len(rows) > 40 else None,
        },
    )


def followers(request: HttpRequest, username: str) -> HttpResponse:
    return _people_list(request, username, "Followers", lambda u: selectors.followers_list(user=u))


def following(request: HttpRequest, username: str) -> HttpResponse:
    return _people_list(request, username, "Following", lambda u: selectors.following_list(user=u))
