from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearth.accounts.selectors import signed_in_user
from hearth.core.pagination import id_param
from hearth.kindness import filters, notes, selectors
from hearth.kindness.forms import KeywordFilterForm, ThankYouForm
from hearth.kindness.models import KeywordFilter


@login_required
def thanks(request: HttpRequest, username: str) -> HttpResponse:
    """Write a thank-you note to someone: the form, and sending it."""
    me = signed_in_user(request)
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
    me = signed_in_user(request)
    page = notes.notes_open_received(recipient=me, max_id=id_param(request, "max_id"))
    return render(
        request,
        "kindness/received.html",
        {"page": page, "section": "kindness", "box": "received"},
    )


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """The thank-you notes the signed-in person has sent."""
    page = selectors.notes_sent(sender=signed_in_user(request), max_id=id_param(request, "max_id"))
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


def _filter_fields(form: KeywordFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "phrase": data["phrase"],
        "whole_word": data["whole_word"],
        "action": data["action"],
        "contexts": data["contexts"],
        "expiry": data["expiry"],
    }


@login_required
def keyword_filters(request: HttpRequest) -> HttpResponse:
    """The signed-in person's keyword filters: the list, and adding one."""
    me = signed_in_user(request)
    form = KeywordFilterForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            added = filters.keyword_filter_create(owner=me, **_filter_fields(form))
        except filters.FilterError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, f"Filter “{added.phrase}” added.")
            return redirect("settings_filters")
    rows = filters.keyword_filters_list(owner=me)
    return render(
        request,
        "kindness/filters.html",
        {
            "form": form,
            "rows": rows,
            "at_limit": len(rows) >= KeywordFilter.MAX_PER_PERSON,
            "limit": KeywordFilter.MAX_PER_PERSON,
            "section": "filters",
        },
        status=400 if form.errors else 200,
    )


@login_required
def keyword_filter_edit(request: HttpRequest, filter_id: int) -> HttpResponse:
    """Change one of the signed-in person's filters; 404 for anyone else's."""
    me = signed_in_user(request)
    current = filters.keyword_filter_get_own(owner=me, filter_id=filter_id)
    form = KeywordFilterForm(request.POST if request.method == "POST" else None, current=current)
    if form.is_bound and form.is_valid():
        try:
            saved = filters.keyword_filter_update(
                owner=me, filter_id=current.pk, **_filter_fields(form)
            )
        except filters.FilterError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, f"Filter “{saved.phrase}” saved.")
            return redirect("settings_filters")
    return render(
        request,
        "kindness/filters_edit.html",
        {"form": form, "current": current, "section": "filters"},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def keyword_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    """Delete one of the signed-in person's filters (POST only); 404 for anyone else's."""
    phrase = filters.keyword_filter_delete(owner=signed_in_user(request), filter_id=filter_id)
    messages.success(request, f"Filter “{phrase}” deleted.")
    return redirect("settings_filters")
