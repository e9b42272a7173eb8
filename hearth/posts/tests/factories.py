from __future__ import annotations

from typing import Any

from hearth.accounts.models import User
from hearth.conftest import committed
from hearth.posts.models import Post
from hearth.posts.services import post_create


def publish(author: User, text: str = "Hello, neighbours.", **kwargs: Any) -> Post:
    """Publish through the real service and deliver its events, as a committed request would."""
    with committed():
        return post_create(author=author, text=text, **kwargs)
