"""Accounts, relationships and follow requests.

https://docs.joinmastodon.org/methods/accounts/
https://docs.joinmastodon.org/methods/follow_requests/
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from hearth.accounts import selectors as people
from hearth.accounts import services as ties
from hearth.accounts.models import Follow, User
from hearth.api.auth import me, public, token, viewer
from hearth.api.errors import ApiError
from hearth.api.pagination import apply_window, bounds, set_link, window_from
from hearth.api.parsing import form_data, parse_id, query_list, truthy
from hearth.api.render import Renderer
from hearth.api.schemas import AccountOut, CredentialAccountOut, RelationshipOut, StatusOut
from hearth.core.images import ImageRejected
from hearth.core.pagination import merge_newest
from hearth.posts import boosts
from hearth.posts.models import Boost, Post
from hearth.posts.pins import pinned_posts
from hearth.posts.selectors import posts_visible

router = Router(tags=["accounts"])


class CredentialsIn(Schema):
    display_name: str | None = Field(default=None, max_length=80)
    note: str | None = Field(default=None, max_length=500)
    locked: bool | None = None
    # Accepted and ignored: Hearth has no bots, header images or search opt-out.
    bot: bool | None = None
    discoverable: bool | None = None


@router.get(
    "/v1/accounts/verify_credentials", auth=token("read:accounts"), response=CredentialAccountOut
)
def verify_credentials(request: HttpRequest) -> CredentialAccountOut:
    user = me(request)
    return Renderer(request, user).credential_account(user)


@router.patch(
    "/v1/accounts/update_credentials",
    auth=token("write:accounts"),
    response=CredentialAccountOut,
)
def update_credentials(request: HttpRequest, data: CredentialsIn) -> CredentialAccountOut:
    user = me(request)
    fields: dict[str, object] = {}
    if data.display_name is not None:
        fields["display_name"] = data.display_name.strip()
    if data.note is not None:
        fields["bio"] = data.note.strip()
    if data.locked is not None:
        fields["locked"] = data.locked
    avatar = form_data(request)[1].get("avatar")
    try:
        user = ties.profile_update(user=user, fields=fields, avatar=avatar)
    except ImageRejected as exc:
        raise ApiError(422, f"Validation failed: Avatar {exc}") from None
    return Renderer(request, user).credential_account(user)


@router.get("/v1/accounts/lookup", auth=public("read:accounts"), response=AccountOut)
def lookup(request: HttpRequest, acct: str) -> AccountOut:
    name = acct.strip().lstrip("@").split("@")[0]
    person = people.user_get_by_username(username=name)
    # The same check as by id: someone who blocks the viewer is not found.
    person = people.user_get_visible(viewer=viewer(request), user_id=person.pk)
    return Renderer(request, viewer(request)).account(person)


@router.get("/v1/accounts/search", auth=token("read:accounts"), response=list[AccountOut])
def search(
    request: HttpRequest, q: str, limit: int = 40, following: bool = False
) -> list[AccountOut]:
    found = people.users_search(
        viewer=me(request), query=q, limit=max(1, min(limit, 80)), following=following
    )
    renderer = Renderer(request, me(request))
    return [renderer.account(u) for u in found]


@router.get(
    "/v1/accounts/relationships", auth=token("read:follows"), response=list[RelationshipOut]
)
def relationships(request: HttpRequest) -> list[RelationshipOut]:
    user = me(request)
    renderer = Renderer(request, user)
    out = []
    for raw in query_list(request, "id")[:80]:
        try:
            other = people.user_get_visible(viewer=user, user_id=parse_id(raw))
        except (Http404, ApiError):
            continue
        out.append(renderer.relationship(other))
    return out


@router.get("/v1/accounts/{account_id}", auth=public("read:accounts"), response=AccountOut)
def account_get(request: HttpRequest, account_id: str) -> AccountOut:
    person = people.user_get_visible(viewer=viewer(request), user_id=parse_id(account_id))
    return Renderer(request, viewer(request)).account(person)


@router.get(
    "/v1/accounts/{account_id}/statuses", auth=public("read:statuses"), response=list[StatusOut]
)
def account_statuses(
    request: HttpRequest, response: HttpResponse, account_id: str
) -> list[StatusOut]:
    who = viewer(request)
    person = people.user_get_visible(viewer=who, user_id=parse_id(account_id))
    if truthy(request.GET.get("pinned")):
        # At most five, all on the first page: a client following `max_id` gets none.
        if any(request.GET.get(k) for k in ("max_id", "min_id", "since_id")):
            return []
        return Renderer(request, who).statuses(pinned_posts(viewer=who, author=person))
    queryset = posts_visible(viewer=who).filter(author=person)
    if truthy(request.GET.get("only_media")):
        queryset = queryset.filter(media__isnull=False).distinct()
    if truthy(request.GET.get("exclude_replies")):
        queryset = queryset.filter(in_reply_to__isnull=True)
    tagged = request.GET.get("tagged", "").strip().lstrip("#").lower()
    if tagged:
        queryset = queryset.filter(tags__tag=tagged)
    window = window_from(request)
    posts = apply_window(queryset, window)
    # The person's shares come too, at the time they shared, as on Mastodon;
    # not with a filter for photos or a tag (a share has neither of its own).
    if tagged or any(truthy(request.GET.get(k)) for k in ("only_media", "exclude_reblogs")):
        newest, oldest = bounds(posts)
        set_link(request, response, newest=newest, oldest=oldest)
        return Renderer(request, who).statuses(posts)
    own: list[tuple[int, Post | Boost]] = [(p.pk, p) for p in posts]
    shared: list[tuple[int, Post | Boost]] = [
        (b.pk, b) for b in apply_window(boosts.boosts_by(booster=person), window)
    ]
    rows = merge_newest(own, shared, limit=window.limit, oldest=window.min_id is not None)
    # Shares of posts the viewer may not see drop out here (a gap in the page).
    cards = boosts.shared_posts(
        viewer=who, boosts=[item for _, item in rows if isinstance(item, Boost)]
    )
    by_share = {b.pk: card for card in cards if (b := boosts.shared_boost(card)) is not None}
    items: list[Post] = []
    for key, item in rows:
        card = by_share.get(key) if isinstance(item, Boost) else item
        if card is not None:
            items.append(card)
    set_link(
        request, response, newest=rows[0][0] if rows else None, oldest=rows[-1][0] if rows else None
    )
    return Renderer(request, who).statuses(items)


def _people_page(
    request: HttpRequest, response: HttpResponse, account_id: str, *, followers: bool
) -> list[AccountOut]:
    who = viewer(request)
    person = people.user_get_visible(viewer=who, user_id=parse_id(account_id))
    # As on the profile page: the lists are the person's to show. Hidden
    # lists answer empty, as Mastodon's hide_collections does.
    if not (person.show_counts or (who is not None and who.pk == person.pk)):
        return []
    queryset = (
        people.followers_list(user=person) if followers else people.following_list(user=person)
    )
    rows: list[User] = apply_window(queryset, window_from(request, most=80))
    newest, oldest = bounds(rows)
    set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, who)
    return [renderer.account(u) for u in rows]


@router.get(
    "/v1/accounts/{account_id}/followers", auth=public("read:accounts"), response=list[AccountOut]
)
def followers(request: HttpRequest, response: HttpResponse, account_id: str) -> list[AccountOut]:
    return _people_page(request, response, account_id, followers=True)


@router.get(
    "/v1/accounts/{account_id}/following", auth=public("read:accounts"), response=list[AccountOut]
)
def following(request: HttpRequest, response: HttpResponse, account_id: str) -> list[AccountOut]:
    return _people_page(request, response, account_id, followers=False)


def _other(request: HttpRequest, account_id: str) -> tuple[User, User]:
    user = me(request)
    return user, people.user_get_visible(viewer=user, user_id=parse_id(account_id))


@router.post(
    "/v1/accounts/{account_id}/follow", auth=token("write:follows"), response=RelationshipOut
)
def follow(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.follow_create(follower=user, followee=other)
    return Renderer(request, user).relationship(other)


@router.post(
    "/v1/accounts/{account_id}/unfollow", auth=token("write:follows"), response=RelationshipOut
)
def unfollow(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.follow_delete(follower=user, followee=other)
    return Renderer(request, user).relationship(other)


@router.post(
    "/v1/accounts/{account_id}/block", auth=token("write:blocks"), response=RelationshipOut
)
def block(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.block_create(blocker=user, blocked=other)
    return Renderer(request, user).relationship(other)


@router.post(
    "/v1/accounts/{account_id}/unblock", auth=token("write:blocks"), response=RelationshipOut
)
def unblock(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.block_delete(blocker=user, blocked=other)
    return Renderer(request, user).relationship(other)


@router.post("/v1/accounts/{account_id}/mute", auth=token("write:mutes"), response=RelationshipOut)
def mute(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.mute_create(muter=user, muted=other)
    return Renderer(request, user).relationship(other)


@router.post(
    "/v1/accounts/{account_id}/unmute", auth=token("write:mutes"), response=RelationshipOut
)
def unmute(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    ties.mute_delete(muter=user, muted=other)
    return Renderer(request, user).relationship(other)


@router.get("/v1/follow_requests", auth=token("read:follows"), response=list[AccountOut])
def follow_requests(request: HttpRequest, response: HttpResponse) -> list[AccountOut]:
    user = me(request)
    rows: list[Follow] = apply_window(
        people.follow_requests_pending(user=user), window_from(request, most=80)
    )
    newest, oldest = bounds(rows)
    set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, user)
    return [renderer.account(f.follower) for f in rows]


@router.post(
    "/v1/follow_requests/{account_id}/authorize",
    auth=token("write:follows"),
    response=RelationshipOut,
)
def follow_request_authorize(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    try:
        ties.follow_request_accept(followee=user, follower_id=other.pk)
    except Follow.DoesNotExist:
        raise ApiError(404, "Record not found") from None
    return Renderer(request, user).relationship(other)


@router.post(
    "/v1/follow_requests/{account_id}/reject", auth=token("write:follows"), response=RelationshipOut
)
def follow_request_reject(request: HttpRequest, account_id: str) -> RelationshipOut:
    user, other = _other(request, account_id)
    try:
        ties.follow_request_reject(followee=user, follower_id=other.pk)
    except Follow.DoesNotExist:
        raise ApiError(404, "Record not found") from None
    return Renderer(request, user).relationship(other)


@router.get("/v1/blocks", auth=token("read:blocks"), response=list[AccountOut])
def blocks(request: HttpRequest, response: HttpResponse) -> list[AccountOut]:
    user = me(request)
    rows: list[User] = apply_window(people.blocked_users(user=user), window_from(request, most=80))
    newest, oldest = bounds(rows)
    set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, user)
    return [renderer.account(u) for u in rows]


@router.get("/v1/mutes", auth=token("read:mutes"), response=list[AccountOut])
def mutes(request: HttpRequest, response: HttpResponse) -> list[AccountOut]:
    user = me(request)
    rows: list[User] = apply_window(people.muted_users(user=user), window_from(request, most=80))
    newest, oldest = bounds(rows)
    set_link(request, response, newest=newest, oldest=oldest)
    renderer = Renderer(request, user)
    return [renderer.account(u) for u in rows]
