"""Writing posts, replies, photos and reactions.

Images are decoded and re-encoded before the transaction opens, so a slow
upload never holds a database lock; everything else is atomic, and events are
delivered after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hearth.accounts.models import Block, Follow, User
from hearth.accounts.selectors import users_by_usernames
from hearth.core.events import emit
from hearth.core.images import ImageRejected, ProcessedImage, process_image
from hearth.core.text import Rendered, extract_mentions, normalize_newlines, render
from hearth.posts.community import community_refusal
from hearth.posts.events import PostDeleted, PostEdited, PostPublished, ReactionAdded
from hearth.posts.models import (
    MAX_MEDIA,
    MAX_POST_LENGTH,
    Audience,
    Media,
    Mention,
    Post,
    PostEdit,
    PostTag,
    Reaction,
    ReactionKind,
    ReplyPolicy,
    Tone,
)
from hearth.posts.tone import tone_from_text


class PostError(ValueError):
    """The post cannot be written as asked; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MediaUpload:
    file: UploadedFile[bytes]
    alt: str = ""
    # The composer slot (1-4) it came from, so an error lands beside it.
    slot: int | None = None


def _render(text: str, author: User) -> tuple[Rendered, list[User]]:
    known = users_by_usernames(extract_mentions(text))
    blocked = set(
        Block.objects.filter(Q(blocker=author) | Q(blocked=author)).values_list(
            "blocker_id", "blocked_id"
        )
    )
    blocked_ids = {a for pair in blocked for a in pair} - {author.pk}
    reachable = {name: u for name, u in known.items() if u.pk not in blocked_ids}
    rendered = render(
        text,
        mention_url=lambda name: reachable[name].get_absolute_url() if name in reachable else None,
        hashtag_url=lambda tag: reverse("tag", kwargs={"tag": tag}),
    )
    return rendered, [reachable[name] for name in rendered.mentions]


def _check_text(text: str, *, has_media: bool) -> str:
    text = normalize_newlines(text).strip()
    if not text and not has_media:
        raise PostError("Write something, or add a photo.", "text")
    if len(text) > MAX_POST_LENGTH:
        raise PostError(
            f"Posts can be up to {MAX_POST_LENGTH:,} characters; this one has {len(text):,}.",
            "text",
        )
    return text


def _check_tone(tone: str, text: str) -> str:
    if tone and tone not in Tone.values:
        raise PostError("Choose one of the listed tones.", "tone")
    return tone or tone_from_text(text)


def media_process(uploads: Sequence[MediaUpload]) -> list[tuple[ProcessedImage, str]]:
    """Re-encode each upload.

    Raises PostError with the field of the photo that failed (`media_N`, or
    `alt_N` for its description) or `media` for too many photos.
    """
    if len(uploads) > MAX_MEDIA:
        raise PostError(f"A post can carry up to {MAX_MEDIA} photos.", "media")
    processed = []
    for index, upload in enumerate(uploads, start=1):
        slot = upload.slot or index
        if len(upload.alt) > 1500:
            raise PostError("The description can be up to 1,500 characters.", f"alt_{slot}")
        try:
            processed.append((process_image(upload.file), upload.alt.strip()))
        except ImageRejected as exc:
            raise PostError(f"Photo {slot}: {exc}", f"media_{slot}") from None
    return processed


def post_create(
    *,
    author: User,
    text: str,
    audience: str = Audience.PUBLIC,
    content_warning: str = "",
    tone: str = "",
    in_reply_to: Post | None = None,
    media: Sequence[MediaUpload] = (),
    staged: Sequence[Media] = (),
    community_id: int | None = None,
) -> Post:
    """Publish a post or, with `in_reply_to`, a reply.

    `community_id` addresses a new post to a community; a reply belongs to
    its thread's community whatever is passed. Posts in a community are
    public within it (a private community's only to its members); the
    community's rules (membership, the rules acknowledged, a mute or ban, a
    locked thread) are asked through hearth.posts.community. A reply under a
    supporters-only post is supporters-only too, whatever is passed.

    The caller must have read `in_reply_to` through an access helper for
    `author`. `staged` are photos the author uploaded earlier that are not
    on a post yet (see media_stage); they come first, then `media`. Raises
    PostError (with the offending field) for empty or over-long text, an
    unknown audience or tone, a mentioned-only post that mentions nobody, a
    reply across a block, more than four photos, a photo that is not a
    usable image, or what a community refuses; no post is saved then.
    Emits PostPublished.
    """
    if in_reply_to is not None:
        community_id = in_reply_to.community_id
        # Replies under a supporters-only request stay among its readers.
        if in_reply_to.audience == Audience.SUPPORTERS:
            audience = Audience.SUPPORTERS
    refusal = community_refusal(
        user=author, community_id=community_id, action="reply" if in_reply_to else "post"
    )
    if refusal:
        raise PostError(refusal)
    if community_id is not None:
        audience = Audience.PUBLIC
    text = _check_text(text, has_media=bool(media) or bool(staged))
    if len(media) + len(staged) > MAX_MEDIA:
        raise PostError(f"A post can carry up to {MAX_MEDIA} photos.", "media")
    if any(item.owner_id != author.pk or item.post_id is not None for item in staged):
        raise PostError("Those photos are no longer available; please choose them again.", "media")
    if audience not in Audience.values:
        raise PostError("Choose who can see this post.", "audience")
    tone = _check_tone(tone, text)
    content_warning = content_warning.strip()
    if len(content_warning) > 200:
        raise PostError("A content warning can be up to 200 characters.", "content_warning")
    if in_reply_to is not None:
        if in_reply_to.is_deleted:
            raise PostError("That post has been deleted.")
        if Block.objects.filter(
            Q(blocker=in_reply_to.author_id, blocked=author)
            | Q(blocker=author, blocked=in_reply_to.author_id)
        ).exists():
            raise PostError("You can't reply to this post.")
        refusal = reply_refusal(replier=author, parent=in_reply_to)
        if refusal:
            raise PostError(refusal)
    rendered, mentioned = _render(text, author)
    if audience == Audience.MENTIONED and not mentioned:
        raise PostError(
            "Mention at least one person with @username to send a post to mentioned people only.",
            "text",
        )
    photos = [*staged, *media_stage(owner=author, uploads=media)]

    with transaction.atomic():
        post = Post(
            author=author,
            text=text,
            html=rendered.html,
            content_warning=content_warning,
            tone=tone,
            audience=audience,
            in_reply_to=in_reply_to,
            community_id=community_id,
        )
        post.thread_root_id = in_reply_to.thread_root_id if in_reply_to else post.pk
        post.save(force_insert=True)
        Mention.objects.bulk_create([Mention(post=post, user=u) for u in mentioned])
        PostTag.objects.bulk_create([PostTag(post=post, tag=t) for t in rendered.hashtags])
        for position, item in enumerate(photos):
            item.post, item.position = post, position
            item.save(update_fields=["post", "position"])
        emit(PostPublished(post_id=post.pk))
    return post


def _thread_root(post: Post) -> Post:
    """The thread's first post as stored now (its rules may have just changed)."""
    root = Post.objects.select_related("author").filter(pk=post.thread_root_id or post.pk).first()
    return root or post


def reply_refusal(*, replier: User, parent: Post) -> str:
    """Why `replier` may not reply under `parent` now, in words for them; "" if they may.

    The thread's first post holds its rules: who may reply (everyone,
    people its author follows, people it mentions, nobody) and slow mode
    (one reply per person every N minutes). Its author is never limited.
    Every path that creates a reply goes through post_create, which calls
    this.
    """
    root = _thread_root(parent)
    if root.locked_at is not None:
        return "This thread has been locked by the community's moderators."
    if replier.pk == root.author_id:
        return ""
    name = f"@{root.author.username}"
    if root.reply_policy == ReplyPolicy.NOBODY:
        return f"{name} has turned off replies to this thread."
    if (
        root.reply_policy == ReplyPolicy.FOLLOWING
        and not Follow.objects.filter(
            follower_id=root.author_id, followee=replier, state=Follow.State.ACCEPTED
        ).exists()
    ):
        return f"Only people {name} follows can reply to this thread."
    if (
        root.reply_policy == ReplyPolicy.MENTIONED
        and not Mention.objects.filter(post=root, user=replier).exists()
    ):
        return f"Only people {name} mentioned can reply to this thread."
    if root.slow_mode_minutes:
        since = timezone.now() - timedelta(minutes=root.slow_mode_minutes)
        last = (
            Post.objects.live()
            .filter(thread_root_id=root.pk, author=replier, created_at__gte=since)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            wait = last + timedelta(minutes=root.slow_mode_minutes) - timezone.now()
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            return (
                f"This thread is in slow mode: you can reply again in {minutes} "
                f"minute{'s' if minutes != 1 else ''}. Take your time."
            )
    return ""


def thread_rules_set(*, post: Post, actor: User, reply_policy: str, slow_mode_minutes: int) -> Post:
    """Set who may reply to a thread, and slow mode, on its first post.

    Only the author of the thread's first post may; raises PermissionError
    otherwise, PostError for a reply (rules belong to the thread) or values
    out of range.
    """
    if actor.pk != post.author_id:
        raise PermissionError("Only the author can change who may reply.")
    if post.in_reply_to_id is not None:
        raise PostError("Reply rules are set on the first post of a thread.")
    if reply_policy not in ReplyPolicy.values:
        raise PostError("Choose who can reply.", "reply_policy")
    if not 0 <= slow_mode_minutes <= 24 * 60:
        raise PostError(
            "Slow mode can be from 0 (off) to 1,440 minutes (a day).", "slow_mode_minutes"
        )
    post.reply_policy, post.slow_mode_minutes = reply_policy, slow_mode_minutes
    post.save(update_fields=["reply_policy", "slow_mode_minutes"])
    return post


def media_stage(*, owner: User, uploads: Sequence[MediaUpload]) -> list[Media]:
    """Re-encode and store photos that are not on a post yet.

    Used when a composer has to come back to its author (a reconsider
    prompt) so the chosen photos are not lost; post_create attaches them.
    Raises PostError naming the photo that failed; nothing is stored then.
    The owner's photos left unattached for a day (a prompt walked away
    from) are removed first.
    """
    images = media_process(uploads)
    stale = Media.objects.filter(
        owner=owner, post__isnull=True, created_at__lt=timezone.now() - timedelta(days=1)
    ).values_list("pk", flat=True)
    media_discard(owner=owner, media_ids=list(stale))
    items = []
    for image, alt in images:
        item = Media(
            owner=owner,
            alt=alt,
            blurhash=image.blurhash,
            width=image.width,
            height=image.height,
        )
        item.file.save(image.name, image.content, save=False)
        item.save(force_insert=True)
        items.append(item)
    return items


def media_discard(*, owner: User, media_ids: Sequence[int]) -> int:
    """Delete the owner's photos that never made it onto a post. Returns how many."""
    items = list(Media.objects.filter(pk__in=media_ids, owner=owner, post__isnull=True))
    for item in items:
        item.file.delete(save=False)
        item.delete()
    return len(items)


@transaction.atomic
def post_edit(*, post: Post, editor: User, text: str, content_warning: str, tone: str) -> Post:
    """Change a post's text, content warning or tone, keeping the earlier version.

    Only the author may edit. Raises PermissionError for anyone else and
    PostError for invalid input or when the post's community refuses them
    now (muted, banned, no longer a member). Emits PostEdited when anything
    changed.
    """
    if editor.pk != post.author_id:
        raise PermissionError("Only the author can edit a post.")
    if post.is_deleted:
        raise PostError("That post has been deleted.")
    # A community's rules hold for edits as for writing: no editing while muted or banned.
    refusal = community_refusal(
        user=editor,
        community_id=post.community_id,
        action="reply" if post.in_reply_to_id else "post",
    )
    if refusal:
        raise PostError(refusal)
    text = _check_text(text, has_media=post.media.exists())
    tone = _check_tone(tone, text)
    content_warning = content_warning.strip()
    if len(content_warning) > 200:
        raise PostError("A content warning can be up to 200 characters.", "content_warning")
    if (text, content_warning, tone) == (post.text, post.content_warning, post.tone):
        return post
    PostEdit.objects.create(
        post=post,
        text=post.text,
        html=post.html,
        content_warning=post.content_warning,
        tone=post.tone,
        created_at=post.edited_at or post.created_at,
    )
    rendered, mentioned = _render(text, post.author)
    post.text, post.html = text, rendered.html
    post.content_warning, post.tone = content_warning, tone
    post.edited_at = timezone.now()
    post.save(update_fields=["text", "html", "content_warning", "tone", "edited_at"])
    Mention.objects.filter(post=post).exclude(user__in=mentioned).delete()
    Mention.objects.bulk_create(
        [Mention(post=post, user=u) for u in mentioned], ignore_conflicts=True
    )
    PostTag.objects.filter(post=post).delete()
    PostTag.objects.bulk_create([PostTag(post=post, tag=t) for t in rendered.hashtags])
    emit(PostEdited(post_id=post.pk))
    return post


@transaction.atomic
def post_delete(*, post: Post, actor: User) -> None:
    """Delete a post: its text, photos, tags, mentions and reactions go; replies stay.

    Only the author (or staff) may delete. Raises PermissionError otherwise.
    Emits PostDeleted. Deleting twice is harmless.
    """
    if actor.pk != post.author_id and not actor.is_staff:
        raise PermissionError("Only the author can delete a post.")
    if post.is_deleted:
        return
    for item in post.media.all():
        item.file.delete(save=False)
    post.media.all().delete()
    post.tags.all().delete()
    post.mentions.all().delete()
    post.reactions.all().delete()
    post.edits.all().delete()
    post.text = post.html = post.content_warning = ""
    post.deleted_at = timezone.now()
    post.save(update_fields=["text", "html", "content_warning", "deleted_at"])
    emit(PostDeleted(post_id=post.pk, author_id=post.author_id))


def media_describe(*, media: Media, owner: User, alt: str) -> Media:
    """Set a photo's description. Raises PermissionError if `owner` does not own it."""
    if media.owner_id != owner.pk:
        raise PermissionError("Only the author can describe this photo.")
    alt = alt.strip()
    if len(alt) > 1500:
        raise PostError("The description can be up to 1,500 characters.", "alt")
    media.alt = alt
    media.save(update_fields=["alt"])
    return media


@transaction.atomic
def reaction_set(*, post: Post, user: User, kind: str) -> Reaction:
    """Respond to a visible post; a second reaction replaces the first.

    The caller must have read `post` through an access helper for `user`.
    Raises PostError for an unknown kind, a deleted post, or a community
    that refuses (not a member, banned). Emits
    ReactionAdded when a new reaction is made, not when one is changed.
    """
    if kind not in ReactionKind.values:
        raise PostError("Choose one of the reactions.", "kind")
    if post.is_deleted:
        raise PostError("That post has been deleted.")
    refusal = community_refusal(user=user, community_id=post.community_id, action="react")
    if refusal:
        raise PostError(refusal)
    reaction, created = Reaction.objects.update_or_create(
        post=post, user=user, defaults={"kind": kind}
    )
    if created:
        emit(ReactionAdded(reaction_id=reaction.pk))
    return reaction


def reaction_remove(*, post: Post, user: User) -> None:
    Reaction.objects.filter(post=post, user=user).delete()
