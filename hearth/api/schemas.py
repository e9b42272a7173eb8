"""Output schemas: the Mastodon entities as Hearth answers them.

https://docs.joinmastodon.org/entities/ — field names and types follow
Mastodon exactly, since clients read them by name. Ids are strings;
times are ISO 8601 in UTC with milliseconds, as Mastodon writes them.
Input schemas live beside the resource that reads them.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    error: str


class EmojiOut(Schema):
    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool


class FieldOut(Schema):
    name: str
    value: str
    verified_at: str | None = None


class HearthAccountOut(Schema):
    """What Hearth adds to an account; Mastodon clients ignore it."""

    pronouns: str
    counts_hidden: bool


class AccountOut(Schema):
    id: str
    username: str
    acct: str
    url: str
    uri: str
    display_name: str
    note: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    locked: bool
    fields: list[FieldOut]
    emojis: list[EmojiOut]
    bot: bool
    group: bool
    discoverable: bool
    indexable: bool
    noindex: bool
    created_at: str
    last_status_at: str | None
    statuses_count: int
    followers_count: int
    following_count: int
    hide_collections: bool
    roles: list[dict[str, Any]] = []
    hearth: HearthAccountOut


class SourceOut(Schema):
    privacy: str
    sensitive: bool
    language: str
    note: str
    fields: list[FieldOut]
    follow_requests_count: int


class CredentialAccountOut(AccountOut):
    source: SourceOut


class RelationshipOut(Schema):
    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str


class MediaMetaSizeOut(Schema):
    width: int
    height: int
    size: str
    aspect: float


class MediaMetaOut(Schema):
    original: MediaMetaSizeOut
    small: MediaMetaSizeOut


class MediaOut(Schema):
    id: str
    type: str
    url: str | None
    preview_url: str | None
    remote_url: str | None
    text_url: str | None
    meta: MediaMetaOut | None
    description: str | None
    blurhash: str | None


class MentionOut(Schema):
    id: str
    username: str
    url: str
    acct: str


class TagOut(Schema):
    name: str
    url: str
    history: list[dict[str, str]] = []
    following: bool | None = None


class ApplicationOut(Schema):
    name: str
    website: str | None


class HearthStatusOut(Schema):
    """Hearth's own view of a status: its tone, audience and your reaction."""

    tone: str | None
    audience: str
    reaction: str | None
    reaction_emoji: str | None
    asks_for_care: bool


class StatusOut(Schema):
    id: str
    uri: str
    url: str
    created_at: str
    account: AccountOut
    content: str
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaOut]
    application: ApplicationOut | None
    mentions: list[MentionOut]
    tags: list[TagOut]
    emojis: list[EmojiOut]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    # A share (Hearth's boost) is a status of its own whose `reblog` is the post shared.
    reblog: StatusOut | None = None
    poll: None = None
    card: None = None
    language: str | None
    text: str | None = None
    edited_at: str | None
    favourited: bool
    reblogged: bool
    muted: bool
    bookmarked: bool
    pinned: bool
    filtered: list[dict[str, Any]]
    hearth: HearthStatusOut


class ContextOut(Schema):
    ancestors: list[StatusOut]
    descendants: list[StatusOut]


class StatusSourceOut(Schema):
    id: str
    text: str
    spoiler_text: str


class StatusEditOut(Schema):
    content: str
    spoiler_text: str
    sensitive: bool
    created_at: str
    account: AccountOut
    media_attachments: list[MediaOut]
    emojis: list[EmojiOut]
    poll: None = None


class HearthNotificationOut(Schema):
    reaction: str | None


class NotificationOut(Schema):
    id: str
    type: str
    created_at: str
    group_key: str
    account: AccountOut
    status: StatusOut | None = None
    hearth: HearthNotificationOut


class ReactionOut(Schema):
    """Pleroma's emoji reaction entity; Hearth's reactions are five named emoji."""

    name: str
    count: int
    me: bool
    url: None = None
    hearth_kind: str


class MarkerOut(Schema):
    last_read_id: str
    version: int
    updated_at: str


class SearchOut(Schema):
    accounts: list[AccountOut]
    statuses: list[StatusOut]
    hashtags: list[TagOut]


class AppOut(Schema):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str
    client_id: str | None = None
    client_secret: str | None = None
    client_secret_expires_at: int | None = None


class ListOut(Schema):
    id: str
    title: str
    replies_policy: str
    exclusive: bool


class ConversationOut(Schema):
    """A Hearth conversation (hearth.messaging); its messages are `direct` statuses."""

    id: str
    unread: bool
    accounts: list[AccountOut]
    last_status: StatusOut | None


class FilterKeywordOut(Schema):
    id: str
    keyword: str
    whole_word: bool


class FilterStatusOut(Schema):
    id: str
    status_id: str


class FilterOut(Schema):
    """A Hearth keyword filter as Mastodon's v2 Filter: one keyword each."""

    id: str
    title: str
    context: list[str]
    expires_at: str | None
    filter_action: str
    keywords: list[FilterKeywordOut]
    statuses: list[FilterStatusOut]


class FilterResultOut(Schema):
    filter: FilterOut
    keyword_matches: list[str] | None
    status_matches: list[str] | None


class ReportOut(Schema):
    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str
    status_ids: list[str] | None
    rule_ids: list[str] | None
    target_account: AccountOut
