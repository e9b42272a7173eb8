"""Gathering pages. Each view: parse, authorize (through `Access`), one service, render.

A gathering the viewer may not see is a 404, the same as one that does not
exist; a visible one they may not change is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import signed_in_user
from hearth.communities.models import Community
from hearth.communities.selectors import Standing, communities_of
from hearth.core.http import is_htmx
from hearth.gatherings import selectors, services
from hearth.gatherings.forms import GatheringForm, RsvpForm
from hearth.gatherings.ical import calendar_ics
from hearth.gatherings.models import Gathering
from hearth.gatherings.selectors import Access


def _hostable(user: User) -> dict[int, Community]:
    """Communities `user` may host gatherings for (those they may post in)."""
    return {
        m.community_id: m.community
        for m in communities_of(user=user)
        if Standing(community=m.community, membership=m, signed_in=True).can_post
    }


def _apply_errors(form: GatheringForm, exc: services.GatheringError) -> None:
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)


def gathering_list(request: HttpRequest) -> HttpResponse:
    """/gatherings: upcoming (default), past, or "yours" with the personal calendar feed,
    each in pages: `after` (from the "Show more" link) is where the next page starts."""
    show = request.GET.get("show", "upcoming")
    if show not in ("upcoming", "past", "yours"):
        show = "upcoming"
    if show == "yours" and not request.user.is_authenticated:
        show = "upcoming"
    after = request.GET.get("after") or None
    context: dict[str, Any] = {"show": show, "after": after}
    if show == "yours":
        me = signed_in_user(request)
        context["page"] = selectors.gatherings_of(user=me, after=after, limit=selectors.YOURS_PAGE)
        token = selectors.calendar_feed_token(user=me)
        if token:
            path = reverse("gathering_calendar_feed", kwargs={"token": token})
            context["feed_url"] = request.build_absolute_uri(path)
            context["webcal_url"] = "webcal://" + request.get_host() + path
    elif show == "past":
        context["page"] = selectors.gatherings_past(
            viewer=request.user, after=after, limit=selectors.LIST_PAGE
        )
    else:
        context["page"] = selectors.gatherings_upcoming(
            viewer=request.user, after=after, limit=selectors.LIST_PAGE
        )
    return render(request, "gatherings/list.html", context)


def _form_page(
    request: HttpRequest, form: GatheringForm, gathering: Gathering | None
) -> HttpResponse:
    return render(
        request,
        "gatherings/form.html",
        {"form": form, "gathering": gathering},
        status=400 if form.errors else 200,
    )


@login_required
def gathering_create(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    hostable = _hostable(me)
    choices = [(pk, c.name) for pk, c in hostable.items()]
    last_tz = Gathering.objects.filter(host=me).order_by("-id").values_list("tz", flat=True).first()
    initial = {"tz": last_tz or "UTC", "community": request.GET.get("community", "")}
    form = GatheringForm(request.POST or None, communities=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        community_id = form.cleaned_data.get("community")
        try:
            gathering = services.gathering_create(
                host=me,
                details=form.details(),
                community=hostable.get(community_id) if community_id else None,
            )
        except services.GatheringError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your gathering is up. You're going, of course.")
            return HttpResponseRedirect(gathering.get_absolute_url())
    return _form_page(request, form, None)


def gathering_detail(request: HttpRequest, gathering_id: int) -> HttpResponse:
    access = selectors.gathering_get_visible(viewer=request.user, gathering_id=gathering_id)
    return render(request, "gatherings/detail.html", _detail_context(access))


def _detail_context(access: Access) -> dict[str, Any]:
    return {
        "gathering": access.gathering,
        "access": access,
        "people": selectors.attendees(access=access),
        "places_left": selectors.places_left(gathering=access.gathering),
        "rsvp_choices": RsvpForm.base_fields["state"].choices,  # type: ignore[attr-defined]
    }


@login_required
def gathering_edit(request: HttpRequest, gathering_id: int) -> HttpResponse:
    me = signed_in_user(request)
    access = selectors.gathering_get_visible(viewer=me, gathering_id=gathering_id)
    if not access.can_edit:
        raise PermissionDenied("Only the host can change this gathering.")
    g = access.gathering
    initial = {
        "title": g.title,
        "description": g.description,
        "tz": g.tz,
        "starts": g.starts_at.astimezone(g.zone).replace(tzinfo=None),
        "ends": g.ends_at.astimezone(g.zone).replace(tzinfo=None),
        "online": g.online,
        "area": g.area,
        "address": g.address,
        "address_attendees_only": g.address_attendees_only,
        "meeting_url": g.meeting_url,
        "capacity": g.capacity,
    }
    form = GatheringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.gathering_update(gathering=g, actor=me, details=form.details())
        except services.GatheringError as exc:
            _apply_errors(form, exc)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        else:
            messages.success(request, "Saved. Calendars that subscribed will update.")
            return HttpResponseRedirect(g.get_absolute_url())
    return _form_page(request, form, g)


@login_required
@require_POST
def gathering_cancel(request: HttpRequest, gathering_id: int) -> HttpResponse:
    me = signed_in_user(request)
    access = selectors.gathering_get_visible(viewer=me, gathering_id=gathering_id)
    try:
        services.gathering_cancel(gathering=access.gathering, actor=me)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from None
    messages.info(request, "The gathering is cancelled. Everyone who answered will be told.")
    return HttpResponseRedirect(access.gathering.get_absolute_url())


@login_required
@require_POST
def gathering_rsvp(request: HttpRequest, gathering_id: int) -> HttpResponse:
    me = signed_in_user(request)
    access = selectors.gathering_get_visible(viewer=me, gathering_id=gathering_id)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose going, maybe or can't go.")
    else:
        try:
            rsvp = services.rsvp_set(
                gathering=access.gathering, user=me, state=form.cleaned_data["state"]
            )
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except services.GatheringError as exc:
            messages.error(request, str(exc))
        else:
            if not is_htmx(request):
                messages.success(request, _rsvp_message(rsvp.state, rsvp.position))
    if is_htmx(request):
        fresh = selectors.gathering_get_visible(viewer=me, gathering_id=gathering_id)
        return render(request, "gatherings/_rsvp_response.html", _detail_context(fresh))
    return HttpResponseRedirect(access.gathering.get_absolute_url())


def _rsvp_message(state: str, position: int | None) -> str:
    return {
        "going": "You're going. See you there!",
        "maybe": "Marked as maybe.",
        "cant": "Thanks for letting the host know.",
        "waitlisted": "It's full, so you're on the waitlist. "
        "If a place frees up you move up automatically and we'll tell you.",
    }.get(state, "Saved.")


def _ics_response(request: HttpRequest, data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def gathering_ics(request: HttpRequest, gathering_id: int) -> HttpResponse:
    """One gathering as an .ics file, showing what this viewer may see (link, address)."""
    access = selectors.gathering_get_visible(viewer=request.user, gathering_id=gathering_id)
    data = calendar_ics(
        [access],
        name=access.gathering.title,
        site=request.get_host(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(request, data, f"gathering-{access.gathering.pk}.ics")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Someone's personal calendar feed; the secret token in the URL is the only key.

    Calendar apps fetch it without a session, so it is read as its owner
    would see the gatherings, with the same access rules.
    """
    user = selectors.calendar_feed_user(token=token)
    data = calendar_ics(
        selectors.calendar_feed_gatherings(user=user),
        name=f"Gatherings · {user.name}",
        site=request.get_host(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = _ics_response(request, data, "gatherings.ics")
    response["Content-Disposition"] = 'inline; filename="gatherings.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    """Make (or remake) the personal feed URL; an old URL stops working."""
    me = signed_in_user(request)
    had = selectors.calendar_feed_token(user=me) is not None
    services.calendar_feed_reset(user=me)
    messages.success(
        request,
        "Your calendar feed has a new address; the old one no longer works."
        if had
        else "Your calendar feed is ready. Add its address to your calendar app.",
    )
    return HttpResponseRedirect(reverse("gatherings") + "?show=yours")
