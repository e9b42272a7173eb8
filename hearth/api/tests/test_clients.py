"""Real Mastodon clients against a live Hearth: Mastodon.py and the `toot` CLI.

Nothing is mocked: the clients speak HTTP to pytest-django's live server,
which commits for real (transaction=True), so events fire on commit and
their tasks run inline (hearth/conftest.py). The consent form is driven
with Django's test client logged in as the person, as a browser would.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from mastodon import Mastodon, MastodonAPIError, MastodonIllegalArgumentError, StreamListener

from hearth.accounts.models import User
from hearth.accounts.services import user_create
from hearth.api.tests.conftest import jpeg_bytes

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"
REDIRECT = "http://127.0.0.1:9/hearth-test-callback"


def person(username: str) -> User:
    return user_create(username=username, email=f"{username}@example.org", password=PASSWORD)


def consent(user: User, authorize_url: str, *, allow: bool = True) -> Any:
    """Open the app's authorization URL as `user` and answer the consent form."""
    browser = Client()
    browser.force_login(user)
    parts = urlsplit(authorize_url)
    target = f"{parts.path}?{parts.query}"
    page = browser.get(target)
    assert page.status_code == 200, page.content[:500]
    assert b"Allow" in page.content
    return browser.post(target, {"decision": "allow" if allow else "deny"})


def code_from(answer: Any) -> str:
    if answer.status_code == 302:
        return str(parse_qs(urlsplit(answer["Location"]).query)["code"][0])
    match = re.search(rb'id="authorization-code"[^>]*>([^<]+)<', answer.content)
    assert match, answer.content[:500]
    return match.group(1).decode()


def mastodon_login(base: str, user: User, tmp_path: Path) -> Mastodon:
    client_id, client_secret = Mastodon.create_app(
        "Hearth test", api_base_url=base, redirect_uris=REDIRECT, to_file=None
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    url = api.auth_request_url(redirect_uris=REDIRECT, allow_http=True)
    code = code_from(consent(user, url))
    api.log_in(code=code, redirect_uri=REDIRECT, allow_http=True)
    return api


def test_mastodon_py_end_to_end(live_server: Any, tmp_path: Path, settings: Any) -> None:
    base = live_server.url
    alice, bob = person("alice"), person("bob")
    a = mastodon_login(base, alice, tmp_path)
    b = mastodon_login(base, bob, tmp_path)

    assert a.me()["username"] == "alice"
    assert a.instance()["version"].startswith("4.3.0 (compatible; Hearth ")
    assert a.app_verify_credentials()["name"] == "Hearth test"

    # Bob follows Alice, and Alice sees the notification.
    relationship = b.account_follow(a.me()["id"])
    assert relationship["following"] is True

    # Alice posts with a photo and its description.
    photo = tmp_path / "garden.jpg"
    photo.write_bytes(jpeg_bytes())
    media = a.media_post(str(photo), mime_type="image/jpeg", description="Tomatoes on the vine")
    assert media["description"] == "Tomatoes on the vine"
    assert media["url"]
    status = a.status_post("First tomatoes of the year #garden", media_ids=[media["id"]])
    assert status["media_attachments"][0]["description"] == "Tomatoes on the vine"

    # Bob reads it on his home, the tag and the public timelines.
    assert [s["id"] for s in b.timeline_home()] == [status["id"]]
    assert [s["id"] for s in b.timeline_hashtag("garden")] == [status["id"]]
    assert status["id"] in [s["id"] for s in b.timeline_public()]

    # Bob favourites it; Alice is told.
    assert b.status_favourite(status["id"])["favourited"] is True
    notes = a.notifications()
    kinds = {(n["type"], n["account"]["username"]) for n in notes}
    assert ("favourite", "bob") in kinds
    assert ("follow", "bob") in kinds
    favourite = next(n for n in notes if n["type"] == "favourite")
    assert favourite["status"]["id"] == status["id"]

    # A reply makes a thread; the context shows it from both ends.
    reply = b.status_post("@alice They look wonderful", in_reply_to_id=status["id"])
    context = a.status_context(reply["id"])
    assert [s["id"] for s in context["ancestors"]] == [status["id"]]
    assert [s["id"] for s in a.status_context(status["id"])["descendants"]] == [reply["id"]]

    # Search finds people, posts and tags.
    found = b.search("alice", result_type="accounts")
    assert [acc["username"] for acc in found["accounts"]] == ["alice"]
    assert [s["id"] for s in b.search("tomatoes")["statuses"]] == [status["id"]]
    assert [t["name"] for t in b.search("gard")["hashtags"]] == ["garden"]

    # Edit keeps the history; delete hands the text back.
    edited = a.status_update(status["id"], "First tomatoes of the year! #garden")
    assert edited["edited_at"] is not None
    assert len(a.status_history(status["id"])) == 2
    deleted = b.status_delete(reply["id"])
    assert deleted["text"] == "@alice They look wonderful"
    with pytest.raises(MastodonAPIError):
        a.status(reply["id"])

    # Revoking the token ends the session.
    b.revoke_access_token()
    with pytest.raises(MastodonAPIError):
        b.me()


def test_mastodon_py_reblogs(live_server: Any, tmp_path: Path) -> None:
    base = live_server.url
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    a = mastodon_login(base, alice, tmp_path)
    b = mastodon_login(base, bob, tmp_path)
    c = mastodon_login(base, carol, tmp_path)
    c.account_follow(b.me()["id"])

    status = a.status_post("The first swifts are back")
    shared = b.status_reblog(status["id"])
    assert shared["reblog"]["id"] == status["id"]
    assert shared["reblog"]["reblogged"] is True
    assert shared["account"]["acct"] == "bob"

    # Carol follows Bob only: the share brings Alice's post to her home.
    home = c.timeline_home()
    assert [(s["id"], s["reblog"]["id"]) for s in home] == [(shared["id"], status["id"])]
    assert [s["id"] for s in c.account_statuses(b.me()["id"])] == [shared["id"]]

    # Alice is told, and only she sees who shared it and how often.
    notes = a.notifications(types=["reblog"])
    assert [(n["type"], n["account"]["acct"]) for n in notes] == [("reblog", "bob")]
    assert [acc["acct"] for acc in a.status_reblogged_by(status["id"])] == ["bob"]
    assert a.status(status["id"])["reblogs_count"] == 1
    assert c.status_reblogged_by(status["id"]) == []
    assert c.status(status["id"])["reblogs_count"] == 0

    # A followers-only post cannot be shared.
    private = a.status_post(
        "A quiet update for friends: the seedlings made it", visibility="private"
    )
    b.account_follow(a.me()["id"])
    with pytest.raises(MastodonAPIError):
        b.status_reblog(private["id"])

    undone = b.status_unreblog(status["id"])
    assert undone["reblogged"] is False
    assert c.timeline_home() == []


class Collector(StreamListener):
    """Everything a stream delivers, in order, for the test thread to wait on."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def handle_heartbeat(self) -> None:
        self.events.put(("heartbeat", None))

    def on_update(self, status: Any) -> None:
        self.events.put(("update", status))

    def on_notification(self, notification: Any) -> None:
        self.events.put(("notification", notification))

    def on_delete(self, status_id: Any) -> None:
        self.events.put(("delete", status_id))

    def next(self, *names: str) -> tuple[str, Any]:
        while True:
            name, payload = self.events.get(timeout=15)
            if name in names:
                return name, payload


def test_mastodon_py_streams_the_user_timeline(
    asgi_server: str,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.HEARTH_LIVE_PREFIX = f"test-{uuid.uuid4().hex}:live:"
    base = asgi_server
    alice, bob = person("alice"), person("bob")
    a = mastodon_login(base, alice, tmp_path)
    b = mastodon_login(base, bob, tmp_path)
    b.account_follow(a.me()["id"])
    # `hearth demo` streams from the same origin.
    assert a.instance()["configuration"]["urls"]["streaming"] == base.replace("http://", "ws://")
    assert b.stream_healthy()

    listener = Collector()
    handle = b.stream_user(listener, run_async=True)
    try:
        listener.next("heartbeat")  # connected and subscribed
        status = a.status_post("@bob The beans are up")
        got = dict(
            [listener.next("update", "notification"), listener.next("update", "notification")]
        )
        assert got["update"]["id"] == status["id"]
        assert got["update"]["account"]["acct"] == "alice"
        assert got["notification"]["type"] == "mention"
        assert got["notification"]["status"]["id"] == status["id"]
        a.status_delete(status["id"])
        assert listener.next("delete") == ("delete", status["id"])
    finally:
        handle.close()


def test_mastodon_py_password_grant_only_when_switched_on(live_server: Any, settings: Any) -> None:
    base = live_server.url
    person("carol")
    client_id, client_secret = Mastodon.create_app("Hearth test", api_base_url=base)
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    with pytest.raises(MastodonIllegalArgumentError):
        api.log_in("carol@example.org", PASSWORD)
    settings.HEARTH_OAUTH_PASSWORD_GRANT = True
    api.log_in("carol@example.org", PASSWORD)
    assert api.me()["username"] == "carol"


def _toot(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TOOT_CONFIG_DIR": str(home / "config" / "toot"),
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and toot)
        [sys.executable, "-m", "toot", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_toot_logs_in_posts_and_reads(live_server: Any, tmp_path: Path) -> None:
    base = live_server.url
    dave = person("dave")
    home = tmp_path / "home"
    home.mkdir()
    # `toot login` prints the URL to open and asks for the code it shows;
    # run it in two steps: once to register and print the URL...
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "toot", "login", "--instance", base],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "PYTHONUNBUFFERED": "1",
            "BROWSER": "true",
        },
    )
    assert process.stdin is not None and process.stdout is not None
    url = ""
    for line in process.stdout:
        if "/oauth/authorize" in line:
            url = line.strip()
            break
    assert url, "toot did not print a login URL"
    # ...then consent as Dave, read the out-of-band code and type it in.
    code = code_from(consent(dave, url))
    out, _ = process.communicate(f"n\n{code}\n", timeout=60)
    assert process.returncode == 0, out
    assert "Successfully logged in" in out

    posted = _toot(home, "post", "Hello from toot #cli")
    assert posted.returncode == 0, posted.stdout + posted.stderr
    timeline = _toot(home, "timeline", "--once")
    assert timeline.returncode == 0, timeline.stdout + timeline.stderr
    assert "Hello from toot" in timeline.stdout
    whoami = _toot(home, "whoami")
    assert "dave" in whoami.stdout


def test_mastodon_py_bookmarks_pins_lists_filters_and_conversations(
    live_server: Any, tmp_path: Path
) -> None:
    base = live_server.url
    alice, bob = person("alice"), person("bob")
    a = mastodon_login(base, alice, tmp_path)
    b = mastodon_login(base, bob, tmp_path)
    b.account_follow(a.me()["id"])
    status = a.status_post("Seed swap on Saturday #garden")

    # Bookmarks: Bob saves it, privately.
    assert b.status_bookmark(status["id"])["bookmarked"] is True
    assert [s["id"] for s in b.bookmarks()] == [status["id"]]
    assert a.bookmarks() == []
    assert b.status_unbookmark(status["id"])["bookmarked"] is False
    assert b.bookmarks() == []

    # Pins: Alice pins her own post; everyone sees it first on her profile.
    assert a.status_pin(status["id"])["pinned"] is True
    pinned = b.account_statuses(a.me()["id"], pinned=True)
    assert [s["id"] for s in pinned] == [status["id"]]
    assert a.instance()["configuration"]["accounts"]["max_pinned_statuses"] == 5
    with pytest.raises(MastodonAPIError):
        b.status_pin(status["id"])  # not Bob's
    a.status_unpin(status["id"])
    assert b.account_statuses(a.me()["id"], pinned=True) == []

    # Lists: Bob makes one, adds Alice (whom he follows), reads its timeline.
    made = b.list_create("Neighbours")
    assert made["title"] == "Neighbours"
    b.list_accounts_add(made["id"], [a.me()["id"]])
    assert [acc["username"] for acc in b.list_accounts(made["id"])] == ["alice"]
    assert [item["id"] for item in b.account_lists(a.me()["id"])] == [made["id"]]
    later = a.status_post("Bring your spare seeds")
    assert [s["id"] for s in b.timeline_list(made["id"])] == [later["id"], status["id"]]
    assert [item["id"] for item in b.lists()] == [made["id"]]
    b.list_delete(made["id"])
    assert b.lists() == []

    # Filters v2: a warn filter marks the status it matches.
    created = b.create_filter_v2(
        "seeds", ["home"], "warn", keywords_attributes=[{"keyword": "seeds", "whole_word": True}]
    )
    assert [f["id"] for f in b.filters_v2()] == [created["id"]]
    home = b.timeline_home()
    assert home[0]["filtered"][0]["filter"]["id"] == created["id"]
    b.delete_filter_v2(created["id"])

    # Conversations and reports are there too.
    assert b.conversations() == []
    report = b.report(a.me()["id"], status_ids=[status["id"]], comment="Just testing")
    assert report["target_account"]["username"] == "alice"
