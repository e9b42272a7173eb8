from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable

from hearth.accounts.models import Block, CircleMember, Follow

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.posts.models import Post  # noqa: F401  (named in the base class below)


class PostQuerySet(QuerySet["Post"]):
    def live(self) -> PostQuerySet:
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, viewer: User | AnonymousUser | None) -> PostQuerySet:
        """Posts `viewer` may read: the audience rules and blocks, both ways.

        Logged out: public and unlisted posts only. Signed in: your own;
        public and unlisted posts; followers-only posts of people you follow
        (accepted); close-circle posts of people whose circle you are in;
        and any post that mentions you (as on Mastodon: naming someone
        addresses them). Nothing from someone who blocked you or whom you
        blocked. Where a post is *listed* is not decided here: public places
        (tag pages, public timelines, search, public streams) list
        Audience.PUBLIC only, never an unlisted post. A private community's
        posts only for its members, whatever their audience; a post removed
        by a community's moderators only for its author. Apps above posts
        may grant extra readers (hearth.posts.readers): a supporters-only
        request for support is read that way, by its routed supporters.
        """
        from hearth.posts.community import community_rules
        from hearth.posts.models import READABLE_BY_ANYONE, Audience, Mention
        from hearth.posts.readers import extra_readers_q

        live = self.live()
        # Community posts: a public community's posts are public; a private
        # community's only for its members (hearth.posts.community). A post
        # removed by moderators stays readable by its author alone.
        in_public_place = Q(community__isnull=True) | Q(community__visibility="public")
        if viewer is None or not viewer.is_authenticated:
            return live.filter(
                in_public_place, audience__in=READABLE_BY_ANYONE, removed_at__isnull=True
            )
        rules = community_rules()
        place_ok = (
            in_public_place | Q(community_id__in=rules.readable_private_ids(viewer))
            if rules is not None
            else in_public_place
        )
        blocked = Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef("author_id"))
            | Q(blocked=viewer, blocker=OuterRef("author_id"))
        )
        follows = Follow.objects.filter(
            follower=viewer, followee=OuterRef("author_id"), state=Follow.State.ACCEPTED
        )
        in_circle = CircleMember.objects.filter(member=viewer, owner=OuterRef("author_id"))
        mentioned = Mention.objects.filter(user=viewer, post=OuterRef("pk"))
        audience_ok: Q | Combinable = (
            Q(audience__in=READABLE_BY_ANYONE)
            | (Q(audience=Audience.FOLLOWERS) & Exists(follows))
            | (Q(audience=Audience.CIRCLE) & Exists(in_circle))
            | Exists(mentioned)
        )
        extra = extra_readers_q(viewer)
        if extra is not None:
            audience_ok = audience_ok | extra
        return live.filter(
            Q(author=viewer)
            | (~Exists(blocked) & place_ok & Q(removed_at__isnull=True) & audience_ok)
        )
