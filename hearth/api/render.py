"""Hearth's people, posts and notifications as Mastodon entities (hearth.api.schemas).

One Renderer per request: it knows the viewer, makes absolute URLs and
remembers the accounts it has drawn, so a timeline of twenty posts by three
people draws three accounts. Counts Hearth hides (followers, following,
posts, reactions, shares) are 0 to everyone but their owner, unless the person
chose to show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, linebreaks

from hearth.accounts.models import User
from hearth.accounts.selectors import follow_counts, follow_requests_pending, relationship_get
from hearth.api.filtermap import FilterResults
from hearth.api.schemas import (
    AccountOut,
    CredentialAccountOut,
    HearthAccountOut,
    HearthNotificationOut,
    HearthStatusOut,
    MediaMetaOut,
    MediaMetaSizeOut,
    MediaOut,
    MentionOut,
    NotificationOut,
    RelationshipOut,
    SourceOut,
    StatusOut,
    TagOut,
)
from hearth.feeds.models import Notification
from hearth.posts.boosts import boost_counts_for_author, shared_boost
from hearth.posts.models import REACTION_EMOJI, Audience, Boost, Media, Post, ReactionKind
from hearth.posts.pins import pinned_ids
from hearth.posts.selectors import posts_by_ids, posts_visible

# Hearth audiences as Mastodon visibilities. A close-circle post is
# "private" to a plain client (a narrower audience than followers, shown
# with the same lock); the `hearth` object on the status says which.
VISIBILITY = {
    Audience.PUBLIC: "public",
    Audience.UNLISTED: "unlisted",
    Audience.FOLLOWERS: "private",
    Audience.CIRCLE: "private",
    Audience.MENTIONED: "direct",
}

# Notification kinds as Mastodon types. Every reaction is a favourite to a
# plain client; a reply is a mention, as on Mastodon. Hearth's "your request
# was accepted" has no Mastodon type and is not listed.
NOTIFICATION_TYPES = {
    Notification.Kind.FOLLOW: "follow",
    Notification.Kind.FOLLOW_REQUEST: "follow_request",
    Notification.Kind.REPLY: "mention",
    Notification.Kind.MENTION: "mention",
    Notification.Kind.REACTION: "favourite",
    Notification.Kind.REBLOG: "reblog",
}


def iso(when: datetime) -> str:
    """A time as Mastodon writes it: UTC, milliseconds, a Z."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class Renderer:
    def __init__(self, request: HttpRequest, viewer: User | None) -> None:
        self.request = request
        self.viewer = viewer
        self._accounts: dict[int, AccountOut] = {}
        self._reply_counts: dict[int, int] = {}
        self._boost_counts: dict[int, int] = {}
        self._pinned: set[int] = set()
        self._filters: FilterResults | None = None

    def url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    # --- people -------------------------------------------------------------

    def _counts_shown(self, user: User) -> bool:
        return user.show_counts or (self.viewer is not None and self.viewer.pk == user.pk)

    def account(self, user: User) -> AccountOut:
        if user.pk in self._accounts:
            return self._accounts[user.pk]
        shown = self._counts_shown(user)
        followers, following = follow_counts(user=user) if shown else (0, 0)
        statuses = posts_visible(viewer=self.viewer).filter(author=user).count() if shown else 0
        avatar = self.url(user.avatar.url) if user.avatar else self.url(static("api/avatar.png"))
        header = self.url(static("api/header.png"))
        profile = self.url(user.get_absolute_url())
        joined = user.date_joined.replace(hour=0, minute=0, second=0, microsecond=0)
        out = AccountOut(
            id=str(user.pk),
            username=user.username,
            acct=user.username,
            url=profile,
            uri=profile,
            display_name=user.display_name or user.username,
            note=linebreaks(escape(user.bio)) if user.bio else "",
            avatar=avatar,
            avatar_static=avatar,
            header=header,
            header_static=header,
            locked=user.locked,
            fields=[],
            emojis=[],
            bot=False,
            group=False,
            discoverable=True,
            indexable=False,
            noindex=False,
            created_at=iso(joined),
            last_status_at=None,
            statuses_count=statuses,
            followers_count=followers,
            following_count=following,
            # Followers and following are listed only if the person shows their counts.
            hide_collections=not user.show_counts,
            hearth=HearthAccountOut(pronouns=user.pronouns, counts_hidden=not user.show_counts),
        )
        self._accounts[user.pk] = out
        return out

    def credential_account(self, user: User) -> CredentialAccountOut:
        base = self.account(user)
        return CredentialAccountOut(
            **base.model_dump(),
            source=SourceOut(
                privacy="public",
                sensitive=False,
                language=(user.language_list or [""])[0][:2],
                note=user.bio,
                fields=[],
                follow_requests_count=follow_requests_pending(user=user).count(),
            ),
        )

    def relationship(self, other: User) -> RelationshipOut:
        rel = relationship_get(viewer=self.viewer, other=other)
        return RelationshipOut(
            id=str(other.pk),
            following=rel.following,
            showing_reblogs=rel.following,
            notifying=False,
            languages=None,
            followed_by=rel.followed_by,
            blocking=rel.blocking,
            blocked_by=rel.blocked_by,
            muting=rel.muting,
            muting_notifications=rel.muting,
            requested=rel.requested,
            requested_by=rel.request_pending_from_them,
            domain_blocking=False,
            endorsed=False,
            note="",
        )

    # --- posts --------------------------------------------------------------

    def media(self, item: Media) -> MediaOut:
        url = self.url(item.file.url) if item.file else None
        size = MediaMetaSizeOut(
            width=item.width,
            height=item.height,
            size=f"{item.width}x{item.height}",
            aspect=round(item.width / item.height, 4) if item.height else 1.0,
        )
        return MediaOut(
            id=str(item.pk),
            type="image",
            url=url,
            preview_url=url,
            remote_url=None,
            text_url=None,
            meta=MediaMetaOut(original=size, small=size),
            description=item.alt or None,
            blurhash=item.blurhash or None,
        )

    def _prefetch(self, posts: Sequence[Post]) -> None:
        """Load mentions, tags and visible reply counts for a page of posts at once."""
        prefetch_related_objects(list(posts), "mentions__user", "tags")
        missing = [p.pk for p in posts if p.pk not in self._reply_counts]
        if missing:
            counts: dict[int, int] = dict.fromkeys(missing, 0)
            for parent_id in (
                posts_visible(viewer=self.viewer)
                .filter(in_reply_to_id__in=missing)
                .values_list("in_reply_to_id", flat=True)
            ):
                if parent_id is not None:
                    counts[parent_id] = counts.get(parent_id, 0) + 1
            self._reply_counts.update(counts)
        if self.viewer is not None:
            own = [p.pk for p in posts if p.author_id == self.viewer.pk]
            self._pinned |= pinned_ids(post_ids=own)
        self._count_boosts(posts)

    def _count_boosts(self, posts: Sequence[Post]) -> None:
        """How often the viewer's own posts were shared (a count only their author sees)."""
        if self.viewer is None:
            return
        own = [p.pk for p in posts if p.author_id == self.viewer.pk]
        missing = [pk for pk in own if pk not in self._boost_counts]
        if missing:
            counts = dict.fromkeys(missing, 0)
            counts.update(boost_counts_for_author(viewer=self.viewer, post_ids=missing))
            self._boost_counts.update(counts)

    def statuses(self, posts: Iterable[Post]) -> list[StatusOut]:
        posts = list(posts)
        self._prefetch(posts)
        return [self._shared_or_status(p) for p in posts]

    def status(self, post: Post, *, with_source: bool = False) -> StatusOut:
        self._prefetch([post])
        return self._shared_or_status(post, with_source=with_source)

    def _shared_or_status(self, post: Post, *, with_source: bool = False) -> StatusOut:
        """The post, or for a post shown as a share (posts.boosts) the share wrapping it."""
        status = self._status(post, with_source=with_source)
        boost = shared_boost(post)
        return self.reblog(boost, status) if boost is not None else status

    def reblog(self, boost: Boost, shared: StatusOut) -> StatusOut:
        """A share as Mastodon's reblog: a status of its own, by the booster, holding the post.

        It has no text, photos or counts of its own; clients show `reblog`.
        The viewer's flags (favourited, reblogged, bookmarked) and filter
        results are the post's, as clients act on the post shared.
        """
        return shared.model_copy(
            update={
                "id": str(boost.pk),
                "created_at": iso(boost.created_at),
                "account": self.account(boost.booster),
                "content": "",
                "visibility": "public",
                "sensitive": False,
                "spoiler_text": "",
                "media_attachments": [],
                "mentions": [],
                "tags": [],
                "reblogs_count": 0,
                "favourites_count": 0,
                "replies_count": 0,
                "in_reply_to_id": None,
                "in_reply_to_account_id": None,
                "text": None,
                "edited_at": None,
                "pinned": False,
                "reblog": shared,
            }
        )

    def _status(self, post: Post, *, with_source: bool = False) -> StatusOut:
        mine = getattr(post, "my_reactions", None) or []
        my_kind = mine[0].kind if mine else None
        is_owner = self.viewer is not None and self.viewer.pk == post.author_id
        parent = post.in_reply_to
        url = self.url(post.get_absolute_url())
        return StatusOut(
            id=str(post.pk),
            uri=url,
            url=url,
            created_at=iso(post.created_at),
            account=self.account(post.author),
            content=self.html(post.html),
            visibility=VISIBILITY.get(Audience(post.audience), "private"),
            sensitive=bool(post.content_warning),
            spoiler_text=post.content_warning,
            media_attachments=[self.media(m) for m in post.media.all()],
            application=None,
            mentions=[
                MentionOut(
                    id=str(m.user.pk),
                    username=m.user.username,
                    url=self.url(m.user.get_absolute_url()),
                    acct=m.user.username,
                )
                for m in post.mentions.all()
            ],
            tags=[self.tag(t.tag) for t in post.tags.all()],
            emojis=[],
            reblogs_count=self._boost_counts.get(post.pk, 0) if is_owner else 0,
            favourites_count=post.reactions.count() if is_owner else 0,
            replies_count=self._reply_counts.get(post.pk, 0),
            in_reply_to_id=str(post.in_reply_to_id) if post.in_reply_to_id else None,
            in_reply_to_account_id=str(parent.author_id) if parent is not None else None,
            language=None,
            text=post.text if with_source else None,
            edited_at=iso(post.edited_at) if post.edited_at else None,
            favourited=my_kind is not None,
            reblogged=bool(getattr(post, "viewer_boosted", False)),
            muted=False,
            bookmarked=bool(getattr(post, "my_bookmarks", None)),
            pinned=post.pk in self._pinned,
            filtered=self.filtered(post),
            hearth=HearthStatusOut(
                tone=post.tone or None,
                audience=post.audience,
                reaction=my_kind,
                reaction_emoji=REACTION_EMOJI[ReactionKind(my_kind)] if my_kind else None,
                asks_for_care=post.asks_for_care,
            ),
        )

    def filtered(self, post: Post) -> list[dict[str, Any]]:
        """Mastodon's FilterResult for a post the viewer's warn filter matched (`filtered_as`).

        Hearth's access helpers drop what a hide filter matches and mark
        what a warn filter matches, per place (home, notifications, threads,
        profiles and tags), so only the warned ones get here.
        """
        phrase = getattr(post, "filtered_as", None)
        if not phrase or self.viewer is None:
            return []
        if self._filters is None:
            self._filters = FilterResults(self.viewer)
        return self._filters.results(phrase)

    def html(self, html: str) -> str:
        """Hearth's HTML with its site-relative links made absolute, as clients need them."""
        base = self.url("/").rstrip("/")
        return html.replace('href="/', f'href="{base}/')

    def tag(self, name: str) -> TagOut:
        return TagOut(name=name, url=self.url(reverse("tag", kwargs={"tag": name})))

    # --- notifications ------------------------------------------------------

    def notifications(self, items: Sequence[Notification]) -> list[NotificationOut]:
        """Mastodon notifications for those with a Mastodon type; the posts reloaded as cards."""
        items = [n for n in items if n.kind in NOTIFICATION_TYPES]
        post_ids = [n.post_id for n in items if n.post_id is not None]
        cards = {p.pk: p for p in posts_by_ids(post_ids, self.viewer)}
        self._prefetch(list(cards.values()))
        out = []
        for n in items:
            post = cards.get(n.post_id) if n.post_id is not None else None
            if n.post_id is not None and post is None:
                continue
            kind = NOTIFICATION_TYPES[Notification.Kind(n.kind)]
            out.append(
                NotificationOut(
                    id=str(n.pk),
                    type=kind,
                    created_at=iso(n.created_at),
                    group_key=f"ungrouped-{n.pk}",
                    account=self.account(n.actor),
                    status=self._status(post) if post is not None else None,
                    hearth=HearthNotificationOut(reaction=n.reaction_kind or None),
                )
            )
        return out
