"""Keyword filters: the matching rules, the settings page, and every context they apply in.

Posts are made through the composer page, as a person would: the kindness
app sits below posts and feeds, so its tests do not import them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.kindness import filters
from hearth.kindness.filters import (
    CompiledFilters,
    FilterError,
    Rule,
    compile_filters,
    keyword_filter_create,
    keyword_filters_active,
    phrase_matches,
)
from hearth.kindness.models import KeywordFilter

pytestmark = pytest.mark.django_db

URL = "/settings/filters"
ALL_CONTEXTS = ["home", "notifications", "threads", "communities", "public"]


# --- matching: pure ----------------------------------------------------------------


def test_case_does_not_matter():
    assert phrase_matches("Spoiler", "a SPOILER ahead")
    assert phrase_matches("SPOILER", "spoiler")
    assert phrase_matches("straße", "STRASSE")


def test_whole_word_or_inside_words():
    assert phrase_matches("cat", "my cat sleeps")
    assert phrase_matches("cat", "Cat!")
    assert not phrase_matches("cat", "category")
    assert not phrase_matches("cat", "concatenate")
    assert not phrase_matches("cat", "cat_videos")
    # A near miss does not hide a match later on.
    assert phrase_matches("cat", "cats and a cat")
    assert phrase_matches("cat", "category", whole_word=False)
    assert phrase_matches("cat", "concatenate", whole_word=False)


def test_non_ascii_words_have_boundaries_too():
    assert phrase_matches("café", "Meet at the café.")
    assert phrase_matches("café", "CAFÉ au lait")
    assert not phrase_matches("café", "cafés")
    assert not phrase_matches("café", "caféine")
    assert phrase_matches("café", "caféine", whole_word=False)
    # Accents on Latin letters are folded, as the judge folds them.
    assert phrase_matches("café", "the cafe on the corner")
    assert phrase_matches("cafe", "le café")
    # Other scripts keep their letters and marks.
    assert phrase_matches("кот", "Мой кот спит")
    assert not phrase_matches("кот", "котик")
    assert phrase_matches("नमस्ते", "नमस्ते दोस्त")
    assert not phrase_matches("नमस्ते", "नमस्तेजी")
    # A vowel sign is part of its word, though Python's \w leaves marks out.
    assert phrase_matches("कम", "कम है")
    assert not phrase_matches("कम", "कमा")
    assert not phrase_matches("नम", "किनम")
    assert phrase_matches("कम", "कमा", whole_word=False)
    assert phrase_matches("عيد", "عيد سعيد")
    # Chinese and Japanese have no spaces between words: any occurrence counts.
    assert phrase_matches("猫", "我的猫很可爱")


def test_zero_width_and_invisible_dodges_are_caught():
    assert phrase_matches("spoiler", "spo\u200biler")
    assert phrase_matches("spoiler", "s\u200dp\u2060oi\u00adler alert")
    assert phrase_matches("spoiler", "\u202espoiler")
    assert phrase_matches("spoiler", "s̷p̷o̷i̷l̷e̷r̷")
    assert phrase_matches("spoiler", "".join(chr(ord(c) + 0xFEE0) for c in "spoiler"))  # full width
    # A zero-width character typed into the phrase changes nothing either.
    assert phrase_matches("spo\u200biler", "spoiler")


def test_leetspeak_is_not_guessed():
    assert not phrase_matches("spoiler", "sp0iler")
    assert not phrase_matches("idiot", "1d10t")


def test_phrases_match_across_any_whitespace():
    assert phrase_matches("new york", "New York")
    assert phrase_matches("new york", "new   york")
    assert phrase_matches("new york", "new\nyork")
    assert phrase_matches("new  york", "new\u00a0york")
    assert not phrase_matches("new york", "newyork")
    assert not phrase_matches("new york", "new yorker")
    assert phrase_matches("new york", "new yorker", whole_word=False)


def test_phrases_with_symbols():
    assert phrase_matches("c++", "I write C++ at work")
    assert phrase_matches("#spoiler", "no #spoiler please")
    assert not phrase_matches("#spoiler", "no #spoilers please")
    assert phrase_matches("🐍", "a 🐍 in the grass")
    # Symbols are escaped, not read as a pattern.
    assert not phrase_matches("a.c", "abc")
    assert not phrase_matches("(", "no brackets")


def test_content_warning_is_matched_and_hide_beats_warn():
    compiled = compile_filters(
        [Rule("season finale", action="warn"), Rule("finale", action="hide")]
    )
    found = compiled.match("TV: season finale", "what a night")
    assert found is not None and found.hides and found.phrase == "finale"
    compiled = compile_filters([Rule("Season Finale", action="warn")])
    found = compiled.match("TV: season finale", "what a night")
    assert found is not None and not found.hides and found.phrase == "Season Finale"
    # A phrase does not run from the content warning into the post.
    assert compile_filters([Rule("finale what")]).match("finale", "what") is None


def test_bad_input_never_breaks_matching():
    compiled = compile_filters([Rule("spoiler"), Rule("x" * 100, whole_word=False)])
    assert compiled.match("") is None
    assert compiled.match("", "") is None
    assert compiled.match("\u200b\u200b") is None
    assert compiled.match("a" * 100_000 + " spoiler") is not None
    assert compiled.match("שלום spoiler مرحبا") is not None
    assert not CompiledFilters([])
    assert CompiledFilters([]).match("anything") is None


def test_phrase_cleaning_and_validation():
    assert filters.clean_phrase("  new \n  york\u200b ") == "new york"
    assert filters.phrase_error("") == filters.EMPTY_PHRASE
    assert filters.phrase_error(filters.clean_phrase("\u200b \u2060")) == filters.EMPTY_PHRASE
    assert filters.phrase_error("x" * 100) is None
    assert "100 characters" in (filters.phrase_error("x" * 101) or "")


def test_expiry_labels():
    now = timezone.now()
    assert filters.expiry_label(None, now) == "Never expires"
    assert filters.expiry_label(now - timedelta(seconds=1), now) == "Expired"
    assert filters.expiry_label(now + timedelta(days=3), now) == "Expires in 3 days"
    assert filters.expiry_label(now + timedelta(weeks=1, seconds=-5), now) == "Expires in 7 days"
    assert filters.expiry_label(now + timedelta(days=1), now) == "Expires in 1 day"
    assert filters.expiry_label(now + timedelta(hours=1), now) == "Expires in 1 hour"
    assert filters.expiry_label(now + timedelta(minutes=5), now) == "Expires in 5 minutes"


# --- loading a person's filters ------------------------------------------------------


def add(owner, phrase, **kwargs) -> KeywordFilter:
    fields: dict[str, Any] = {
        "whole_word": True,
        "action": "warn",
        "contexts": ALL_CONTEXTS,
        "expiry": "never",
    }
    fields.update(kwargs)
    return keyword_filter_create(owner=owner, phrase=phrase, **fields)


def fake_post(author_id: int, text: str, content_warning: str = "") -> SimpleNamespace:
    return SimpleNamespace(author_id=author_id, text=text, content_warning=content_warning)


def test_expired_filters_are_ignored():
    me = UserFactory()
    long_ago = timezone.now() - timedelta(days=2)
    add(me, "spoiler", expiry="day", now=long_ago)
    add(me, "finale", expiry="week", now=long_ago)
    active = keyword_filters_active(viewer=me, context="home")
    assert active.check(fake_post(0, "a spoiler")) is None
    assert active.check(fake_post(0, "the finale")) is not None
    # Expiry is checked against the time given.
    active = keyword_filters_active(viewer=me, context="home", now=long_ago)
    assert active.check(fake_post(0, "a spoiler")) is not None


def test_only_the_contexts_chosen_apply():
    me = UserFactory()
    add(me, "spoiler", contexts=["notifications"])
    assert keyword_filters_active(viewer=me, context="home").check(fake_post(0, "spoiler")) is None
    found = keyword_filters_active(viewer=me, context="notifications").check(
        fake_post(0, "spoiler")
    )
    assert found is not None
    with pytest.raises(ValueError):
        keyword_filters_active(viewer=me, context="everywhere")


def test_one_query_per_page_however_many_posts_and_filters(django_assert_num_queries):
    me = UserFactory()
    for i in range(30):
        add(me, f"word{i}", action="hide" if i % 2 else "warn")
    # Posts 0-29 each match one filter, half of them hide filters; 30-59 match none.
    posts = [fake_post(0, f"post {i} has word{i}") for i in range(60)]
    with django_assert_num_queries(1):
        active = keyword_filters_active(viewer=me, context="home")
        kept = active.apply(posts)
    assert [p.text for p in kept[:15]] == [f"post {i} has word{i}" for i in range(0, 30, 2)]
    assert [p.filtered_as for p in kept[:15]] == [f"word{i}" for i in range(0, 30, 2)]
    assert len(kept) == 45
    assert not any(hasattr(p, "filtered_as") for p in kept[15:])


def test_own_posts_and_anonymous_readers_are_never_filtered(django_assert_num_queries):
    me = UserFactory()
    add(me, "spoiler", action="hide")
    active = keyword_filters_active(viewer=me, context="threads")
    assert active.keeps(fake_post(me.pk, "my own spoiler"))
    assert not active.keeps(fake_post(me.pk + 1, "their spoiler"))
    with django_assert_num_queries(0):
        anonymous = keyword_filters_active(viewer=None, context="threads")
    assert anonymous.keeps(fake_post(me.pk + 1, "their spoiler"))


# --- the settings page ---------------------------------------------------------------


def text(response) -> str:
    return unescape(response.content.decode())


def form_data(**overrides) -> dict[str, Any]:
    data = {
        "phrase": "spoiler",
        "whole_word": "on",
        "action": "warn",
        "contexts": ["home", "notifications", "threads"],
        "expiry": "never",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def errors_of(html: str) -> list[str]:
    return [
        unescape(e) for e in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    ]


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert client.post(URL, form_data()).status_code == 302
    assert not KeywordFilter.objects.exists()


def test_empty_state_labels_and_settings_tab(client_for):
    c = client_for(UserFactory())
    response = c.get(URL)
    assert response.status_code == 200
    html = text(response)
    assert "No filters yet" in html
    assert '<a href="/settings/filters" aria-current="page">Filters</a>' in html
    # Every control has a label or a legend.
    for control in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{control}"' in html, control
    assert html.count("<legend>") == 2
    # New filters start as whole word, behind a warning, everywhere, for good.
    assert re.search(r'name="whole_word"[^>]*checked', html)
    assert re.search(r'name="action" id="[^"]+" value="warn" checked', html)
    assert len(re.findall(r'name="contexts"[^>]*checked', html)) == len(ALL_CONTEXTS)
    assert re.search(r'<option value="never" selected>Never</option>', html)


def test_add_a_filter_and_see_it_listed(client_for):
    me = UserFactory()
    c = client_for(me)
    response = c.post(
        URL,
        form_data(
            phrase="  Season   finale ",
            whole_word=None,
            action="hide",
            contexts=["home", "communities"],
            expiry="week",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    kf = KeywordFilter.objects.get(owner=me)
    assert kf.phrase == "Season finale"
    assert not kf.whole_word
    assert kf.action == "hide"
    assert kf.contexts == ["home", "communities"]
    assert kf.expires_at is not None
    assert timedelta(days=6, hours=23) < kf.expires_at - timezone.now() <= timedelta(weeks=1)

    html = text(c.get(URL))
    assert "Filter “Season finale” added." in html
    assert "“Season finale”" in html
    assert "also inside words" in html
    assert ">Hidden<" in html
    assert "Home feed" in html and "Communities" in html and "when they arrive" in html
    assert "Replies in threads</li>" not in html
    assert "Expires in 7 days" in html
    assert "(1 of 100)" in html


@pytest.mark.parametrize(
    ("overrides", "field_value", "message"),
    [
        ({"phrase": ""}, None, "Type a word or phrase to filter."),
        ({"phrase": " \u200b\u200b "}, None, "Type a word or phrase to filter."),
        (
            {"phrase": "y" * 101},
            "y" * 101,
            "Keep the phrase to 100 characters or fewer (it has 101).",
        ),
        ({"contexts": None}, "spoiler", "Choose at least one place where this filter applies."),
        ({"action": "shout"}, "spoiler", "Select a valid choice."),
        ({"expiry": "forever"}, "spoiler", "Select a valid choice."),
    ],
)
def test_invalid_input_is_explained_and_kept(client_for, overrides, field_value, message):
    c = client_for(UserFactory())
    response = c.post(URL, form_data(**{"expiry": "day", **overrides}))
    assert response.status_code == 400
    html = text(response)
    assert any(message in e for e in errors_of(html)), errors_of(html)
    assert 'aria-invalid="true"' in html or "<fieldset" in html
    if field_value:
        assert f'value="{field_value}"' in html
    # Everything else typed is kept too.
    assert re.search(r'name="whole_word"[^>]*checked', html)
    if "expiry" not in overrides:
        assert '<option value="day" selected>' in html
    assert not KeywordFilter.objects.exists()


def test_no_context_keeps_the_other_choices(client_for):
    c = client_for(UserFactory())
    html = text(c.post(URL, form_data(phrase="finale", contexts=None, action="hide")))
    assert 'value="finale"' in html
    assert re.search(r'name="action" id="[^"]+" value="hide" checked', html)
    assert not re.search(r'name="contexts"[^>]*checked', html)
    # The error sits inside the group it is about.
    group = html.split("<legend>Where", 1)[1].split("</fieldset>", 1)[0]
    assert "Choose at least one place" in group


def test_the_same_phrase_in_another_case_or_spelling_is_refused(client_for):
    me = UserFactory()
    add(me, "Spoiler")
    c = client_for(me)
    for typed in ("SPOILER", "spoiler", "spo\u200biler", " spoiler  "):
        response = c.post(URL, form_data(phrase=typed))
        assert response.status_code == 400
        assert "You already have a filter for “Spoiler”." in text(response)
    assert KeywordFilter.objects.filter(owner=me).count() == 1
    # Someone else may filter the same phrase.
    other = client_for(UserFactory())
    assert other.post(URL, form_data(phrase="spoiler")).status_code == 302


def test_the_101st_filter_is_refused_with_the_input_kept(client_for):
    me = UserFactory()
    KeywordFilter.objects.bulk_create(
        [KeywordFilter(owner=me, phrase=f"word {i}") for i in range(100)]
    )
    c = client_for(me)
    html = text(c.get(URL))
    assert "(100 of 100)" in html
    assert "You have 100 filters" in html
    response = c.post(URL, form_data(phrase="one more"))
    assert response.status_code == 400
    html = text(response)
    assert "You have 100 filters, the most Hearth keeps for one person." in html
    assert 'value="one more"' in html
    assert KeywordFilter.objects.filter(owner=me).count() == 100
    with pytest.raises(FilterError):
        add(me, "and another")


def test_edit_a_filter(client_for):
    me = UserFactory()
    kf = add(me, "spoiler", expiry="day")
    c = client_for(me)
    edit_url = f"{URL}/{kf.pk}/edit"
    html = text(c.get(edit_url))
    assert 'value="spoiler"' in html
    assert re.search(r'<option value="keep" selected>Keep as it is \(expires in 1 day\)', html)

    response = c.post(
        edit_url,
        form_data(phrase="Spoilers", action="hide", contexts=["threads"], expiry="keep"),
    )
    assert response.status_code == 302
    before = kf.expires_at
    kf.refresh_from_db()
    assert (kf.phrase, kf.action, kf.contexts, kf.expires_at) == (
        "Spoilers",
        "hide",
        ["threads"],
        before,
    )
    assert "Filter “Spoilers” saved." in text(c.get(URL))

    c.post(edit_url, form_data(phrase="Spoilers", expiry="never"))
    kf.refresh_from_db()
    assert kf.expires_at is None


def test_edit_errors_are_shown_and_the_filter_is_unchanged(client_for):
    me = UserFactory()
    add(me, "finale")
    kf = add(me, "spoiler")
    c = client_for(me)
    response = c.post(f"{URL}/{kf.pk}/edit", form_data(phrase="FINALE"))
    assert response.status_code == 400
    html = text(response)
    assert "You already have a filter for “finale”." in html
    assert 'value="FINALE"' in html
    response = c.post(f"{URL}/{kf.pk}/edit", form_data(contexts=None))
    assert response.status_code == 400
    kf.refresh_from_db()
    assert kf.phrase == "spoiler"
    assert kf.contexts == ALL_CONTEXTS
    # Changing only the case of its own phrase is fine.
    assert c.post(f"{URL}/{kf.pk}/edit", form_data(phrase="SPOILER")).status_code == 302


def test_delete_a_filter_only_by_post(client_for):
    me = UserFactory()
    kf = add(me, "spoiler")
    c = client_for(me)
    assert c.get(f"{URL}/{kf.pk}/delete").status_code == 405
    assert KeywordFilter.objects.filter(pk=kf.pk).exists()
    response = c.post(f"{URL}/{kf.pk}/delete")
    assert response.status_code == 302
    assert not KeywordFilter.objects.filter(pk=kf.pk).exists()
    html = text(c.get(URL))
    assert "Filter “spoiler” deleted." in html
    assert "No filters yet" in html


def test_someone_elses_filter_is_not_found(client_for):
    owner = UserFactory()
    kf = add(owner, "spoiler")
    c = client_for(UserFactory())
    assert c.get(f"{URL}/{kf.pk}/edit").status_code == 404
    assert c.post(f"{URL}/{kf.pk}/edit", form_data(phrase="mine now")).status_code == 404
    assert c.post(f"{URL}/{kf.pk}/delete").status_code == 404
    assert c.post(f"{URL}/99999999999999999999/delete").status_code == 404
    kf.refresh_from_db()
    assert kf.phrase == "spoiler"
    # The same answer as for a filter that does not exist.
    assert c.get(f"{URL}/{kf.pk + 1000}/edit").status_code == 404


def test_expired_filters_are_listed_as_expired(client_for):
    me = UserFactory()
    add(me, "spoiler", expiry="hour", now=timezone.now() - timedelta(hours=2))
    html = text(client_for(me).get(URL))
    assert "Expired" in html
    assert "pill--expired" in html


# --- filters where people read -----------------------------------------------------


def publish(client, text_: str, **data) -> str:
    """Post through the composer; the new post's URL."""
    form = {"text": text_, "audience": "public", "content_warning": "", "tone": ""}
    form.update(data)
    response = client.post("/posts/new", form)
    assert response.status_code == 302, text(response)[:2000]
    return str(response["Location"])


def post_id(url: str) -> str:
    return url.rsplit("/", 1)[1]


def feed_of(html: str) -> str:
    found = re.search(r'<ol class="feed" aria-label="Home feed">(.*?)</ol>', html, re.S)
    return found.group(1) if found else ""


def badge(html: str) -> str | None:
    found = re.search(r'<span class="badge" aria-label="(\d+) unread">', html)
    return found.group(1) if found else None


def more_link(html: str) -> str | None:
    found = re.search(r'<nav class="pager" aria-label="More posts">\s*<a [^>]*href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text(response)


@pytest.fixture
def reader_and_writer(client_for):
    reader, writer = UserFactory(), UserFactory()
    follow(reader, writer)
    return reader, client_for(reader), writer, client_for(writer)


def test_home_hides_matching_posts(reader_and_writer):
    reader, rc, _, wc = reader_and_writer
    add(reader, "spoiler", action="hide", contexts=["home"])
    publish(wc, "The book club meets on Friday.")
    publish(wc, "Big SPOILER about the last chapter.")
    publish(wc, "spo\u200biler: the gardener did it.")
    feed = feed_of(page(rc, "/home"))
    assert "The book club meets on Friday." in feed
    assert "last chapter" not in feed
    assert "gardener" not in feed


def test_home_puts_matching_posts_behind_a_warning(reader_and_writer):
    reader, rc, _, wc = reader_and_writer
    add(reader, "Season finale", action="warn", contexts=["home"])
    publish(wc, "That season\nfinale was a lot.")
    publish(wc, "Bread is rising.", content_warning="season finale talk")
    feed = feed_of(page(rc, "/home"))
    assert feed.count("Matches your filter “Season finale”") == 2
    assert "Bread is rising." in feed  # behind the control, still there to open


def test_home_pages_stay_whole_when_posts_are_hidden(reader_and_writer):
    reader, rc, _, wc = reader_and_writer
    add(reader, "hidden", action="hide")
    for i in range(22):
        publish(wc, f"Post number {i}" + (" is hidden" if i in (20, 15, 0) else "."))
    html = page(rc, "/home")
    first = feed_of(html)
    # The newest 20 entries hold two hidden posts: 18 are shown, and the page
    # still leads on to the rest.
    assert first.count('class="post"') == 18
    assert "Post number 21." in first
    assert "Post number 2." in first
    link = more_link(html)
    assert link is not None
    second = feed_of(page(rc, "/home" + link))
    assert "Post number 1." in second
    assert "Post number 0" not in second
    assert second.count('class="post"') == 1


def test_filters_for_other_contexts_and_expired_ones_leave_home_alone(reader_and_writer):
    reader, rc, _, wc = reader_and_writer
    add(reader, "spoiler", action="hide", contexts=["notifications", "threads"])
    add(reader, "finale", action="hide", expiry="hour", now=timezone.now() - timedelta(hours=2))
    publish(wc, "A spoiler about the finale.")
    assert "A spoiler about the finale." in feed_of(page(rc, "/home"))


def test_own_posts_are_never_filtered(reader_and_writer, client_for):
    reader, rc, _, wc = reader_and_writer
    add(reader, "spoiler", action="hide")
    mine = publish(rc, "My own spoiler, on purpose.")
    assert "My own spoiler, on purpose." in feed_of(page(rc, "/home"))
    publish(rc, "Another spoiler of mine.", in_reply_to=post_id(mine))
    html = page(rc, mine)
    assert "Another spoiler of mine." in html
    assert "Matches your filter" not in html
    # A reaction to my own post is about my own words.
    wc.post(f"{mine}/react", {"kind": "love"})
    html = page(rc, "/notifications")
    assert "responded" in html


def test_notifications_hide_matching_ones_and_the_badge_does_not_count_them(client_for):
    reader, writer = UserFactory(), UserFactory()
    rc, wc = client_for(reader), client_for(writer)
    mine = publish(rc, "What are you reading this week?")
    add(reader, "spoiler", action="hide", contexts=["notifications"])
    publish(wc, "No spoiler, but it ends well.", in_reply_to=post_id(mine))
    publish(wc, "A mystery set in Lisbon.", in_reply_to=post_id(mine))
    html = page(rc, "/notifications")
    assert "ends well" not in html
    assert "A mystery set in Lisbon." in html
    assert html.count("Unread: ") == 1
    assert badge(html) == "1"
    assert badge(page(rc, "/home")) == "1"
    # The filter is for notifications only: the reply itself is still on the post's page.
    assert "ends well" in page(rc, mine)


def test_notifications_warn_instead_of_showing_the_excerpt(client_for):
    reader, writer = UserFactory(), UserFactory()
    rc, wc = client_for(reader), client_for(writer)
    mine = publish(rc, "What are you reading this week?")
    add(reader, "spoiler", action="warn", contexts=["notifications"])
    # (Not "Careful, spoiler: ...": the judge reads that "careful" as a
    # veiled warning and prompts it, 0.67; docs/kindness.md, "Limits".)
    publish(wc, "Spoiler: the gardener wrote the letters.", in_reply_to=post_id(mine))
    publish(wc, f"@{reader.username} the SPOILER thread is up")
    html = page(rc, "/notifications")
    assert html.count("Matches your filter “spoiler”") == 2
    assert "gardener" not in html
    assert "thread is up" not in html
    assert "replied" in html and "mentioned you" in html
    # Warned notifications are still counted: they are shown.
    assert badge(html) == "2"


def test_threads_hide_or_warn_replies_on_the_post_page(client_for):
    reader, alice, bea, cleo = (UserFactory() for _ in range(4))
    rc = client_for(reader)
    mine = publish(rc, "Tell me about your garden.")
    add(reader, "slugs", action="hide", contexts=["threads"])
    add(reader, "aphids", action="warn", contexts=["threads"])
    hidden = publish(client_for(alice), "Slugs ate every lettuce.", in_reply_to=post_id(mine))
    publish(client_for(bea), "Beer traps helped me.", in_reply_to=post_id(hidden))
    publish(client_for(cleo), "Aphids all over the roses.", in_reply_to=post_id(mine))
    publish(client_for(alice), "Tomatoes doing great.", in_reply_to=post_id(mine))
    html = page(rc, mine)
    replies = html.split('id="replies-title"', 1)[1]
    assert "lettuce" not in replies
    # A hidden reply's own replies stay, in its place.
    assert re.search(
        r'<li class="depth-1">\s*<article[^>]*>(?:(?!</article>).)*Beer traps', replies, re.S
    )
    assert "Matches your filter “aphids”" in replies
    assert "Aphids all over the roses." in replies
    assert "Tomatoes doing great." in replies
    # The reply's own page shows it: the focus is what the reader opened.
    assert "Slugs ate every lettuce." in page(rc, hidden)
    # Someone without the filter sees the whole thread.
    other = page(client_for(UserFactory()), mine)
    assert "Slugs ate every lettuce." in other
    assert "Matches your filter" not in other


def test_thread_filters_do_not_reach_home_or_notifications(reader_and_writer):
    reader, rc, _, wc = reader_and_writer
    mine = publish(rc, "Tell me about your garden.")
    add(reader, "slugs", action="hide", contexts=["threads"])
    publish(wc, "Slugs everywhere this year.", in_reply_to=post_id(mine))
    assert "Slugs everywhere" in page(rc, "/notifications")
    assert "Slugs everywhere" in feed_of(page(rc, "/home"))


def test_profiles_and_tag_pages_hide_or_warn_but_never_on_your_own_profile(reader_and_writer):
    reader, rc, writer, wc = reader_and_writer
    add(reader, "spoiler", action="hide", contexts=["public"])
    add(reader, "finale", action="warn", contexts=["public"])
    publish(wc, "Garden news #allotment")
    publish(wc, "Huge spoiler for the book #allotment")
    publish(wc, "The finale of the series #allotment")
    for url in (f"/@{writer.username}", "/tags/allotment"):
        html = page(rc, url)
        assert "Garden news" in html, url
        assert "Huge spoiler" not in html, url
        assert "Matches your filter “finale”" in html, url
    # Filters for other places leave these pages alone, and nobody filters their own profile.
    assert "Huge spoiler" in page(wc, f"/@{writer.username}")
    add(writer, "garden", action="hide", contexts=["public"])
    assert "Garden news" in page(wc, f"/@{writer.username}")


def test_community_pages_apply_the_communities_filters(client_for):
    from hearth.communities.services import community_create

    reader, writer = UserFactory(), UserFactory()
    place = community_create(
        creator=writer,
        name="Readers",
        slug="readers",
        description="Books.",
        who_for="Readers.",
        rules=["Mark spoilers"],
    )
    add(reader, "spoiler", action="hide", contexts=["communities"])
    publish(client_for(writer), "Chapter one thoughts", community=place.pk)
    publish(client_for(writer), "Spoiler: the butler", community=place.pk)
    html = page(client_for(reader), "/c/readers")
    assert "Chapter one thoughts" in html
    assert "the butler" not in html
    add(reader, "chapter", action="hide", contexts=["home"])
    assert "Chapter one thoughts" in page(client_for(reader), "/c/readers")
