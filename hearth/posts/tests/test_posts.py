"""Writing, reading, editing and deleting posts; reactions; photos. Through the pages,
as the author and their readers see them."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.conftest import committed
from hearth.core.testing import field_html
from hearth.core.testing import page_text as text
from hearth.posts.models import Audience, Media, Post
from hearth.posts.services import MediaUpload, PostError, post_create, post_edit
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def photos_section(html: str) -> str:
    """The composer's photo section: from its <details> to the end of it."""
    start = html.rindex("<details", 0, html.index("Add photos (up to 4)"))
    return html[start : html.index("</details>", start)]


def compose(client, text_: str = "A quiet morning.", **data):
    form = {"text": text_, "audience": "public", "content_warning": "", "tone": ""}
    form.update(data)
    return client.post("/posts/new", form)


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1]


def without_tokens(html: str) -> str:
    """The page without its per-request CSRF tokens, to compare two pages."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def body_of(html: str, post: Post) -> str:
    """The rendered body of one post card on a page."""
    card = html.split(f'id="post-{post.pk}"', 1)[1]
    return card.split('class="post__body">', 1)[1].split("</div>", 1)[0]


# --- images made for the tests ---------------------------------------------------


def jpeg_with_gps(size: tuple[int, int] = (64, 48), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = "Model Seven"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 26.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert dict(Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)), "test image lacks GPS"
    return data


def png_with_text(alpha: bool) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (40, 30), (10, 150, 90, 128)[: 4 if alpha else 3])
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "12 Secret Lane")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file whose header claims a huge picture: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- text ------------------------------------------------------------------------


def test_a_post_of_5000_characters_is_fine(client_for):
    response = compose(client_for(UserFactory()), "a" * 5000)
    assert response.status_code == 302
    assert len(Post.objects.get().text) == 5000


def test_a_post_over_5000_characters_is_refused_and_the_text_kept(client_for):
    typed = "Today I want to say something long. " + "x" * 4990
    response = compose(client_for(UserFactory()), typed)
    assert response.status_code == 400
    html = text(response)
    group = field_html(html, "text")
    assert f"Posts can be up to 5,000 characters; this one has {len(typed):,}." in group
    assert typed in group
    assert not Post.objects.exists()


def test_an_empty_post_is_refused(client_for):
    response = compose(client_for(UserFactory()), "   ")
    assert response.status_code == 400
    assert "Write something, or add a photo." in text(response)
    assert not Post.objects.exists()


def test_mentions_hashtags_and_links_become_links(client_for):
    bob = UserFactory(username="bob_gardens")
    alice = UserFactory()
    c = client_for(alice)
    compose(c, "Hi @Bob_Gardens and @nobody_here, see #Gardening and https://example.org/page?x=1")
    post = Post.objects.get()
    html = c.get(post.get_absolute_url()).content.decode()
    body = body_of(html, post)

    assert re.search(rf'<a href="/@{bob.username}" class="mention"[^>]*>@Bob_Gardens</a>', body)
    assert re.search(r'<a href="/tags/gardening" class="hashtag"[^>]*>#Gardening</a>', body)
    link = re.search(r'<a href="https://example.org/page\?x=1"[^>]*>', body)
    assert link is not None
    # Links to other sites carry no endorsement and no referrer.
    assert 'rel="nofollow noopener noreferrer ugc"' in link.group(0)
    # Someone who does not exist stays plain text.
    assert "@nobody_here" in body
    assert 'href="/@nobody_here"' not in body
    # And the tag page lists it.
    assert f'id="post-{post.pk}"' in text(client_for(None).get("/tags/gardening"))
    assert f'id="post-{post.pk}"' in text(client_for(None).get("/tags/GARDENING"))


def test_typed_html_is_never_rendered(client_for):
    alice = UserFactory()
    c = client_for(alice)
    typed = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> <b>bold</b> '
        "javascript:alert(2) <a href='https://evil.example'>click</a>"
    )
    compose(c, typed, content_warning="<i>heavy</i>")
    post = Post.objects.get()
    for viewer in (alice, None):
        html = client_for(viewer).get(post.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert "<i>heavy</i>" not in html
        assert "href='https://evil.example'" not in html
        assert 'href="javascript:' not in html
        assert "&lt;script&gt;" in html
    # The stored text is what was typed, so editing shows it as typed.
    assert post.text == typed


@pytest.mark.parametrize("where", ["post", "profile", "home", "tag", "history"])
def test_content_warning_hides_the_body_behind_a_show_control(client_for, where):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    post = publish(alice, "The anniversary is hard this year. #grief", content_warning="grief")
    url = {
        "post": post.get_absolute_url(),
        "profile": f"/@{alice.username}",
        "home": "/home",
        "tag": "/tags/grief",
        "history": f"/@{alice.username}/{post.pk}/history",
    }[where]
    if where == "history":
        with committed():
            post_edit(
                post=post,
                editor=alice,
                text="The anniversary is very hard this year. #grief",
                content_warning="grief",
                tone="",
            )

    html = text(client_for(bob).get(url))
    hidden = re.findall(r"<details[^>]*>.*?</details>", html, re.S)
    assert hidden, "the body should sit behind a show control"
    assert any("Content warning: grief" in block for block in hidden)
    assert any("anniversary is" in block for block in hidden)
    # Nowhere else on the page, not even in the window title.
    outside = re.sub(r"<details[^>]*>.*?</details>", "", html, flags=re.S)
    assert "The anniversary is" not in outside


def test_content_warning_also_covers_the_notification_excerpt(client_for):
    alice, bob = UserFactory(), UserFactory()
    publish(alice, f"@{bob.username} the anniversary is hard this year.", content_warning="grief")
    html = text(client_for(bob).get("/notifications"))
    assert "mentioned you" in html
    # The excerpt is hidden behind the warning as on the post itself, or left out.
    hidden = "".join(re.findall(r"<details.*?</details>", html, re.S))
    outside = html
    if hidden:
        outside = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    assert "the anniversary is hard" not in outside


@pytest.mark.parametrize(
    ("typed", "tone", "label"),
    [
        ("That went well /j", "joking", "Joking"),
        ("Oh great, another Monday /s", "sarcastic", "Sarcastic"),
        ("I need to talk about this /srs", "serious", "Serious"),
        ("What helped you sleep? /gen", "genuine", "Genuine question"),
    ],
)
def test_typed_tone_indicators_show_as_the_tone(client_for, typed, tone, label):
    c = client_for(UserFactory())
    compose(c, typed)
    post = Post.objects.get()
    assert post.tone == tone
    html = text(client_for(None).get(post.get_absolute_url()))
    assert f'<span class="tone tone--{tone}">{label}</span>' in html


def test_chosen_tone_wins_and_a_slash_in_a_link_is_no_tone(client_for):
    c = client_for(UserFactory())
    compose(c, "Look at https://example.org/s please", tone="")
    assert Post.objects.get().tone == ""
    compose(c, "We did it /j", tone="celebrating")
    assert Post.objects.latest("id").tone == "celebrating"


# --- threads, replies -----------------------------------------------------------


def test_reply_appears_in_the_thread(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Who else is up early?")
    response = compose(client_for(bob), "Me, with coffee", in_reply_to=post.pk)
    assert response.status_code == 302
    reply = Post.objects.get(in_reply_to=post)
    thread = text(client_for(None).get(post.get_absolute_url()))
    assert "Me, with coffee" in thread
    # The reply's own page shows the post it answers above it.
    reply_page = main_of(text(client_for(None).get(reply.get_absolute_url())))
    assert reply_page.index("Who else is up early?") < reply_page.index("Me, with coffee")


def test_a_thread_never_shows_a_post_you_cannot_see(client_for):
    alice, bob, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(bob, alice)
    hidden = publish(alice, "Followers-only start of the thread", audience=Audience.FOLLOWERS)
    reply = publish(bob, "A public answer", in_reply_to=hidden)

    html = text(client_for(stranger).get(reply.get_absolute_url()))
    assert "A public answer" in html
    assert "Followers-only start of the thread" not in html
    assert "This is a reply to a post that isn't available to you." in html
    # A follower sees the whole thread.
    follower_view = text(client_for(bob).get(reply.get_absolute_url()))
    assert "Followers-only start of the thread" in follower_view


def test_reply_to_a_post_you_cannot_see_is_not_found(client_for):
    alice, stranger = UserFactory(), UserFactory()
    hidden = publish(alice, "Just for followers", audience=Audience.FOLLOWERS)
    c = client_for(stranger)
    assert c.get(f"/posts/new?in_reply_to={hidden.pk}").status_code == 404
    assert compose(c, "Sneaky reply", in_reply_to=hidden.pk).status_code == 404
    # Exactly as for a post that does not exist.
    assert compose(c, "Reply to nothing", in_reply_to=hidden.pk + 999).status_code == 404
    assert not Post.objects.filter(author=stranger).exists()


def test_unknown_and_forbidden_post_pages_look_the_same(client_for):
    alice, stranger = UserFactory(), UserFactory()
    hidden = publish(alice, "Just for followers", audience=Audience.FOLLOWERS)
    c = client_for(stranger)
    forbidden = c.get(hidden.get_absolute_url())
    missing = c.get(f"/@{alice.username}/{hidden.pk + 12345}")
    assert forbidden.status_code == missing.status_code == 404
    assert without_tokens(text(forbidden)) == without_tokens(text(missing))
    # A post under the wrong author's name is not found either.
    assert c.get(f"/@{stranger.username}/{hidden.pk}").status_code == 404


# --- editing --------------------------------------------------------------------


def test_edit_keeps_history_visible_to_readers(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "I think we meet on Tuesday.")
    response = client_for(alice).post(
        f"/@{alice.username}/{post.pk}/edit",
        {"text": "We meet on Wednesday, sorry!", "content_warning": "", "tone": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()

    reader = client_for(bob)
    page = text(reader.get(post.get_absolute_url()))
    assert "We meet on Wednesday, sorry!" in page
    assert "I think we meet on Tuesday." not in page
    assert f'<a href="/@{alice.username}/{post.pk}/history">· edited</a>' in page

    history = reader.get(f"/@{alice.username}/{post.pk}/history")
    assert history.status_code == 200
    history_html = text(history)
    assert "We meet on Wednesday, sorry!" in history_html
    assert "I think we meet on Tuesday." in history_html


def test_an_unedited_post_does_not_say_edited(client_for):
    alice = UserFactory()
    post = publish(alice, "Fresh")
    assert "· edited" not in text(client_for(alice).get(post.get_absolute_url()))


def test_only_the_author_can_edit(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Mine")
    c = client_for(bob)
    assert c.get(f"/@{alice.username}/{post.pk}/edit").status_code == 404
    response = c.post(
        f"/@{alice.username}/{post.pk}/edit", {"text": "Yours", "content_warning": "", "tone": ""}
    )
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.text == "Mine"


def test_editing_too_long_keeps_the_text(client_for):
    alice = UserFactory()
    post = publish(alice, "Short")
    long_text = "y" * 5001
    response = client_for(alice).post(
        f"/@{alice.username}/{post.pk}/edit", {"text": long_text, "content_warning": "", "tone": ""}
    )
    assert response.status_code == 400
    html = text(response)
    errors = re.search(r'<ul class="errorlist" id="id_text_error">(.*?)</ul>', html, re.S)
    assert errors is not None
    assert "Posts can be up to 5,000 characters; this one has 5,001." in errors.group(1)
    textarea = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea is not None
    assert 'aria-describedby="id_text_error"' in textarea.group(0)
    assert long_text in textarea.group(1)
    post.refresh_from_db()
    assert post.text == "Short"


def test_history_of_a_hidden_post_is_not_found(client_for):
    alice = UserFactory()
    post = publish(alice, "Followers only", audience=Audience.FOLLOWERS)
    response = client_for(UserFactory()).get(f"/@{alice.username}/{post.pk}/history")
    assert response.status_code == 404


# --- deleting -------------------------------------------------------------------


def test_delete_leaves_a_tombstone_for_replies(client_for):
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    post = publish(alice, "Something I regret saying")
    reply = publish(bob, "I understand", in_reply_to=post)
    alice_client = client_for(alice)
    assert "Delete this post?" in text(alice_client.get(f"/@{alice.username}/{post.pk}/delete"))

    response = alice_client.post(f"/@{alice.username}/{post.pk}/delete")
    assert response.status_code == 302

    for viewer in (alice, bob, None):
        c = client_for(viewer)
        assert c.get(post.get_absolute_url()).status_code == 404
        assert c.get(f"/@{alice.username}/{post.pk}/history").status_code == 404
        reply_page = c.get(reply.get_absolute_url())
        assert reply_page.status_code == 200
        html = text(reply_page)
        assert "I understand" in html
        assert "Something I regret saying" not in html
        assert "a deleted post" in html
    assert "Something I regret saying" not in text(client_for(bob).get("/home"))
    assert "Something I regret saying" not in text(alice_client.get(f"/@{alice.username}"))


def test_only_the_author_can_delete(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Mine to keep")
    assert client_for(bob).post(f"/@{alice.username}/{post.pk}/delete").status_code == 404
    assert client_for(None).get(post.get_absolute_url()).status_code == 200


def test_replying_to_a_deleted_post_is_not_found(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Soon gone")
    client_for(alice).post(f"/@{alice.username}/{post.pk}/delete")
    assert compose(client_for(bob), "Too late", in_reply_to=post.pk).status_code == 404


# --- reactions --------------------------------------------------------------------


def reactions_form(html: str) -> str:
    found = re.search(r'<form class="reactions".*?</form>', html, re.S)
    assert found is not None
    return found.group(0)


def test_author_sees_who_reacted_and_how(client_for):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    post = publish(alice, "I finished the marathon!")
    react = f"/@{alice.username}/{post.pk}/react"
    assert client_for(bob).post(react, {"kind": "celebrate"}).status_code == 302
    client_for(carol).post(react, {"kind": "love"})

    html = text(client_for(alice).get(post.get_absolute_url()))
    responses = html.split('id="reactors-title"', 1)[1].split("</section>", 1)[0]
    assert f"{bob.name}</a> — Celebrate" in responses
    assert f"{carol.name}</a> — Love" in responses


def test_others_see_only_their_own_reaction(client_for):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    post = publish(alice, "I finished the marathon!")
    react = f"/@{alice.username}/{post.pk}/react"
    client_for(bob).post(react, {"kind": "celebrate"})
    client_for(carol).post(react, {"kind": "love"})

    html = text(client_for(bob).get(post.get_absolute_url()))
    assert "Responses" not in html
    assert carol.name not in html
    form = reactions_form(html)
    assert re.search(r'value="celebrate" aria-pressed="true"', form)
    assert form.count('aria-pressed="true"') == 1
    assert 'value="love" aria-pressed="false"' in form


def test_no_reaction_counts_anywhere(client_for):
    alice = UserFactory()
    post = publish(alice, "Count nothing")
    react = f"/@{alice.username}/{post.pk}/react"
    for _ in range(3):
        client_for(UserFactory()).post(react, {"kind": "with_you"})

    for viewer in (alice, UserFactory(), None):
        html = text(client_for(viewer).get(post.get_absolute_url()))
        if viewer is not None:
            visible = re.sub(r"<[^>]+>", " ", reactions_form(html))
            assert not re.search(r"\d", visible), visible
        page_text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\b\d+\s*(reactions?|responses?|likes?)\b", page_text, re.I)
        assert not re.search(r"With you\s*\d", page_text)


def test_reacting_again_takes_it_back_and_another_kind_replaces_it(client_for):
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Small win today")
    c = client_for(bob)
    react = f"/@{alice.username}/{post.pk}/react"
    c.post(react, {"kind": "celebrate"})
    c.post(react, {"kind": "love"})
    html = text(client_for(alice).get(post.get_absolute_url()))
    assert f"{bob.name}</a> — Love" in html
    assert "— Celebrate" not in html

    c.post(react, {"kind": "love"})
    form = reactions_form(text(c.get(post.get_absolute_url())))
    assert 'aria-pressed="true"' not in form
    assert "Nobody has responded yet." in text(client_for(alice).get(post.get_absolute_url()))


def test_reacting_to_a_post_you_cannot_see_is_not_found(client_for):
    alice = UserFactory()
    post = publish(alice, "Circle only", audience=Audience.CIRCLE)
    response = client_for(UserFactory()).post(
        f"/@{alice.username}/{post.pk}/react", {"kind": "love"}
    )
    assert response.status_code == 404
    assert not post.reactions.exists()


def test_logged_out_cannot_react(client_for):
    alice = UserFactory()
    post = publish(alice, "Hello")
    response = client_for(None).post(f"/@{alice.username}/{post.pk}/react", {"kind": "love"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert not post.reactions.exists()


# --- photos --------------------------------------------------------------------


def stored_media(post: Post) -> list[Media]:
    return list(post.media.order_by("position"))


def test_photo_is_reencoded_without_exif_or_location(client_for, settings):
    alice = UserFactory()
    c = client_for(alice)
    response = compose(
        c,
        "Holiday!",
        media_1=upload(jpeg_with_gps(), "my-home-address.jpg"),
        alt_1="A beach at dusk",
    )
    assert response.status_code == 302
    post = Post.objects.get()
    [media] = stored_media(post)

    path = Path(media.file.path)
    raw = path.read_bytes()
    assert b"SecretCam" not in raw
    assert b"Exif" not in raw
    with Image.open(path) as stored:
        assert stored.format == "JPEG"
        assert len(stored.getexif()) == 0
        assert not stored.getexif().get_ifd(0x8825)
        assert "exif" not in stored.info
    # The uploaded name never reaches the file system.
    assert "my-home-address" not in str(media.file.name)
    assert path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())

    html = c.get(post.get_absolute_url()).content.decode()
    assert f'src="{media.file.url}" alt="A beach at dusk"' in html


def test_photo_is_turned_upright_before_its_exif_goes(client_for):
    c = client_for(UserFactory())
    compose(c, "Sideways", media_1=upload(jpeg_with_gps((64, 48), orientation=6)), alt_1="x")
    [media] = stored_media(Post.objects.get())
    with Image.open(media.file.path) as stored:
        assert stored.size == (48, 64)


@pytest.mark.parametrize(("alpha", "fmt"), [(False, "JPEG"), (True, "PNG")])
def test_png_metadata_is_dropped(client_for, alpha, fmt):
    c = client_for(UserFactory())
    response = compose(
        c, "A plant", media_1=upload(png_with_text(alpha), "plant.png", "image/png"), alt_1="x"
    )
    assert response.status_code == 302
    [media] = stored_media(Post.objects.get())
    raw = Path(media.file.path).read_bytes()
    assert b"Secret Lane" not in raw
    with Image.open(media.file.path) as stored:
        assert stored.format == fmt
        assert "Location" not in stored.info


def test_uploaded_file_name_is_never_used_on_disk(client_for, settings):
    c = client_for(UserFactory())
    response = compose(
        c, "Tricky name", media_1=upload(jpeg_with_gps(), "../../../etc/cron.d/evil name.jpg")
    )
    assert response.status_code == 302
    [media] = stored_media(Post.objects.get())
    name = str(media.file.name)
    assert "evil" not in name
    assert ".." not in name
    assert re.fullmatch(r"media/\d+/[0-9a-f]{32}\.jpg", name), name
    assert Path(media.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_up_to_four_photos_in_order_with_their_descriptions(client_for):
    c = client_for(UserFactory())
    data = {}
    for i in range(1, 5):
        data[f"media_{i}"] = upload(jpeg_with_gps(), f"p{i}.jpg")
        data[f"alt_{i}"] = f"Picture number {i}"
    assert compose(c, "Four", **data).status_code == 302
    post = Post.objects.get()
    assert [m.alt for m in stored_media(post)] == [f"Picture number {i}" for i in range(1, 5)]
    html = text(c.get(post.get_absolute_url()))
    positions = [html.index(f'alt="Picture number {i}"') for i in range(1, 5)]
    assert positions == sorted(positions)


def test_five_photos_are_refused_and_nothing_is_saved(settings):
    alice = UserFactory()
    uploads = [MediaUpload(file=upload(jpeg_with_gps(), f"p{i}.jpg")) for i in range(5)]
    with pytest.raises(PostError, match="up to 4 photos"):
        post_create(author=alice, text="Five", media=uploads)
    assert not Post.objects.exists()
    assert not Media.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_photo_without_description_prompts_its_author_only(client_for):
    alice, bob = UserFactory(), UserFactory()
    c = client_for(alice)
    response = compose(c, "Look", media_1=upload(jpeg_with_gps()))
    assert "One of its photos has no description yet" in text(c.get(response["Location"]))
    post = Post.objects.get()
    assert "Photo 1 has no description." in text(c.get(post.get_absolute_url()))
    assert "has no description" not in text(client_for(bob).get(post.get_absolute_url()))


def assert_photo_refused(response, message: str, typed: str) -> None:
    assert response.status_code == 400
    html = text(response)
    photos = photos_section(html)
    # The reason is given beside the photo fields, whose section is open to show it.
    assert message in photos
    assert photos.startswith("<details open")
    # What was typed is still there.
    assert typed in field_html(html, "text")
    assert not Post.objects.exists()
    assert not Media.objects.exists()


def test_photo_over_16_mb_is_refused_beside_the_field(client_for):
    big = jpeg_with_gps() + b"\0" * (16 * 1024 * 1024)
    response = compose(client_for(UserFactory()), "Big one", media_1=upload(big, "big.jpg"))
    assert_photo_refused(response, "larger than 16 MB", "Big one")


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(client_for):
    response = compose(
        client_for(UserFactory()),
        "My notes",
        media_1=upload(b"just some words\n", "notes.jpg", "image/jpeg"),
    )
    assert_photo_refused(response, "Photo 1: This file isn't an image we can read.", "My notes")


@pytest.mark.parametrize("size", [(100_000, 100_000), (9_000, 9_000)])
def test_a_decompression_bomb_is_refused_beside_the_field(client_for, size):
    response = compose(
        client_for(UserFactory()),
        "Huge",
        media_1=upload(png_header_only(*size), "huge.png", "image/png"),
    )
    assert_photo_refused(response, "too many pixels", "Huge")
