from typing import Any

from django.http import HttpRequest

from hearth.posts.models import REACTION_EMOJI, ReactionKind

REACTION_CHOICES = [(kind.value, kind.label, REACTION_EMOJI[kind]) for kind in ReactionKind]


def reactions(request: HttpRequest) -> dict[str, Any]:
    return {"reaction_choices": REACTION_CHOICES}
