from __future__ import annotations

import time
from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import signed_in_user
from hearth.core.pagination import id_param
from hearth.feeds import selectors, services
from hearth.feeds.summaries import (
    held_text,
    since_last_visit,
    summary_lines,
    summary_title,
    waiting_for,
    weekly_reflection,
)
from hearth.posts.forms import PostForm
from hearth.wellbeing.selectors import reflection_due
from hearth.wellbeing.services import preferences_get, reflection_mark_seen, request_preferences

VISIT_SECONDS = 30 * 60
FIRST_VISIT_LOOKBACK = 3 * 24 * 3600


def _visit_line(request: HttpRequest, me: User) -> tuple[int, datetime]:
    """The caught-up line for this visit, and when the previous visit was.

    The stored marker moves as soon as someone reaches the end of what is
    new; a reload a minute later must not make those posts vanish, so the
    line read at the start of a visit is kept in the session until the
    person has been away for VISIT_SECONDS.
    """
    now = time.time()
    seen_at = request.session.get("home_line_at", 0)
    line = request.session.get("home_line")
    since = request.session.get("home_since")
    if line is None or now - seen_at > VISIT_SECONDS:
        line, caught_up_at = selectors.feed_marker_at(user=me)
        # The end of this browser's previous visit, else when the person
        # last caught up anywhere, else a few days back.
        if seen_at:
            since = seen_at
        elif caught_up_at:
            since = caught_up_at.timestamp()
        else:
            since = now - FIRST_VISIT_LOOKBACK
        request.session["home_line"] = line
        request.session["home_since"] = since
        request.session["home_line_at"] = now
    elif now - seen_at > 60:
        # Refreshed at most once a minute: a session write on every read
        # would cost every feed read a database write.
        request.session["home_line_at"] = now
    return int(line), datetime.fromtimestamp(since or now - FIRST_VISIT_LOOKBACK, UTC)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home feed: what is new since the last visit, then "You're all caught up".

    `top` carries the newest post of the first page through the following
    pages, so reaching the end of the new posts moves the caught-up line to
    what was newest when the reading began, not to something that arrived
    while reading.
    """
    me = signed_in_user(request)
    older = request.GET.get("older") == "1"
    max_id = id_param(request, "max_id")
    line, since = _visit_line(request, me)
    page = selectors.home_feed(viewer=me, max_id=max_id, older=older, line=line)
    top = id_param(request, "top") or page.newest_id
    if page.caught_up and top:
        services.feed_mark_seen(user=me, post_id=top)
    first = not older and max_id is None
    return render(
        request,
        "feeds/home.html",
        {
            "page": page,
            "top": top,
            "form": PostForm(),
            "visit": since_last_visit(viewer=me, line=line, since=since) if first else None,
            "reflection_due": first
            and reflection_due(prefs=request_preferences(request, me), now=timezone.now()),
        },
    )


@login_required
def reflection(request: HttpRequest) -> HttpResponse:
    """The person's week in words, private to them; opening it ends the home page's offer."""
    me = signed_in_user(request)
    now = timezone.now()
    prefs = preferences_get(user=me)
    week = weekly_reflection(user=me, now=now)
    if prefs.weekly_reflection:
        reflection_mark_seen(user=me, now=now)
    return render(request, "feeds/reflection.html", {"week": week, "prefs": prefs})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    page = selectors.notifications_page(
        user=me, max_id=id_param(request, "max_id"), show_held=request.GET.get("held") == "1"
    )
    hold = page.hold
    return render(
        request,
        "feeds/notifications.html",
        {
            "notifications": page.items,
            "next_max_id": page.next_max_id,
            "page": page,
            "held_text": held_text(hold, page.held),
            "showing_held": request.GET.get("held") == "1" and hold.held_since is not None,
            "waiting_for": waiting_for(hold),
            "summary_title": summary_title(hold),
            "summary_lines": summary_lines(page.summary),
        },
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    services.notifications_mark_read(user=me, up_to_id=id_param(request, "up_to"))
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notifications")
