from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hearth.accounts.selectors import as_user, signed_in_user
from hearth.discovery.people import MAX_SEARCH, people_quiet, people_suggested
from hearth.discovery.people import search as people_search
from hearth.discovery.selectors import MAX_QUERY, communities_find
from hearth.support.crisis import crisis_resources_for


def find_people(request: HttpRequest) -> HttpResponse:
    """Describe your situation or interest (or use your story); see where your people are."""
    me = as_user(request.user)
    q = request.GET.get("q", "")
    used_story = False
    if request.GET.get("story") == "1" and me is not None and me.story:
        q, used_story = me.story, True
    too_long = len(q) > MAX_QUERY
    results = communities_find(text=q) if q.strip() else []
    return render(
        request,
        "discovery/find.html",
        {
            "q": q[:MAX_QUERY],
            "results": results,
            "searched": bool(q.strip()),
            "used_story": used_story,
            "too_long": too_long,
            "has_story": me is not None and bool(me.story),
            # Offered, never forced: helplines beside the results (hearth.support).
            "crisis": crisis_resources_for(q),
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """People you may know, and people you haven't talked with in a while."""
    me = signed_in_user(request)
    return render(
        request,
        "discovery/people.html",
        {
            "suggestions": people_suggested(viewer=me),
            "quiet": people_quiet(viewer=me),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """People by name or username (and hashtags), a page at a time."""
    q = request.GET.get("q", "")
    page_raw = request.GET.get("page", "1")
    page = int(page_raw) if page_raw.isdigit() and len(page_raw) < 6 else 1
    results = people_search(viewer=as_user(request.user), q=q, page=page)
    return render(
        request,
        "discovery/search.html",
        {"q": q[:MAX_SEARCH], "results": results, "searched": bool(q.strip()), "page": page},
    )
