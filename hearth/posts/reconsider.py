"""The reconsider prompt for a post, reply or edit: one judgement for the web and the API.

A text is judged as a post, as a reply, or (with the careful threshold) as
a reply in a support thread; profanity between friends does not prompt a
reply. An edit whose text is unchanged is not judged again, so fixing a
content warning or tone never meets the prompt.
"""

from __future__ import annotations

from hearth.accounts.models import User
from hearth.kindness.models import Prompt
from hearth.kindness.services import reconsider_check
from hearth.posts import selectors
from hearth.posts.models import Post


def post_reconsider(
    *,
    author: User,
    text: str,
    tone: str,
    parent: Post | None,
    previous_text: str | None = None,
) -> Prompt | None:
    """The pending Prompt if `text` looks hurtful, else None.

    `parent` is the post replied to (None for a post); `previous_text` is
    the text before an edit (None for a new post), and an edit that leaves
    it as it was is not judged. Records the Prompt (see
    kindness.services.reconsider_check); raises JudgeUnavailable if the
    judge cannot be loaded. Emits no event.
    """
    if previous_text is not None and text == previous_text:
        return None
    if parent is None:
        context = "post"
    else:
        context = "support" if selectors.in_support_thread(parent) else "reply"
    return reconsider_check(
        author=author,
        text=text,
        tone=tone,
        context=context,
        friends=parent is not None and selectors.are_friends(a=author, b=parent.author),
        thread_root_id=parent.thread_root_id if parent else None,
    )
