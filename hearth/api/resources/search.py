"""GET /api/v2/search: people, posts and hashtags.

https://docs.joinmastodon.org/methods/search/
Posts are matched by their text among those the caller may read, newest
first; without a token only people and hashtags are searched, as on
Mastodon. Nothing is fetched from other servers (`resolve` is ignored).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from hearth.accounts.selectors import users_search
from hearth.api.auth import public, viewer
from hearth.api.parsing import truthy
from hearth.api.render import Renderer
from hearth.api.schemas import SearchOut, StatusOut
from hearth.posts.selectors import posts_search, tags_search

router = Router(tags=["search"])

MAX_RESULTS = 40


@router.get("/v2/search", auth=public("read:search"), response=SearchOut)
def search(request: HttpRequest, q: str, type: str = "", limit: int = 20) -> SearchOut:
    who = viewer(request)
    query = q.strip()
    limit = max(1, min(limit, MAX_RESULTS))
    offset = request.GET.get("offset", "0")
    start = int(offset) if offset.isdigit() and len(offset) < 6 else 0
    renderer = Renderer(request, who)
    accounts = []
    statuses: list[StatusOut] = []
    hashtags = []
    if type in ("", "accounts") and query and not start:
        following = truthy(request.GET.get("following"))
        people = users_search(viewer=who, query=query, limit=limit, following=following)
        accounts = [renderer.account(u) for u in people]
    if type in ("", "hashtags") and query and not start:
        hashtags = [renderer.tag(t) for t in tags_search(query=query, limit=limit)]
    if type in ("", "statuses") and query and who is not None:
        found = posts_search(viewer=who, query=query)
        statuses = renderer.statuses(found[start : start + limit])
    return SearchOut(accounts=accounts, statuses=statuses, hashtags=hashtags)
