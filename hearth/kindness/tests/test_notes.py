"""Thank-you notes: sending from a profile, the private received and sent pages."""

from __future__ import annotations

import html
import time

import pytest

from hearth.accounts.services import block_create
from hearth.accounts.tests.factories import UserFactory
from hearth.conftest import committed
from hearth.core.ids import snowflake
from hearth.kindness import notes
from hearth.kindness.models import ThankYouNote
from hearth.kindness.selectors import NOTES_PER_DAY, note_quota_left

pytestmark = pytest.mark.django_db


def thanks_url(user) -> str:
    return f"/@{user.username}/thanks"


def send(sender, recipient, text="Thank you for listening last night.") -> ThankYouNote:
    return notes.note_send(sender=sender, recipient=recipient, text=text)


def test_send_from_the_form_and_only_the_recipient_receives_it(client_for):
    alice, bea, carl = UserFactory(), UserFactory(), UserFactory()
    c = client_for(alice)
    page = c.get(thanks_url(bea))
    assert page.status_code == 200
    assert f"Say thank you to {bea.name}" in page.text
    assert "only they" in page.text.lower() or "only " + bea.name in page.text

    r = c.post(thanks_url(bea), {"text": "  Your post about grief helped me a lot.  "})
    assert r.status_code == 302
    assert r["Location"] == bea.get_absolute_url()
    note = ThankYouNote.objects.get()
    assert (note.sender, note.recipient) == (alice, bea)
    assert note.text == "Your post about grief helped me a lot."
    assert note.read_at is None

    received = client_for(bea).get("/kindness/received")
    assert received.status_code == 200
    assert "Your post about grief helped me a lot." in received.text
    assert "1 new note" in received.text
    assert "Say thank you back" in received.text

    # Nobody else sees it: not a third person, not the sender's own received page.
    for other in (carl, alice):
        assert "grief helped" not in client_for(other).get("/kindness/received").text
    # The sender sees it among the notes they sent; the recipient's sent page doesn't.
    assert "grief helped" in c.get("/kindness/sent").text
    assert "grief helped" not in client_for(bea).get("/kindness/sent").text


def test_opening_received_marks_read(client_for):
    alice, bea = UserFactory(), UserFactory()
    send(alice, bea)
    c = client_for(bea)
    first = c.get("/kindness/received")
    assert "1 new note" in first.text
    assert ">New<" in first.text
    assert ThankYouNote.objects.get().read_at is not None
    again = c.get("/kindness/received")
    assert "new note" not in again.text
    assert ">New<" not in again.text
    assert "Thank you for listening" in again.text


def test_empty_states_are_warm(client_for):
    c = client_for(UserFactory())
    received = c.get("/kindness/received")
    assert "Your notes will gather here" in received.text
    assert 'aria-current="page">Kindness received' in received.text
    assert "No notes sent yet" in c.get("/kindness/sent").text


def test_received_pages_newest_first(client_for):
    alice, bea = UserFactory(), UserFactory()
    for n in range(25):
        ThankYouNote.objects.create(sender=alice, recipient=bea, text=f"note number {n:02d}")
    c = client_for(bea)
    first = c.get("/kindness/received")
    assert "note number 24" in first.text and "note number 05" in first.text
    assert "note number 04" not in first.text
    assert first.text.index("note number 24") < first.text.index("note number 23")
    assert "25 new notes" in first.text
    assert "Older notes" in first.text
    older = first.context["page"].next_max_id
    second = c.get(f"/kindness/received?max_id={older}")
    assert "note number 04" in second.text and "note number 00" in second.text
    assert "note number 05" not in second.text
    assert "Older notes" not in second.text
    # Only the pages opened are marked read.
    assert "5 new notes" in second.text
    assert not ThankYouNote.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize("case", ["self", "blocks_them", "blocked_by_them", "unknown"])
def test_cannot_thank_self_blocked_or_unknown(client_for, case):
    me, other = UserFactory(), UserFactory()
    target = f"/@{other.username}/thanks"
    if case == "self":
        target = f"/@{me.username}/thanks"
    elif case == "blocks_them":
        with committed():
            block_create(blocker=me, blocked=other)
    elif case == "blocked_by_them":
        with committed():
            block_create(blocker=other, blocked=me)
    else:
        target = "/@nobody_here/thanks"
    c = client_for(me)
    assert c.get(target).status_code == 404
    assert c.post(target, {"text": "Thanks!"}).status_code == 404
    assert not ThankYouNote.objects.exists()


def test_service_refuses_self_and_blocks():
    me, other = UserFactory(), UserFactory()
    with pytest.raises(notes.NoteError):
        send(me, me)
    with committed():
        block_create(blocker=other, blocked=me)
    with pytest.raises(notes.NoteError):
        send(me, other)
    assert not ThankYouNote.objects.exists()


def test_a_block_hides_notes_already_sent(client_for):
    alice, bea = UserFactory(), UserFactory()
    send(alice, bea, "Thanks for the soup recipe.")
    with committed():
        block_create(blocker=bea, blocked=alice)
    assert "soup recipe" not in client_for(bea).get("/kindness/received").text
    assert "soup recipe" not in client_for(alice).get("/kindness/sent").text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a few words of thanks before sending."),
        ("   \n  ", "Write a few words of thanks before sending."),
        ("\u200b\u200d\u2060", "Write a few words of thanks before sending."),
        ("Thank you <b>so</b> much! " + "x" * 1000, "1000 characters or fewer"),
    ],
    ids=["empty", "spaces", "zero-width", "too-long"],
)
def test_validation_errors_sit_next_to_the_field_and_keep_the_text(client_for, text, message):
    alice, bea = UserFactory(), UserFactory()
    r = client_for(alice).post(thanks_url(bea), {"text": text})
    assert r.status_code == 400
    assert message in r.text
    assert 'aria-invalid="true"' in r.text
    assert 'id="id_text-error"' in r.text
    if text.strip():
        kept = r.text.split('id="id_text"', 1)[1].split("</textarea>", 1)[0]
        assert "Thank you &lt;b&gt;so&lt;/b&gt; much!" in kept or text.strip() in kept
    assert not ThankYouNote.objects.exists()


def test_daily_limit(client_for):
    alice, bea, carl = UserFactory(), UserFactory(), UserFactory()
    # A note from more than a day ago no longer counts.
    ThankYouNote.objects.create(
        id=snowflake(at=time.time() - 25 * 3600), sender=alice, recipient=carl, text="old"
    )
    for n in range(NOTES_PER_DAY):
        send(alice, carl if n % 2 else bea, f"thanks #{n}")
    assert note_quota_left(sender=alice) == 0
    c = client_for(alice)
    # Said up front, before anyone writes a note that cannot go.
    assert "the most Hearth allows" in c.get(thanks_url(bea)).text
    r = c.post(thanks_url(bea), {"text": "One more heartfelt thank you."})
    assert r.status_code == 400
    shown = html.unescape(r.text).replace("\xa0", " ")
    assert "You've sent 10 thank-you notes in the last day" in shown
    assert "You can send another in 23 hours" in shown
    assert "One more heartfelt thank you.</textarea>" in r.text
    assert ThankYouNote.objects.filter(sender=alice).count() == NOTES_PER_DAY + 1
    # The limit is per sender: someone else may still thank Bea.
    assert client_for(carl).post(thanks_url(bea), {"text": "Thanks!"}).status_code == 302


def test_a_double_submit_sends_one_note(client_for):
    alice, bea = UserFactory(), UserFactory()
    c = client_for(alice)
    for _ in range(2):
        assert c.post(thanks_url(bea), {"text": "Thank you!"}).status_code == 302
    assert ThankYouNote.objects.count() == 1


def test_note_text_is_escaped(client_for):
    alice, bea = UserFactory(), UserFactory()
    send(alice, bea, "<script>alert(1)</script>\nsecond line")
    page = client_for(bea).get("/kindness/received").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in page


@pytest.mark.parametrize("url", ["/kindness/received", "/kindness/sent", "/@{bea}/thanks"])
def test_logged_out_goes_to_login(client_for, url):
    bea = UserFactory()
    url = url.format(bea=bea.username)
    anon = client_for(None)
    for response in (anon.get(url), anon.post(url, {"text": "hi"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/login?next=")
    assert not ThankYouNote.objects.exists()
