from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.accounts.selectors import (
    follow_counts,
    relationship_get,
    signed_in_user,
    user_get_by_username,
)
from hearth.core.http import back_or_partial, is_htmx, safe_next
from hearth.core.pagination import id_param, paginate
from hearth.kindness.decisions import reconsider_decision_record
from hearth.kindness.models import Prompt
from hearth.kindness.replies import caring_phrasings, is_generic_reply, reply_from_phrasing
from hearth.kindness.services import thread_is_heated
from hearth.posts import bookmarks, boosts, milestones, pins, selectors, services
from hearth.posts.community import community_composer_norms, community_refusal
from hearth.posts.forms import (
    AltForm,
    EditForm,
    MilestoneForm,
    PostForm,
    ReactionForm,
    ThreadRulesForm,
)
from hearth.posts.models import CARE_TONES, MAX_MEDIA, Audience, Post
from hearth.posts.reconsider import post_reconsider


def profile(request: HttpRequest, username: str) -> HttpResponse:
    person = user_get_by_username(username=username)
    rel = relationship_get(viewer=request.user, other=person)
    context: dict[str, Any] = {"person": person, "rel": rel, "posts": [], "next_max_id": None}
    if rel.can_see_profile:
        max_id = id_param(request, "max_id")
        page = selectors.profile_posts(viewer=request.user, author=person, max_id=max_id)
        # Pinned posts come first, on the first page, and are not repeated below.
        pinned = pins.pinned_posts(viewer=request.user, author=person)
        pinned_ids = {p.pk for p in pinned}
        # Attributes for posts/_post.html: the "Pinned" label, and Pin / Unpin for the owner.
        for post in pinned:
            setattr(post, "is_pinned", True)  # noqa: B010
        if rel.is_self:
            for post in [*pinned, *page.items]:
                setattr(post, "pinnable", pins.pinnable(post))  # noqa: B010
        context.update(
            pinned=pinned if max_id is None else [],
            posts=[p for p in page.items if p.pk not in pinned_ids],
            next_max_id=page.next_max_id,
        )
        if rel.is_self or person.show_counts:
            context["counts"] = follow_counts(user=person)
    return render(request, "posts/profile.html", context)


def post_detail(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    post = selectors.post_get_visible(viewer=request.user, post_id=post_id, username=username)
    thread = selectors.thread_get(viewer=request.user, focus=post)
    reply_form = None
    refusal = ""
    rules_form = None
    norms = None
    if request.user.is_authenticated:
        me = signed_in_user(request)
        # In a community: its rules acknowledged before a first reply, a newcomer's reminder.
        norms = community_composer_norms(user=me, community_id=post.community_id)
        refusal = services.reply_refusal(replier=me, parent=post)
        if not refusal and not (norms and norms.needs_rules):
            refusal = community_refusal(user=me, community_id=post.community_id, action="reply")
        if not refusal and not (norms and norms.needs_rules):
            mention = "" if post.author_id == me.pk else f"@{post.author.username} "
            reply_form = PostForm(
                initial={
                    "text": mention,
                    "in_reply_to": post.pk,
                    "audience": post.audience,
                    "content_warning": post.content_warning,
                }
            )
        if post.author_id == me.pk and post.in_reply_to_id is None:
            rules_form = ThreadRulesForm(
                initial={
                    "reply_policy": post.reply_policy,
                    "slow_mode_minutes": post.slow_mode_minutes,
                }
            )
    response = render(
        request,
        "posts/post_detail.html",
        {
            "post": post,
            "thread": thread,
            "reactions": selectors.reactions_for_author(viewer=request.user, post=post),
            # Who shared it, for its author only (posts.boosts); nobody sees a count.
            "shares": boosts.boosts_for_author(viewer=request.user, post=post)[:100],
            "reply_form": reply_form,
            "reply_refusal": refusal,
            "community_norms": norms,
            "rules_form": rules_form,
            "heated": thread_is_heated(thread_root_id=post.thread_root_id),
        },
    )
    if post.audience == Audience.UNLISTED:
        # Kept out of public places, search engines' included.
        response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def thread_rules(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Who may reply to a thread, and slow mode: set by the author of its first post."""
    me = signed_in_user(request)
    post = selectors.post_get_own(viewer=me, post_id=post_id)
    form = ThreadRulesForm(request.POST)
    if form.is_valid():
        try:
            services.thread_rules_set(
                post=post,
                actor=me,
                reply_policy=form.cleaned_data["reply_policy"],
                slow_mode_minutes=int(form.cleaned_data["slow_mode_minutes"]),
            )
        except services.PostError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Reply settings saved for this thread.")
    else:
        messages.error(request, "Choose who can reply and a slow mode from the lists.")
    return redirect(post.get_absolute_url())


def _uploads(form: PostForm, request: HttpRequest) -> list[services.MediaUpload]:
    uploads = []
    for i in range(1, MAX_MEDIA + 1):
        upload = request.FILES.get(f"media_{i}")
        if upload is not None:
            uploads.append(
                services.MediaUpload(
                    file=upload, alt=form.cleaned_data.get(f"alt_{i}") or "", slot=i
                )
            )
    return uploads


def _int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) <= 20]


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    """The composer: a page on GET; on POST publish, or come back with everything intact.

    A text that looks hurtful is answered with the reconsider page instead of
    being published: what was noticed, and edit / send anyway / cancel. The
    photos chosen are stored meanwhile (media_stage) and travel as ids, so
    nothing is lost on the way, with or without JavaScript.
    """
    me = signed_in_user(request)
    form = PostForm(request.POST or None, request.FILES or None)
    parent: Post | None = None
    reply_to = request.POST.get("in_reply_to") or request.GET.get("in_reply_to")
    if reply_to:
        if not str(reply_to).isdigit():
            raise Http404
        parent = selectors.post_get_visible(viewer=me, post_id=int(reply_to))
    staged = selectors.media_staged_own(
        viewer=me, media_ids=_int_list(request.POST.getlist("staged"))
    )
    context: dict[str, Any] = {
        "form": form,
        "parent": parent,
        "staged": staged,
        "heated": parent is not None and thread_is_heated(thread_root_id=parent.thread_root_id),
        # Replying in a community: its rules before a first reply, a newcomer's reminder.
        "community_norms": community_composer_norms(
            user=me, community_id=parent.community_id if parent else None
        ),
    }
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("reconsider", "")
        if decision:
            reconsider_decision_record(request, author=me, decision=decision)
        if decision == "cancel":
            services.media_discard(owner=me, media_ids=[m.pk for m in staged])
            messages.info(request, "Nothing was sent.")
            fallback = parent.get_absolute_url() if parent else reverse("home")
            return HttpResponseRedirect(safe_next(request, fallback))
        if decision == "edit":
            return render(request, "posts/compose.html", context)
        suggestion = request.POST.get("suggestion", "")
        if suggestion and parent is not None and suggestion in caring_phrasings(parent.tone):
            # A warmer phrasing was picked: back to the composer with it, to adjust and send.
            data = request.POST.copy()
            data["text"] = reply_from_phrasing(form.cleaned_data["text"], suggestion)
            context["form"] = PostForm(data)
            context["form"].is_valid()
            return render(request, "posts/compose.html", context)
        if (
            parent is not None
            and parent.tone in CARE_TONES
            and request.POST.get("as_is") != "1"
            and decision != "send"
            and is_generic_reply(form.cleaned_data["text"])
        ):
            return render(
                request,
                "posts/suggest.html",
                {
                    **context,
                    "phrasings": caring_phrasings(parent.tone),
                    "next": safe_next(request, ""),
                },
            )
        try:
            if decision != "send":
                prompt = _reconsider(me, form, parent)
                if prompt is not None:
                    staged = [
                        *staged,
                        *services.media_stage(owner=me, uploads=_uploads(form, request)),
                    ]
                    return render(
                        request,
                        "posts/reconsider.html",
                        {
                            **context,
                            "prompt": prompt,
                            "staged": staged,
                            "next": safe_next(request, ""),
                        },
                    )
            post = services.post_create(
                author=me,
                text=form.cleaned_data["text"],
                audience=form.cleaned_data["audience"],
                content_warning=form.cleaned_data["content_warning"],
                tone=form.cleaned_data["tone"],
                in_reply_to=parent,
                media=_uploads(form, request),
                staged=staged,
                community_id=None if parent else form.cleaned_data["community"],
            )
        except services.PostError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if post.media.filter(alt="").exists():
                messages.info(
                    request,
                    "Your post is up. One of its photos has no description yet: "
                    "adding one lets people who use screen readers share the moment too.",
                )
            else:
                messages.success(request, "Posted.")
            return HttpResponseRedirect(safe_next(request, post.get_absolute_url()))
    elif request.method == "GET" and parent is not None:
        form = PostForm(initial={"in_reply_to": parent.pk, "audience": parent.audience})
        context["form"] = form
    return render(request, "posts/compose.html", context, status=400 if form.errors else 200)


def _reconsider(me: User, form: PostForm | EditForm, parent: Post | None) -> Prompt | None:
    """The reconsider prompt for a new or edited text (hearth.posts.reconsider)."""
    return post_reconsider(
        author=me,
        text=form.cleaned_data["text"],
        tone=form.cleaned_data["tone"],
        parent=parent,
    )


@login_required
def post_edit(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Edit one's own post or reply; a new text that looks hurtful gets the reconsider page."""
    me = signed_in_user(request)
    post = selectors.post_get_own(viewer=me, post_id=post_id)
    initial = {"text": post.text, "content_warning": post.content_warning, "tone": post.tone}
    form = EditForm(request.POST or None, initial=initial)
    page = {"form": form, "post": post, "media": post.media.all()}
    if request.method == "POST" and form.is_valid():
        # A changed text is judged like a new post or reply, with the same
        # reconsider page (edit it / save anyway / keep the old version).
        decision = request.POST.get("reconsider", "")
        if decision:
            reconsider_decision_record(request, author=me, decision=decision)
        if decision == "cancel":
            messages.info(request, "Nothing was changed.")
            return redirect(post.get_absolute_url())
        if decision == "edit":
            return render(request, "posts/edit.html", page)
        parent = post.in_reply_to
        try:
            if decision != "send" and form.cleaned_data["text"] != post.text:
                prompt = _reconsider(me, form, parent)
                if prompt is not None:
                    return render(
                        request,
                        "posts/reconsider.html",
                        {
                            "form": form,
                            "prompt": prompt,
                            "parent": parent,
                            "editing": True,
                            "action": request.path,
                        },
                    )
            services.post_edit(
                post=post,
                editor=me,
                text=form.cleaned_data["text"],
                content_warning=form.cleaned_data["content_warning"],
                tone=form.cleaned_data["tone"],
            )
        except services.PostError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Your post is updated. Readers can see that it was edited.")
            return redirect(post.get_absolute_url())
    return render(request, "posts/edit.html", page, status=400 if form.errors else 200)


@login_required
def post_delete(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    me = signed_in_user(request)
    post = selectors.post_get_own(viewer=me, post_id=post_id)
    if request.method == "POST":
        services.post_delete(post=post, actor=me)
        messages.success(request, "Your post is deleted.")
        return redirect(safe_next(request, reverse("profile", kwargs={"username": me.username})))
    return render(request, "posts/delete.html", {"post": post})


def post_history(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    post = selectors.post_get_visible(viewer=request.user, post_id=post_id, username=username)
    return render(request, "posts/history.html", {"post": post, "edits": post.edits.all()})


@login_required
@require_POST
def post_react(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    me = signed_in_user(request)
    post = selectors.post_get_visible(viewer=me, post_id=post_id, username=username)
    form = ReactionForm(request.POST)
    current = post.my_reactions[0].kind if post.my_reactions else None  # type: ignore[attr-defined]
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        if kind == current:
            services.reaction_remove(post=post, user=me)
        else:
            try:
                services.reaction_set(post=post, user=me, kind=kind)
            except services.PostError as exc:
                # A community that refuses (not a member, banned) answers 403, changing nothing.
                raise PermissionDenied(str(exc)) from None
    post = selectors.post_get_visible(viewer=me, post_id=post_id)
    return back_or_partial(
        request,
        fallback=post.get_absolute_url(),
        partial="posts/_reactions.html",
        context={"post": post},
    )


@login_required
@require_POST
def post_share(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Share a public post with my followers (`shared=1`), or take the share back (`shared=0`).

    The form says which, so a double click does not undo itself.
    """
    me = signed_in_user(request)
    post = selectors.post_get_visible(viewer=me, post_id=post_id, username=username)
    if request.POST.get("shared") == "0":
        removed = boosts.boost_remove(booster=me, post=post)
        done = "You're no longer sharing this post." if removed else ""
    else:
        try:
            boosts.boost_create(booster=me, post=post)
        except services.PostError as exc:
            # Not public, in a private community, across a block: 403, nothing changes.
            raise PermissionDenied(str(exc)) from None
        done = "Shared with your followers."
    if done and not is_htmx(request):
        # htmx swaps the button, whose pressed state says it; a page load says it in words.
        messages.success(request, done)
    post = selectors.post_get_visible(viewer=me, post_id=post.pk)
    return back_or_partial(
        request,
        fallback=post.get_absolute_url(),
        partial="posts/_share.html",
        context={"post": post},
    )


@login_required
def media_describe(request: HttpRequest, media_id: int) -> HttpResponse:
    me = signed_in_user(request)
    media = selectors.media_get_own(viewer=me, media_id=media_id)
    form = AltForm(request.POST or None, initial={"alt": media.alt})
    if request.method == "POST" and form.is_valid():
        services.media_describe(media=media, owner=me, alt=form.cleaned_data["alt"])
        messages.success(request, "Thank you: the photo now has a description.")
        return redirect(safe_next(request, media.post.get_absolute_url() if media.post else "/"))
    return render(
        request,
        "posts/describe.html",
        {"form": form, "media": media},
        status=400 if form.errors else 200,
    )


def tag(request: HttpRequest, tag: str) -> HttpResponse:
    page = selectors.tag_posts(viewer=request.user, tag=tag, max_id=id_param(request, "max_id"))
    return render(
        request,
        "posts/tag.html",
        {"tag": tag.lower(), "posts": page.items, "next_max_id": page.next_max_id},
    )


@login_required
def milestone_create(request: HttpRequest) -> HttpResponse:
    """Share a milestone: a page of its own that posts through posts.milestones."""
    me = signed_in_user(request)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = milestones.milestone_create(
                author=me,
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                when=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                audience=form.cleaned_data["audience"],
                content_warning=form.cleaned_data["content_warning"],
            )
        except services.PostError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Shared. Congratulations!")
            return redirect(milestone.post.get_absolute_url())
    return render(
        request, "posts/milestone_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def milestone_remind(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Ask for (or stop) a reminder on a milestone's anniversary; close people only."""
    me = signed_in_user(request)
    post = selectors.post_get_visible(viewer=me, post_id=post_id, username=username)
    milestone = milestones.milestone_get_visible(viewer=me, post_id=post.pk)
    if request.method == "POST":
        try:
            on = milestones.milestone_reminder_set(
                user=me, milestone=milestone, on=request.POST.get("on") == "1"
            )
        except services.PostError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "We'll remind you each year on the day."
                if on
                else "No more reminders for this milestone.",
            )
        return redirect(post.get_absolute_url())
    return render(
        request,
        "posts/milestone_remind.html",
        {
            "post": post,
            "milestone": milestone,
            "allowed": milestones.milestone_reminder_allowed(viewer=me, milestone=milestone),
            "on": milestones.milestone_reminder_on(user=me, milestone=milestone),
        },
    )


@login_required
@require_POST
def post_save(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Save a post to read again (`saved=1`), or take it off the saved list (`saved=0`)."""
    me = signed_in_user(request)
    post = selectors.post_get_visible(viewer=me, post_id=post_id, username=username)
    if request.POST.get("saved") == "0":
        bookmarks.bookmark_remove(user=me, post_id=post.pk)
    else:
        try:
            bookmarks.bookmark_add(user=me, post=post)
        except services.PostError as exc:
            messages.error(request, str(exc))
    post = selectors.post_get_visible(viewer=me, post_id=post.pk)
    return back_or_partial(
        request,
        fallback=post.get_absolute_url(),
        partial="posts/_save.html",
        context={"post": post},
    )


@login_required
def saved(request: HttpRequest) -> HttpResponse:
    """The posts I saved, the most recently saved first; only I see this page."""
    me = signed_in_user(request)
    page = paginate(
        bookmarks.bookmarked_posts(viewer=me),
        max_id=id_param(request, "max_id"),
        key="bookmark_id",
    )
    return render(
        request, "posts/saved.html", {"posts": page.items, "next_max_id": page.next_max_id}
    )


@login_required
@require_POST
def post_pin(request: HttpRequest, username: str, post_id: int) -> HttpResponse:
    """Pin one of my posts to my profile (`pinned=1`) or unpin it (`pinned=0`)."""
    me = signed_in_user(request)
    post = selectors.post_get_own(viewer=me, post_id=post_id)
    if request.POST.get("pinned") == "0":
        pins.post_unpin(post=post, actor=me)
        messages.success(request, "Unpinned.")
    else:
        try:
            pins.post_pin(post=post, actor=me)
        except services.PostError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Pinned to your profile.")
    return redirect(safe_next(request, reverse("profile", kwargs={"username": me.username})))
