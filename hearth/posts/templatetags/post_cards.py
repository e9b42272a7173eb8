"""Template tags of post cards: `{% post_card post as card %}` (hearth.posts.cards)."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.posts.cards import PostCard, card_for
from hearth.posts.models import Post

register = template.Library()


@register.simple_tag(takes_context=True)
def post_card(context: template.Context, post: Post, focus: object = False) -> PostCard:
    """The card's links and controls for this page's viewer; see hearth.posts.cards.card_for."""
    return card_for(post, context=context, focus=bool(focus))


@register.simple_tag(takes_context=True)
def card_of(context: template.Context, post: Post) -> Any:
    """The card already computed by posts/_post.html, else a new one (a partial rendered alone)."""
    card = context.get("card")
    if isinstance(card, PostCard) and card.pk == post.pk:
        return card
    return card_for(post, context=context)
