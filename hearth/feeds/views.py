from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import signed_in_user
from hearth.core.pagination import id_param
from hearth.feeds import selectors, services
from hearth.posts.forms import PostForm

VISIT_SECONDS = 30 * 60


def _visit_line(request: HttpRequest, me: User) -> int:
    """The caught-up line for this visit.

    The stored marker moves as soon as someone reaches the end of what is
    new; a reload a minute later must not make those posts vanish, so the
    line read at the start of a visit is kept in the session until the
    person has been away for VISIT_SECONDS.
    """
    now = time.time()
    seen_at = request.session.get("home_line_at", 0)
    line = request.session.get("home_line")
    if line is None or now - seen_at > VISIT_SECONDS:
        line = selectors.feed_marker(user=me)
        request.session["home_line"] = line
        request.session["home_line_at"] = now
    elif now - seen_at > 60:
        # Refreshed at most once a minute: a session write on every read
        # would cost every feed read a database write.
        request.session["home_line_at"] = now
    return int(line)


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
    page = selectors.home_feed(
        viewer=me, max_id=id_param(request, "max_id"), older=older, line=_visit_line(request, me)
    )
    top = id_param(request, "top") or page.newest_id
    if page.caught_up and top:
        services.feed_mark_seen(user=me, post_id=top)
    return render(
        request,
        "feeds/home.html",
        {"page": page, "top": top, "form": PostForm()},
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    page = selectors.notifications_page(user=me, max_id=id_param(request, "max_id"))
    return render(
        request,
        "feeds/notifications.html",
        {"notifications": page.items, "next_max_id": page.next_max_id},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    me = signed_in_user(request)
    services.notifications_mark_read(user=me, up_to_id=id_param(request, "up_to"))
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notifications")
