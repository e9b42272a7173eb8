"""Pages for support in hard times. Each view: parse, authorize, one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import signed_in_user
from hearth.posts.selectors import post_get_visible
from hearth.support import selectors, services
from hearth.support.forms import (
    CareSettingsForm,
    CheckInForm,
    CheckInWhenForm,
    RequestForm,
    ResourceForm,
    SupporterForm,
)
from hearth.support.models import SupportRequest

WORRIED_SENT = (
    "Thank you for caring. If Hearth can, it will show them a kind message with places "
    "to find help. You won't hear back about it, so that it stays theirs."
)


def _resources_context() -> dict[str, Any]:
    return {
        "resource_groups": selectors.crisis_resources(),
        "resources_unchecked": selectors.crisis_resources_unchecked(),
    }


@login_required
def support_home(request: HttpRequest) -> HttpResponse:
    """Your requests and their replies; requests routed to you; becoming a supporter."""
    me = signed_in_user(request)
    return render(
        request,
        "support/home.html",
        {
            "mine": selectors.my_requests(user=me),
            "routed": selectors.routed_to_me(user=me),
            "roles": selectors.supporter_roles(user=me),
            "checkins": selectors.checkins_due(user=me),
            "checkin_form": CheckInForm(),
        },
    )


@login_required
def support_new(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    communities = selectors.postable_communities(user=me)
    form = RequestForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.support_request_create(
                asker=me,
                text=data["text"],
                kind=data["kind"],
                topic=data["topic"],
                audience=data["audience"],
                community_id=data["community"],
                ask_supporters=bool(data["ask_supporters"]),
                checkin_days=data["checkin_days"],
                content_warning=data["content_warning"],
            )
        except services.SupportError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(
                request,
                "Your request is up. Whatever happens next, you did something brave by asking.",
            )
            return redirect("support_request", request_id=created.pk)
    return render(
        request,
        "support/new.html",
        {"form": form, "communities": communities},
        status=400 if form.errors else 200,
    )


def _days_left(support: SupportRequest) -> str:
    """The offered check-in choice nearest the one set (for the form's initial value)."""
    if support.checkin_at is None or support.checkin_answered_at is not None:
        return ""
    days = max(1, -(-(support.checkin_at - timezone.now()).total_seconds() // 86400))
    return str(next((d for d in services.CHECKIN_DAYS if d >= days), services.CHECKIN_DAYS[-1]))


def support_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request's page: what is asked, the resources, and the asker's or supporter's actions."""
    support = selectors.support_request_get_visible(viewer=request.user, request_id=request_id)
    me = signed_in_user(request) if request.user.is_authenticated else None
    is_asker = me is not None and me.pk == support.asker_id
    return render(
        request,
        "support/request.html",
        {
            "support": support,
            "post": support.post,
            "is_asker": is_asker,
            "holds": me is not None and selectors.route_held(user=me, request_id=support.pk),
            "checkin_form": CheckInForm(),
            "when_form": CheckInWhenForm(initial={"checkin_days": _days_left(support)}),
            "checkin_due": support.checkin_at is not None and support.checkin_at <= timezone.now(),
            "routed_count": selectors.routed_count(request=support) if is_asker else None,
        },
    )


@login_required
@require_POST
def support_resolve(request: HttpRequest, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    support = selectors.support_request_get_own(viewer=me, request_id=request_id)
    resolved = request.POST.get("resolved", "1") == "1"
    services.support_request_resolve(request=support, actor=me, resolved=resolved)
    messages.success(
        request,
        "Marked as resolved. We're glad things are a little better."
        if resolved
        else "Your request is open again.",
    )
    return redirect("support_request", request_id=support.pk)


@login_required
@require_POST
def support_checkin(request: HttpRequest, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    support = selectors.support_request_get_own(viewer=me, request_id=request_id)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a few words, up to 2,000 characters.")
        return redirect(f"{reverse('support_request', args=[support.pk])}#checkin")
    try:
        update = services.checkin_answer(
            request=support,
            actor=me,
            text=form.cleaned_data["text"],
            share=bool(form.cleaned_data["share"]),
        )
    except services.SupportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Thank you for telling us. Your update is shared under your request."
            if update
            else "Thank you for telling us. Only you can see your answer.",
        )
    return redirect("support_request", request_id=support.pk)


@login_required
@require_POST
def support_checkin_when(request: HttpRequest, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    support = selectors.support_request_get_own(viewer=me, request_id=request_id)
    form = CheckInWhenForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data["checkin_days"]
        services.checkin_set(request=support, actor=me, days=days)
        messages.success(
            request, "Hearth will check in then." if days else "Hearth won't check in."
        )
    else:
        messages.error(request, "Choose when Hearth should check in, or not at all.")
    return redirect("support_request", request_id=support.pk)


@login_required
@require_POST
def support_pass(request: HttpRequest, request_id: int) -> HttpResponse:
    me = signed_in_user(request)
    if services.route_pass(supporter=me, request_id=request_id):
        messages.info(request, "Thank you for being honest about it. Hearth will ask someone else.")
    return redirect("support_home")


@login_required
def support_settings(request: HttpRequest) -> HttpResponse:
    """Offer support (scope, topics, capacity, pause) or stop; and caring messages for you."""
    me = signed_in_user(request)
    communities = selectors.supporter_scopes(user=me)
    roles = selectors.supporter_roles(user=me)
    scope_param = request.POST.get("scope") or request.GET.get("scope") or ""
    scope_id = int(scope_param) if scope_param.isdigit() else None
    if scope_id is not None and scope_id not in {c.pk for c in communities}:
        scope_id = None
    current = next((r for r in roles if r.community_id == scope_id), None)
    initial: dict[str, Any] = {"scope": scope_id}
    if current is not None:
        initial.update(
            topics=current.topic_list,
            weekly_capacity=str(current.weekly_capacity),
            paused=current.paused,
        )
    form = SupporterForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        communities=communities,
    )
    if request.method == "POST" and request.POST.get("action") == "leave":
        released = services.supporter_leave(user=me, community_id=scope_id)
        messages.success(
            request,
            "You are no longer a supporter there. Thank you for everything you gave."
            + (
                f" The {released} request{'s' if released != 1 else ''} you held "
                "will go to other supporters."
                if released
                else ""
            ),
        )
        return redirect("support_settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.supporter_set(
                user=me,
                community_id=form.cleaned_data["scope"],
                topics=form.cleaned_data["topics"],
                weekly_capacity=form.cleaned_data["weekly_capacity"],
                paused=bool(form.cleaned_data["paused"]),
            )
        except services.SupportError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Saved. Thank you for being there for people.")
            return redirect("support_settings")
    care = selectors.care_settings_of(user=me)
    return render(
        request,
        "support/settings.html",
        {
            "form": form,
            "roles": roles,
            "current": current,
            "care_form": CareSettingsForm(initial={"worried_messages": care.worried_messages}),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def support_care_settings(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    form = CareSettingsForm(request.POST)
    form.is_valid()
    allowed = bool(form.cleaned_data.get("worried_messages"))
    services.care_settings_set(user=me, worried_messages=allowed)
    messages.success(
        request,
        "Caring messages are on."
        if allowed
        else "Caring messages are off. You can turn them back on here whenever you like.",
    )
    return redirect("support_care" if request.POST.get("back") == "care" else "support_settings")


def support_resources(request: HttpRequest) -> HttpResponse:
    return render(request, "support/resources.html", _resources_context())


def _staff(request: HttpRequest) -> User:
    """Staff only; anyone else gets the same 404 as a page that does not exist."""
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404("No such page")
    return signed_in_user(request)


def support_resources_edit(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "support/resources_edit.html", _resources_context())


def support_resource_form(request: HttpRequest, resource_id: int | None = None) -> HttpResponse:
    _staff(request)
    resource = None if resource_id is None else selectors.crisis_resource_get(pk=resource_id)
    if request.method == "POST" and request.POST.get("action") == "delete" and resource:
        services.crisis_resource_delete(resource=resource)
        messages.success(request, f"Removed {resource.name}.")
        return redirect("support_resources_edit")
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        saved = services.crisis_resource_save(resource=form.save(commit=False))
        messages.success(request, f"Saved {saved.name}.")
        return redirect("support_resources_edit")
    return render(
        request,
        "support/resource_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def support_worried(request: HttpRequest, post_id: int) -> HttpResponse:
    """Privately ask Hearth to show a post's author a caring message."""
    me = signed_in_user(request)
    post = post_get_visible(viewer=me, post_id=post_id)
    if request.method == "POST":
        try:
            services.worried_send(sender=me, post=post)
        except services.SupportError as exc:
            messages.info(request, str(exc))
            if post.author_id == me.pk:
                return redirect("support_resources")
            return redirect(post.get_absolute_url())
        messages.success(request, WORRIED_SENT)
        return redirect(post.get_absolute_url())
    return render(
        request,
        "support/worried.html",
        {"post": post, "own": post.author_id == me.pk, **_resources_context()},
    )


@login_required
def support_care(request: HttpRequest) -> HttpResponse:
    """The caring messages someone received, with the resources and a way to turn them off."""
    me = signed_in_user(request)
    care = selectors.care_settings_of(user=me)
    return render(
        request,
        "support/care.html",
        {
            "received": selectors.worried_received(user=me),
            "care_form": CareSettingsForm(initial={"worried_messages": care.worried_messages}),
            **_resources_context(),
        },
    )


@login_required
@require_POST
def support_care_misuse(request: HttpRequest, worried_id: int) -> HttpResponse:
    me = signed_in_user(request)
    if not services.worried_report_misuse(author=me, worried_id=worried_id):
        raise Http404("No such message")
    messages.success(
        request,
        "Thank you for telling us. This server's staff will look at who sent it; "
        "they won't tell them it was you.",
    )
    return redirect("support_care")


def support_misuse(request: HttpRequest) -> HttpResponse:
    _staff(request)
    return render(request, "support/misuse.html", {"reports": selectors.worried_misuse_reports()})
