"""What one post card (posts/_post.html) shows to one viewer, computed once per card.

A home page of 20 cards used to reverse ~220 URLs and evaluate the same
conditions in several nested templates per card, and every lookup in the
template language is costly. `card_for` (the template tag `post_card`)
builds every link and decision of a card in one Python call; the
templates only read the result. Its partials (_reactions, _share, _save)
are also rendered alone as htmx answers, and then build their card
themselves (`card_of`).

Links are formatted from a pattern reversed once per URL name (see
`link`), not reversed per card: the result is the string `reverse()`
would give, as long as the arguments need no quoting, which the URL
converters' own character sets guarantee (anything else falls back to
`reverse()`, so a bad value raises NoReverseMatch as before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from hearth.core.templatetags.hearth import ago
from hearth.posts.models import REACTION_EMOJI, Milestone, Post, ReactionKind

# Stand-ins reversed in place of real arguments, then replaced. They match
# the converters of the URLs below (username, slug, int) and cannot occur
# in the rest of a path.
_NAME = "zqxjnamezqxj"
_ID = "918273645546372819"
# What the username and slug converters accept (hearth.core.converters,
# Django's slug): values that reverse() puts in a path unquoted.
_PLAIN = {
    "username": re.compile(r"[A-Za-z0-9_]{1,30}"),
    "slug": re.compile(r"[-a-zA-Z0-9_]+"),
}
# The URL names a card links to: (the name of their username or slug
# argument, whether they take the post's id).
_ARGS: dict[str, tuple[str | None, bool]] = {
    "login": (None, False),
    "support_resources": (None, False),
    "profile": ("username", False),
    "post": ("username", True),
    "post_history": ("username", True),
    "post_edit": ("username", True),
    "post_delete": ("username", True),
    "post_pin": ("username", True),
    "post_react": ("username", True),
    "post_share": ("username", True),
    "post_save": ("username", True),
    "milestone_remind": ("username", True),
    "support_worried": (None, True),
    "community": ("slug", False),
    "community_report": ("slug", True),
    "community_post_moderate": ("slug", True),
}


@lru_cache(maxsize=256)
def _pattern(name: str, prefix: str, urlconf: str | None, root: str) -> str:
    """`name` reversed with the stand-ins, as a str.format pattern ({n}: name or slug, {i}: id).

    Keyed by the script prefix and URLconf so that a cached pattern is
    never used where reverse() would answer differently.
    """
    key, takes_id = _ARGS[name]
    kwargs = {key: _NAME} if key else {}
    if takes_id:
        kwargs["post_id"] = _ID
    url = reverse(name, kwargs=kwargs, urlconf=urlconf)
    return url.replace("{", "{{").replace("}", "}}").replace(_NAME, "{n}").replace(_ID, "{i}")


def link(name: str, arg: str = "", pk: int | None = None) -> str:
    """What reverse(name, kwargs=...) answers for a name of _ARGS, without reversing per call.

    `arg` is the username or slug, `pk` the post's id.
    """
    key, takes_id = _ARGS[name]
    if key and not _PLAIN[key].fullmatch(arg):
        kwargs: dict[str, object] = {key: arg}
        if takes_id:
            kwargs["post_id"] = pk
        return reverse(name, kwargs=kwargs)  # raises NoReverseMatch, as it always did
    pattern = _pattern(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return pattern.format(n=arg, i=pk)


@lru_cache(maxsize=16)
def reaction_buttons(current: str | None) -> SafeString:
    """The buttons of the reactions form (posts/_reactions.html), `current` pressed.

    Made here rather than by a loop in the template: they are the same for
    every card but for which one is pressed, and a page shows up to twenty
    such forms. Each button is a toggle: aria-pressed says whether it is the
    viewer's reaction, and its title offers to take it back. Cached: the
    labels are ReactionKind's fixed strings, not translated per request.
    """
    return format_html_join(
        "\n",
        '<button type="submit" class="reaction" name="kind" value="{}" aria-pressed="{}" '
        'title="{}"><span aria-hidden="true">{}</span> {}</button>',
        (
            (
                kind.value,
                "true" if kind.value == current else "false",
                f"Take back “{kind.label}”" if kind.value == current else kind.label,
                REACTION_EMOJI[kind],
                kind.label,
            )
            for kind in ReactionKind
        ),
    )


@dataclass(frozen=True, slots=True)
class PostCard:
    """The links and controls of one card, for one viewer on one page.

    An empty string or False means "not shown". `next` is where a form on
    the card comes back to (this page, at the card); `back` is this page.
    """

    pk: int
    # The card's element id: "post-<pk>" (a str: an int would be localized on each use).
    anchor: str
    url: str
    author_url: str
    booster_url: str
    history_url: str
    community_url: str
    reply_to_url: str
    remind_url: str
    # When it was posted: the <time> element's datetime and title, and its age.
    created_iso: str
    created_title: str
    created_ago: str
    # The viewer's keyword filter that matched ("" for none), and the milestone it marks if any.
    filtered_as: str
    milestone: Milestone | None
    mine: bool
    signed_in: bool
    # The post asks for care and this is not its page: "Open the post to respond" instead.
    care_gate: bool
    # Whether the card shows the reactions form (its own partial shows it to anyone signed in).
    react: bool
    # The reactions form's buttons, the viewer's own reaction pressed ("" signed out).
    reaction_buttons: str
    react_url: str
    reply: bool
    login_url: str
    share: bool
    share_url: str
    shared: bool
    edit_url: str
    pin_url: str
    pinned: bool
    delete_url: str
    save_url: str
    saved: bool
    helplines_url: str
    worried_url: str
    report_url: str
    moderate_url: str
    next: str
    back: str


@dataclass(frozen=True, slots=True)
class _Viewer:
    """What every card of one rendering shares: who looks, from which page."""

    pk: int | None
    back: str
    member_ids: Any
    moderated_ids: Any


_VIEWER_KEY = object()


def _lazy_ids(context: Any, key: str) -> Any:
    # Neither tested for truth nor compared here (type(), not isinstance):
    # either would read a lazy set that no card on the page may need.
    ids = context.get(key)
    return () if ids is None or type(ids) is str else ids


def _viewer(context: Any) -> _Viewer:
    """The viewer of this rendering, read once per page (kept in its render context)."""
    store = context.render_context.dicts[0]
    found: _Viewer | None = store.get(_VIEWER_KEY)
    if found is None:
        request: HttpRequest | None = context.get("request")
        user = getattr(request, "user", None) or context.get("user")
        signed_in = bool(user is not None and user.is_authenticated)
        found = _Viewer(
            pk=user.pk if signed_in and user is not None else None,
            back=request.get_full_path() if request is not None else "",
            # Lazy sets from hearth.communities.context_processors: read only
            # if a card in a community asks.
            member_ids=_lazy_ids(context, "member_community_ids"),
            moderated_ids=_lazy_ids(context, "moderated_community_ids"),
        )
        store[_VIEWER_KEY] = found
    return found


def _milestone(post: Post) -> Milestone | None:
    try:
        return post.milestone
    except ObjectDoesNotExist:
        return None


def when(value: datetime) -> tuple[str, str, str]:
    """A time as a card shows it: ISO 8601 (the `date:'c'` filter), localized, and its age.

    Each in the current time zone, as the template engine would render
    `{{ value|date:'c' }}`, `{{ value }}` and `{{ value|ago }}`.
    """
    # What django.utils.timezone.template_localtime does for a datetime.
    local = timezone.localtime(value) if settings.USE_TZ and timezone.is_aware(value) else value
    return local.isoformat(), str(localize(local)), ago(value)


def card_for(post: Post, *, context: Any, focus: bool = False) -> PostCard:
    """Every link and control of `post`'s card for the viewer of this rendering.

    The decisions posts/_post.html used to make inline: a post that asks
    for care (venting, support, a content warning) gets no reactions,
    Reply or Share from others outside its own page; a community's posts
    take reactions and reports from its members only, moderation from its
    moderators; only public posts outside a private community can be
    shared. Reads nothing from the database beyond what the card selectors
    load (posts.selectors._decorated) and the viewer's memberships, once
    per page.
    """
    viewer = _viewer(context)
    username = post.author.username
    pk = post.pk
    signed_in = viewer.pk is not None
    mine = signed_in and viewer.pk == post.author_id
    url = link("post", username, pk)
    care_gate = post.asks_for_care and not focus and not mine
    community = post.community if post.community_id else None
    member = community is not None and post.community_id in viewer.member_ids
    booster = getattr(post, "shared_boost", None)
    shared = bool(getattr(post, "viewer_boosted", False))
    share = bool(
        signed_in
        and post.audience == "public"
        and not post.removed_at
        and not post.deleted_at
        and (community is None or community.visibility == "public")
        and (not post.asks_for_care or focus or mine or shared)
    )
    buttons = ""
    if signed_in:
        own = getattr(post, "my_reactions", None) or ()
        buttons = reaction_buttons(own[0].kind if own else None)
    milestone = _milestone(post)
    created_iso, created_title, created_ago = when(post.created_at)
    reply_to = post.in_reply_to if post.in_reply_to_id else None
    return PostCard(
        pk=pk,
        anchor=f"post-{pk}",
        url=url,
        author_url=link("profile", username),
        booster_url=link("profile", booster.booster.username) if booster is not None else "",
        history_url=link("post_history", username, pk) if post.edited_at else "",
        community_url=link("community", community.slug) if community is not None else "",
        reply_to_url=(
            link("post", reply_to.author.username, reply_to.pk)
            if reply_to is not None and not reply_to.deleted_at
            else ""
        ),
        remind_url=(
            link("milestone_remind", username, pk)
            if focus and signed_in and not mine and milestone is not None
            else ""
        ),
        created_iso=created_iso,
        created_title=created_title,
        created_ago=created_ago,
        filtered_as=getattr(post, "filtered_as", "") or "",
        milestone=milestone,
        mine=mine,
        signed_in=signed_in,
        care_gate=care_gate,
        react=not care_gate and (community is None or member),
        reaction_buttons=buttons,
        react_url=link("post_react", username, pk) if signed_in else "",
        reply=signed_in and not care_gate,
        login_url=(
            "" if signed_in or care_gate else f"{link('login')}?next={quote(url, safe='/')}"
        ),
        share=share,
        share_url=link("post_share", username, pk) if signed_in else "",
        shared=shared,
        edit_url=link("post_edit", username, pk) if mine else "",
        pin_url=link("post_pin", username, pk) if mine and getattr(post, "pinnable", False) else "",
        pinned=bool(getattr(post, "is_pinned", False)),
        delete_url=link("post_delete", username, pk) if mine else "",
        save_url=link("post_save", username, pk) if signed_in else "",
        saved=bool(getattr(post, "my_bookmarks", None)),
        helplines_url=link("support_resources") if post.tone == "support" else "",
        worried_url=link("support_worried", "", pk) if signed_in and not mine else "",
        report_url=(
            link("community_report", community.slug, pk)
            if community is not None and signed_in and not mine and member
            else ""
        ),
        moderate_url=(
            link("community_post_moderate", community.slug, pk)
            if community is not None and signed_in and post.community_id in viewer.moderated_ids
            else ""
        ),
        next=f"{viewer.back}#post-{pk}",
        back=viewer.back,
    )
