from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hearth.accounts.models import User
from hearth.core.pagination import id_param
from hearth.kindness import notes, selectors
from hearth.kindness.forms import ThankYouForm


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def thanks(request: HttpRequest, username: str) -> HttpResponse:
    """Write a thank-you note to someone: the form, and sending it."""
    me = _me(request)
    person = selectors.note_recipient_get(sender=me, username=username)
    form = ThankYouForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notes.note_send(sender=me, recipient=person, text=form.cleaned_data["text"])
        except notes.NoteLimitReached as exc:
            form.add_error(None, str(exc))
        except notes.NoteError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(
                request,
                f"Your thank-you note is on its way to {person.name}. Only they will see it.",
            )
            return redirect(person.get_absolute_url())
    return render(
        request,
        "kindness/thanks.html",
        {
            "person": person,
            "form": form,
            # Said before anyone writes a note that cannot be sent today.
            "at_limit": request.method == "GET" and selectors.note_quota_left(sender=me) == 0,
        },
        status=400 if form.errors else 200,
    )


@login_required
def received(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own thank-you notes; opening a page marks its notes read."""
    page = notes.notes_open_received(recipient=_me(request), max_id=id_param(request, "max_id"))
    return render(
        request,
        "kindness/received.html",
        {"page": page, "section": "kindness", "box": "received"},
    )


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """The thank-you notes the signed-in person has sent."""
    page = selectors.notes_sent(sender=_me(request), max_id=id_param(request, "max_id"))
    return render(
        request,
        "kindness/sent.html",
        {"page": page, "section": "kindness", "box": "sent"},
    )


def figures(request: HttpRequest) -> HttpResponse:
    """Anonymous weekly figures about reconsider prompts, for staff only.

    Everyone else, signed in or not, gets the same 404 as a page that does
    not exist: the page's existence is not advertised.
    """
    if not request.user.is_staff:
        raise Http404
    return render(request, "kindness/figures.html", {"figures": selectors.prompt_figures()})
