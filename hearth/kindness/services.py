"""The reconsider prompt: judge a text before it is sent, record what its author chose.

Nothing is ever blocked here. A prompt is a pause with three ways on: edit,
send anyway, cancel.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hearth.accounts.models import User
from hearth.kindness import cues
from hearth.kindness.judge import get_judge, judged_text
from hearth.kindness.models import Prompt, PromptFeedback

# Replies to someone asking for support (context "support") are judged more
# carefully, at the judge's careful threshold (`Judge.careful_threshold`): a
# person in a hard time is hurt by less, and a reply there that merely
# scores "borderline" (such as "man up") is worth a pause. The
# friends' exemption does not apply there either.
SUPPORT_CONTEXT = "support"


class PromptNotFound(LookupError):
    """No pending prompt with that id belongs to this person."""


def reconsider_check(
    *,
    author: User,
    text: str,
    tone: str = "",
    context: str = "post",
    friends: bool = False,
    thread_root_id: int | None = None,
) -> Prompt | None:
    """Judge `text`; if it looks hurtful, record a pending Prompt and return it.

    `friends` is true between people who follow each other and have replied
    to each other before: profanity alone does not prompt them, a threat or
    a slur still does. The tone the author chose does not exempt a text (a
    "joking" insult still reads as an insult); the prompt mentions it.
    With `context="support"` (a reply where someone asks for support) the
    judge's careful threshold applies, with no allowance for friends.
    Raises JudgeUnavailable if the model cannot be loaded.
    """
    judge = get_judge()
    careful = context == SUPPORT_CONTEXT
    assessment = judge.assess(text, friends=friends and not careful)
    reasons = list(assessment.reasons)
    if not assessment.nudge:
        if not (careful and assessment.score >= judge.careful_threshold):
            return None
        reasons = cues.reasons(cues.detect(judged_text(text)))
    return Prompt.objects.create(
        author=author,
        context=context,
        score=round(float(assessment.score), 4),
        reasons=reasons,
        tone=tone,
        thread_root_id=thread_root_id,
    )


def prompt_decide(*, prompt_id: int, author: User, outcome: str) -> Prompt:
    """Record the author's choice for a prompt of theirs.

    The first choice counts; a repeated submission (a double click, a
    reload) changes nothing. Raises PromptNotFound for someone else's or a
    missing prompt, ValueError for an unknown outcome.
    """
    if outcome not in {Prompt.Outcome.EDITED, Prompt.Outcome.CANCELLED, Prompt.Outcome.SENT_ANYWAY}:
        raise ValueError(f"unknown outcome {outcome!r}")
    with transaction.atomic():
        prompt = Prompt.objects.select_for_update().filter(pk=prompt_id, author=author).first()
        if prompt is None:
            raise PromptNotFound(prompt_id)
        if prompt.outcome == Prompt.Outcome.PENDING:
            prompt.outcome = outcome
            prompt.decided_at = timezone.now()
            prompt.save(update_fields=["outcome", "decided_at"])
    return prompt


def prompt_report_wrong(
    *, prompt_id: int, author: User, text: str, note: str = ""
) -> PromptFeedback:
    """ "This was wrong": keep the text and the author's note for retraining the judge.

    Idempotent per prompt (a second report replaces the note). Raises
    PromptNotFound for someone else's or a missing prompt.
    """
    prompt = Prompt.objects.filter(pk=prompt_id, author=author).first()
    if prompt is None:
        raise PromptNotFound(prompt_id)
    feedback, _ = PromptFeedback.objects.update_or_create(
        prompt=prompt, defaults={"text": text[:20_000], "note": note[:500]}
    )
    return feedback


HEATED_WINDOW = timedelta(hours=1)
HEATED_AFTER = 2


def thread_is_heated(*, thread_root_id: int | None) -> bool:
    """Two or more replies sent despite a prompt in this thread within the last hour.

    Abusive comments cluster: most sit in a thread with another one
    (Nextdoor), so everyone replying there then sees a kindness reminder.
    """
    if thread_root_id is None:
        return False
    since = timezone.now() - HEATED_WINDOW
    sent = Prompt.objects.filter(
        thread_root_id=thread_root_id,
        outcome=Prompt.Outcome.SENT_ANYWAY,
        decided_at__gte=since,
    )
    return sent.count() >= HEATED_AFTER
