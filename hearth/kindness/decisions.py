"""The choice made on a reconsider page, read from the form every composer sends back.

The post composer and the message composer both show the reconsider page
(edit / send anyway / don't send, and "this prompt got me wrong"); both
record the choice through this one function.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest

from hearth.accounts.models import User
from hearth.core.pagination import id_param
from hearth.kindness.models import Prompt
from hearth.kindness.services import PromptNotFound, prompt_decide, prompt_report_wrong

RECONSIDER_OUTCOMES = {
    "edit": Prompt.Outcome.EDITED,
    "send": Prompt.Outcome.SENT_ANYWAY,
    "cancel": Prompt.Outcome.CANCELLED,
}


def reconsider_decision_record(request: HttpRequest, *, author: User, decision: str) -> None:
    """Record `decision` for the form's prompt, and "this was wrong" if ticked.

    Raises Http404 for an unknown decision, a missing prompt id, or a prompt
    that is not the author's (the same answer for each).
    """
    prompt_id = id_param(request, "prompt")
    if decision not in RECONSIDER_OUTCOMES or prompt_id is None:
        raise Http404
    try:
        prompt_decide(prompt_id=prompt_id, author=author, outcome=RECONSIDER_OUTCOMES[decision])
        if request.POST.get("wrong"):
            prompt_report_wrong(
                prompt_id=prompt_id,
                author=author,
                text=request.POST.get("text", ""),
                note=request.POST.get("wrong_note", ""),
            )
            messages.info(request, "Thank you for telling us. It helps the prompt learn.")
    except PromptNotFound:
        raise Http404 from None
