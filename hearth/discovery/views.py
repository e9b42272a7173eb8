from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hearth.accounts.selectors import as_user
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
