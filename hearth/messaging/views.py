"""Conversation pages. Each view: parse, authorize through an access helper, one call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import signed_in_user
from hearth.core.pagination import id_param
from hearth.kindness.decisions import reconsider_decision_record
from hearth.kindness.services import (
    reconsider_check,
)
from hearth.messaging import selectors, services
from hearth.messaging.forms import PHOTO_SLOTS, MessageForm, NewConversationForm, RenameForm
from hearth.messaging.models import MessagePhoto, Participant


def _inbox_page(request: HttpRequest, *, requests: bool) -> HttpResponse:
    me = signed_in_user(request)
    window = selectors.inbox_window(
        viewer=me, requests=requests, max_id=id_param(request, "max_id")
    )
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": window.rows,
            "older_max_id": window.older_max_id,
            "requests_count": selectors.request_count(user=me),
            "tab": "requests" if requests else "inbox",
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox_page(request, requests=False)


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    return _inbox_page(request, requests=True)


def _photo_upload(form: MessageForm) -> list[services.PhotoUpload]:
    uploads = []
    for n in PHOTO_SLOTS:
        upload = form.cleaned_data.get(f"photo_{n}")
        if upload:
            alt = form.cleaned_data.get(f"alt_{n}") or ""
            uploads.append(services.PhotoUpload(file=upload, alt=alt, slot=n))
    return uploads


def _staged(request: HttpRequest, me: User) -> list[MessagePhoto]:
    ids = [int(v) for v in request.POST.getlist("staged") if v.isdigit() and len(v) <= 20]
    if not ids:
        return []
    return list(MessagePhoto.objects.filter(pk__in=ids, owner=me, message__isnull=True))


def _reconsider(
    request: HttpRequest,
    *,
    me: User,
    form: MessageForm,
    staged: list[MessagePhoto],
    friends: bool,
    action: str,
    back: str,
) -> tuple[HttpResponse | None, list[MessagePhoto]]:
    """The reconsider prompt before a message goes out, as the post composer has it.

    Returns a response to send instead (the prompt page, the composer again,
    or "nothing was sent"), or None to go ahead, with the staged photos.
    """
    decision = request.POST.get("reconsider", "")
    if decision:
        reconsider_decision_record(request, author=me, decision=decision)
    if decision == "cancel":
        services.photos_discard(owner=me, photo_ids=[p.pk for p in staged])
        messages.info(request, "Nothing was sent.")
        return HttpResponseRedirect(back), staged
    if decision == "send":
        return None, staged
    prompt = reconsider_check(
        author=me, text=form.cleaned_data["text"], context="message", friends=friends
    )
    if prompt is None:
        return None, staged
    staged = [*staged, *services.photos_stage(owner=me, uploads=_photo_upload(form))]
    page = render(
        request,
        "messaging/reconsider.html",
        {"prompt": prompt, "form": form, "staged": staged, "action": action},
    )
    return page, staged


@login_required
def conversation_new(request: HttpRequest) -> HttpResponse:
    """Start a conversation: people by username, an optional group name, the first message."""
    me = signed_in_user(request)
    initial = {"to": request.GET.get("to", "")[:200]}
    form = NewConversationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recipients = services.recipients_resolve(sender=me, raw=form.cleaned_data["to"])
            staged = _staged(request, me)
            if request.POST.get("reconsider") == "edit":
                reconsider_decision_record(request, author=me, decision="edit")
                return render(request, "messaging/new.html", {"form": form, "staged": staged})
            friends = len(recipients) == 1 and selectors.mutual_followers(a=me, b=recipients[0])
            response, staged = _reconsider(
                request,
                me=me,
                form=form,
                staged=staged,
                friends=friends,
                action=reverse("messaging:new"),
                back=reverse("messaging:inbox"),
            )
            if response is not None:
                return response
            conversation, _ = services.conversation_start(
                initiator=me,
                recipients=recipients,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                photos=_photo_upload(form),
                staged=staged,
            )
        except services.MessagingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect(conversation.get_absolute_url())
    return render(request, "messaging/new.html", {"form": form}, status=400 if form.errors else 200)


def _conversation_context(
    me: User, participant: Participant, request: HttpRequest
) -> dict[str, Any]:
    conversation = participant.conversation
    page = selectors.messages_page(participant=participant, max_id=id_param(request, "max_id"))
    people = selectors.people_in(conversation=conversation)
    others = [u for u in people if u.pk != me.pk]
    return {
        "conversation": conversation,
        "participant": participant,
        "page": page,
        "people": people,
        "others": others,
        "name": conversation.title or ", ".join(u.name for u in others) or "Just you",
        "rename_form": RenameForm(initial={"title": conversation.title}),
        "last_read": participant.last_read_message_id,
    }


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me = signed_in_user(request)
    participant = selectors.conversation_get_for_participant(
        viewer=me, conversation_id=conversation_id
    )
    context = _conversation_context(me, participant, request)
    context["form"] = MessageForm()
    if context["page"].messages and id_param(request, "max_id") is None:
        services.conversation_mark_read(
            participant=participant, up_to_id=context["page"].messages[-1].pk
        )
    return render(request, "messaging/conversation.html", context)


@login_required
@require_POST
def message_send(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me = signed_in_user(request)
    participant = selectors.conversation_get_for_participant(
        viewer=me, conversation_id=conversation_id
    )
    conversation = participant.conversation
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            staged = _staged(request, me)
            if request.POST.get("reconsider") == "edit":
                reconsider_decision_record(request, author=me, decision="edit")
                context = _conversation_context(me, participant, request)
                return render(
                    request,
                    "messaging/conversation.html",
                    {**context, "form": form, "staged": staged},
                )
            others = [u for u in selectors.people_in(conversation=conversation) if u.pk != me.pk]
            friends = (
                not conversation.is_group
                and len(others) == 1
                and selectors.mutual_followers(a=me, b=others[0])
            )
            response, staged = _reconsider(
                request,
                me=me,
                form=form,
                staged=staged,
                friends=friends,
                action=reverse("messaging:send", args=[conversation.pk]),
                back=conversation.get_absolute_url(),
            )
            if response is not None:
                return response
            message = services.message_send(
                conversation=conversation,
                sender=me,
                text=form.cleaned_data["text"],
                photos=_photo_upload(form),
                staged=staged,
            )
        except services.MessagingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return HttpResponseRedirect(f"{conversation.get_absolute_url()}#m{message.pk}")
    # Checked again: sending into a group may have just moved the sender out
    # across a block (services.message_send), and then the page is gone for them.
    participant = selectors.conversation_get_for_participant(
        viewer=me, conversation_id=conversation_id
    )
    context = _conversation_context(me, participant, request)
    return render(request, "messaging/conversation.html", {**context, "form": form}, status=400)


def _act(
    request: HttpRequest, conversation_id: int, states: tuple[str, ...] = selectors.READABLE
) -> tuple[User, Participant]:
    me = signed_in_user(request)
    return me, selectors.conversation_get_for_participant(
        viewer=me, conversation_id=conversation_id, states=states
    )


@login_required
@require_POST
def request_accept(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id)
    try:
        services.request_accept(conversation=participant.conversation, user=me)
    except services.MessagingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Accepted. This conversation is in your messages now.")
    return redirect(participant.conversation.get_absolute_url())


@login_required
@require_POST
def request_ignore(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id)
    try:
        services.request_ignore(conversation=participant.conversation, user=me)
    except services.MessagingError as exc:
        messages.error(request, str(exc))
        return redirect(participant.conversation.get_absolute_url())
    messages.info(request, "Ignored. They won't be told.")
    return redirect("messaging:requests")


@login_required
@require_POST
def request_block(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id)
    try:
        blocked = services.request_block(conversation=participant.conversation, user=me)
    except services.MessagingError as exc:
        messages.error(request, str(exc))
        return redirect(participant.conversation.get_absolute_url())
    name = f"@{blocked.username}" if blocked else "them"
    messages.info(request, f"You blocked {name}. They can't message you any more.")
    return redirect("messaging:requests")


@login_required
@require_POST
def leave(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id)
    services.conversation_leave(conversation=participant.conversation, user=me)
    messages.info(request, "You left the conversation.")
    return redirect("messaging:inbox")


@login_required
@require_POST
def mute(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id)
    muted = request.POST.get("muted") == "1"
    services.conversation_mute(conversation=participant.conversation, user=me, muted=muted)
    messages.info(
        request,
        "Muted: new messages here won't count in your badge." if muted else "Unmuted.",
    )
    return redirect(participant.conversation.get_absolute_url())


@login_required
@require_POST
def rename(request: HttpRequest, conversation_id: int) -> HttpResponse:
    me, participant = _act(request, conversation_id, (Participant.State.ACTIVE,))
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_rename(
                conversation=participant.conversation, user=me, title=form.cleaned_data["title"]
            )
        except services.MessagingError as exc:
            if not participant.conversation.is_group:
                # No name field is shown for a one-to-one: nowhere beside it to say so.
                messages.error(request, str(exc))
                return redirect(participant.conversation.get_absolute_url())
            form.add_error("title", str(exc))
        else:
            messages.success(request, "Group name saved.")
            return redirect(participant.conversation.get_absolute_url())
    # The refusal goes beside the name field, in the settings left open.
    context = _conversation_context(me, participant, request)
    return render(
        request,
        "messaging/conversation.html",
        {**context, "form": MessageForm(), "rename_form": form},
        status=400,
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Move the read line (live pages call this when a message arrives while open)."""
    _me, participant = _act(request, conversation_id)
    up_to = id_param(request, "up_to")
    if up_to is not None:
        services.conversation_mark_read(
            participant=participant,
            up_to_id=min(up_to, participant.conversation.last_message_id),
        )
    if request.headers.get("HX-Request") or request.POST.get("js") == "1":
        return HttpResponse(status=204)
    return redirect(participant.conversation.get_absolute_url())


@login_required
def photo(request: HttpRequest, conversation_id: int, photo_id: int) -> FileResponse:
    """A message's photo, for the conversation's participants only."""
    me = signed_in_user(request)
    item = selectors.photo_get_for_participant(
        viewer=me, conversation_id=conversation_id, photo_id=photo_id
    )
    response = FileResponse(item.file.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
