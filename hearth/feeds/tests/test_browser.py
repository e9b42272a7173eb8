"""The core social loop in a real browser (Playwright + Debian's Chromium) against a live server.

These tests commit for real (transaction=True), so domain events fire on
commit and their tasks run inline through the ImmediateBackend set in
hearth/conftest.py, exactly as one request after another would in production.
Fixtures are in this folder's conftest.py; without /usr/bin/chromium the tests
skip, or fail when HEARTH_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hearth.accounts.models import User
from hearth.accounts.services import follow_create, user_create
from hearth.messaging.tests.conftest import asgi_server, asgi_streams
from hearth.messaging.tests.test_browser import live_backend
from hearth.posts.models import MAX_POST_LENGTH, Post
from hearth.posts.services import MediaUpload, post_create

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.django_db(transaction=True)]
# The live test serves pages and /live from granian in this process, on the
# in-process hub and on Redis (fixtures shared with hearth/messaging's browser tests).
__all__ = ["asgi_server", "asgi_streams", "live_backend"]

PASSWORD = "a-long-test-password-42"
SHOTS = Path("/tmp/hearth-shots")

NewContext = Callable[..., "BrowserContext"]


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def jpeg_bytes(width: int = 96, height: int = 64) -> bytes:
    image = Image.new("RGB", (width, height), (218, 120, 64))
    for x in range(width // 2):
        for y in range(height // 2, height):
            image.putpixel((x, y), (64, 120, 180))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def write_jpeg(tmp_path: Path, name: str = "sunrise.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(jpeg_bytes())
    return path


def sign_up(page: Page, username: str) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/settings/profile")


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/home")


def compose(page: Page, text: str, *, photo: Path | None = None, alt: str = "") -> None:
    """Fill the composer on the current page and submit it, as a person would."""
    page.get_by_label("What would you like to share?").fill(text)
    if photo is not None:
        page.get_by_text("Add photos (up to 4)").click()
        page.get_by_label(re.compile(r"^Photo 1:?$")).set_input_files(str(photo))
        page.get_by_label(re.compile(r"^Describe photo 1:?$")).fill(alt)
    page.get_by_role("button", name="Post", exact=True).click()


def assert_image_loaded(page: Page, alt: str) -> None:
    img = page.get_by_role("img", name=alt)
    expect(img).to_be_visible()
    src = img.get_attribute("src")
    assert src, "the photo has no src"
    response = page.request.get(src)
    assert response.ok, f"the photo {src} answered {response.status}"
    assert response.headers["content-type"] == "image/jpeg"
    img.scroll_into_view_if_needed()
    expect(img).to_have_js_property("complete", True)
    width = img.evaluate("el => el.naturalWidth")
    assert width > 0, f"the photo {src} did not decode"


def test_post_follow_react_notify(new_context: NewContext, tmp_path: Path) -> None:
    """Sign up, post a photo with alt text; someone follows and reacts; the author is told."""
    author_page = new_context().new_page()
    sign_up(author_page, "amara")
    author_page.goto("/home")
    alt = "An orange sky over a blue rooftop"
    compose(
        author_page, "First light over the allotment #mornings", photo=write_jpeg(tmp_path), alt=alt
    )
    author_page.wait_for_url("**/home")
    expect(author_page.get_by_text("Posted.")).to_be_visible()
    article = author_page.locator("article.post").first
    expect(article).to_contain_text("First light over the allotment")
    expect(article.get_by_role("link", name="#mornings")).to_be_visible()
    assert_image_loaded(author_page, alt)
    post = Post.objects.get(author__username="amara")
    assert post.media.get().alt == alt

    user_create(username="bo", email="bo@example.org", password=PASSWORD, display_name="Bo Chen")
    reader_page = new_context().new_page()
    log_in(reader_page, "bo")
    reader_page.goto("/@amara")
    reader_page.get_by_role("button", name="Follow", exact=True).click()
    expect(reader_page.get_by_role("button", name="Unfollow")).to_be_visible()
    on_profile = reader_page.locator(f"#post-{post.pk}")
    with_you = on_profile.get_by_role("button", name="With you")
    expect(with_you).to_have_attribute("aria-pressed", "false")
    with_you.click()
    # htmx swaps the reaction form in place; the pressed state comes from the server.
    expect(
        reader_page.locator(f"#post-{post.pk}").get_by_role("button", name="With you")
    ).to_have_attribute("aria-pressed", "true")

    author_page.goto("/home")
    badge = author_page.locator(".site-header .badge")
    expect(badge).to_have_text("2")
    expect(badge).to_have_attribute("aria-label", "2 unread")
    author_page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    author_page.wait_for_url("**/notifications")
    items = author_page.get_by_role("list", name="Notifications").get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Bo Chen")
    expect(items.nth(0)).to_contain_text("responded “🤝 With you” to your post")
    expect(items.nth(1)).to_contain_text("Bo Chen")
    expect(items.nth(1)).to_contain_text("follow")
    author_page.get_by_role("button", name="Mark all as read").click()
    expect(author_page.locator(".site-header .badge")).to_have_count(0)


def test_posting_without_javascript(new_context: NewContext, tmp_path: Path) -> None:
    """The posting flow works with JavaScript off, and a refused post keeps its text."""
    page = new_context(java_script_enabled=False).new_page()
    sign_up(page, "noscript")
    page.goto("/home")
    alt = "Two colour blocks, orange and blue"
    compose(page, "Posted from a browser without JavaScript.", photo=write_jpeg(tmp_path), alt=alt)
    page.wait_for_url("**/home")
    expect(page.locator("article.post").first).to_contain_text(
        "Posted from a browser without JavaScript."
    )
    assert_image_loaded(page, alt)

    # The textarea's maxlength makes a browser cut typing at 5,000 characters,
    # so only a client that ignores maxlength (an old browser, a script, a
    # hand-made request) can send more: stand in for one by removing the
    # attribute through DevTools (this works with the page's JavaScript off).
    too_long = ("A long day, written down. " * 200)[: MAX_POST_LENGTH + 1].replace(" ", "x", 1)
    assert len(too_long.strip()) == MAX_POST_LENGTH + 1
    box = page.get_by_label("What would you like to share?")
    box.evaluate("el => el.removeAttribute('maxlength')")
    box.fill(too_long)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_load_state()

    box = page.get_by_label("What would you like to share?")
    assert box.input_value() == too_long, "the refused post came back without its text"
    expect(box).to_have_attribute("aria-invalid", "true")
    described_by = box.get_attribute("aria-describedby") or ""
    assert described_by, "the refused field does not point at its error"
    error = page.locator("#" + described_by.split()[0])
    expect(error).to_contain_text("Posts can be up to 5,000 characters; this one has 5,001.")
    assert Post.objects.filter(author__username="noscript").count() == 1


def test_home_feed_on_a_small_phone(new_context: NewContext) -> None:
    """The home feed at 360x740: no sideways scrolling, composer and caught-up line in view."""
    me = user_create(
        username="amara", email="amara@example.org", password=PASSWORD, display_name="Amara"
    )
    friend = user_create(
        username="theodora_whitfield",
        email="theo@example.org",
        password=PASSWORD,
        display_name="Theodora Whitfield-Abernathy",
    )
    follow_create(follower=me, followee=friend)
    photo = SimpleUploadedFile("walk.jpg", jpeg_bytes(800, 600), content_type="image/jpeg")
    posts: list[tuple[User, str, dict[str, Any]]] = [
        (friend, "Went for a long walk by the river today. Felt good to breathe. #mornings", {}),
        (
            friend,
            "The notes from tonight's meeting are at "
            "https://example.org/community/gatherings/2026/november/neighbourhood-notes-and-minutes"
            " "
            "and a long word: Donaudampfschifffahrtsgesellschaftskapitänswitwe",
            {"tone": "serious"},
        ),
        (
            friend,
            "Look at this",
            {"media": [MediaUpload(file=photo, alt="A muddy path under trees")]},
        ),
        (me, "Hello everyone, I'm new here.", {}),
    ]
    for author, text, extra in posts:
        post_create(author=author, text=text, **extra)

    ctx = new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = ctx.new_page()
    log_in(page, "amara")
    expect(page.get_by_role("heading", name="You're all caught up")).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("article.post")).to_have_count(len(posts))

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the page scrolls sideways: {scroll_width}px wide at 360px"
    composer = page.get_by_label("What would you like to share?")
    expect(composer).to_be_visible()
    box = composer.bounding_box()
    assert box is not None and box["y"] < 740, "the composer is not on the first screen"
    # Nothing may stick out of the viewport on its own, even inside an
    # overflow-hidden parent that would hide it from scrollWidth.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => { const r = el.getBoundingClientRect();
                            return r.width > 0 && (r.right > 360.5 || r.left < -0.5)
                                && !el.closest('.visually-hidden, .skip-link'); })
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert wide == [], f"elements wider than the screen: {wide}"
    caught_up = page.get_by_role("heading", name="You're all caught up")
    caught_up.scroll_into_view_if_needed()
    expect(caught_up).to_be_in_viewport()

    SHOTS.mkdir(parents=True, exist_ok=True)
    # Back to the top first: the header is sticky and would otherwise be drawn
    # in the middle of a full-page capture.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "home-360.png"), full_page=True)


def test_line_breaks_count_once(new_context: NewContext) -> None:
    """A post the counter accepts is accepted: a line break counts once, as in the browser."""
    user_create(username="lines", email="lines@example.org", password=PASSWORD)
    page = new_context().new_page()
    log_in(page, "lines")
    text = "\n".join(["x" * 249] * 20)  # 4,980 letters and 19 line breaks
    assert len(text) == MAX_POST_LENGTH - 1
    page.get_by_label("What would you like to share?").fill(text)
    expect(page.locator(".counter")).to_have_text(re.compile(r"^1 characters? left$"))
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_load_state()
    refused = page.locator(".composer .errorlist").all_text_contents()
    assert page.url.endswith("/home"), f"refused: {refused}"
    assert Post.objects.get(author__username="lines").text == text


HURTFUL_REPLY = "you are a pathetic idiot and nobody wants you here"
KINDER_REPLY = "I see it differently, but I'm glad you shared it."


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_reconsider_prompt_then_edit_then_send(new_context: NewContext, javascript: bool) -> None:
    """Type a hurtful reply, meet the prompt, edit it from the prompt, and send the kinder one."""
    author = user_create(username="host", email="host@example.org", password=PASSWORD)
    original = post_create(author=author, text="I finally finished my first painting!")
    user_create(username="critic", email="critic@example.org", password=PASSWORD)
    page = new_context(java_script_enabled=javascript).new_page()
    log_in(page, "critic")
    page.goto(f"/@host/{original.pk}")
    page.get_by_label("Your reply").fill(HURTFUL_REPLY)
    page.get_by_role("button", name="Reply", exact=True).click()

    expect(page.get_by_role("heading", name="Before you send this…")).to_be_visible()
    expect(page.get_by_text("This calls someone a name.")).to_be_visible()
    assert not Post.objects.filter(in_reply_to=original).exists()

    page.get_by_role("button", name="Edit it").click()
    box = page.get_by_label("Your reply")
    expect(box).to_have_value(HURTFUL_REPLY)
    box.fill(KINDER_REPLY)
    page.get_by_role("button", name="Reply", exact=True).click()
    page.wait_for_url(re.compile(r"/@critic/\d+$"))
    expect(page.get_by_text(KINDER_REPLY)).to_be_visible()
    assert list(Post.objects.filter(in_reply_to=original).values_list("text", flat=True)) == [
        KINDER_REPLY
    ]


@pytest.fixture
def live_context(browser: Any, asgi_server: str) -> Any:
    """Browser contexts aimed at the in-thread granian server that also serves /live."""
    from hearth.feeds.tests.conftest import contexts_at

    yield from contexts_at(browser, asgi_server)


def test_new_posts_marker_and_badge_arrive_without_reload(
    live_backend: str, live_context: NewContext
) -> None:
    """Someone you follow posts and mentions you: your open home page shows "New posts"
    and the Notifications badge counts it, with no reload, on both live backends."""
    me = user_create(username="ana", email="ana@example.org", password=PASSWORD)
    friend = user_create(username="ben", email="ben@example.org", password=PASSWORD)
    follow_create(follower=me, followee=friend)

    reader = live_context().new_page()
    log_in(reader, "ana")
    expect(reader.locator("html[data-live='open']")).to_have_count(1)
    expect(reader.locator("#new-posts")).to_have_count(0)
    expect(reader.locator(".site-nav a[href$='/notifications'] .badge")).to_have_count(0)
    reader.evaluate("window.__sameDocument = true")

    writer = live_context().new_page()
    log_in(writer, "ben")
    text = "The beans are finally climbing the canes we put up last week, thank you @ana"
    compose(writer, text)
    writer.wait_for_url("**/home")
    assert Post.objects.filter(author=friend).count() == 1

    marker = reader.locator("#new-posts")
    expect(marker).to_be_visible()
    expect(marker).to_contain_text("New posts")
    expect(reader.locator(".site-nav a[href$='/notifications'] .badge")).to_have_text("1")
    assert reader.evaluate("window.__sameDocument === true"), "the page reloaded"
    # The marker's link shows the new post (a plain reload, as without JavaScript).
    marker.get_by_role("link", name="show").click()
    expect(reader.locator("article.post").first).to_contain_text("The beans are finally climbing")
