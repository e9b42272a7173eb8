"""Bad input, as a table: every row answers its status with `{"error": ...}` and creates nothing.

Malformed JSON, other content types and the token, scope and OAuth cases
are in test_contract.py and test_oauth.py; this file has the rest of
issue #7's list: unknown fields (ignored, as Mastodon does), oversize
bodies and photos, too long a text, too many or someone else's photos,
and ids that cannot be found on every path that takes one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hearth.accounts.models import User
from hearth.accounts.tests.factories import UserFactory
from hearth.api.root import api
from hearth.api.tests.conftest import ApiClient, issue_token, jpeg_bytes
from hearth.posts.models import MAX_MEDIA, MAX_POST_LENGTH, Media, Post
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def _upload(client: ApiClient) -> str:
    response = client.post(
        "/api/v2/media", {"file": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")}
    )
    assert response.status_code == 200, response.content
    return str(response.json()["id"])


def _assert_error(response: Any, *statuses: int) -> None:
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("error"), str)
    assert body["error"]


# Unknown fields: Mastodon ignores parameters it does not know, so the
# request succeeds; none of them may change who wrote the post, its id or
# its audience.
UNKNOWN = {
    "id": "123",
    "account_id": "1",
    "created_at": "2001-01-01T00:00:00Z",
    "audience": "mentioned",
    "hearth_audience": "circle",
    "favourites_count": "99",
    "something_new": "yes",
}


@pytest.mark.parametrize("shape", ["json", "form", "multipart"])
def test_unknown_fields_are_ignored(shape: str) -> None:
    alice, other = UserFactory(), UserFactory()
    client = ApiClient(issue_token(alice))
    fields = {**UNKNOWN, "account_id": str(other.pk), "status": "Extra fields are left out"}
    if shape == "json":
        sent = client.post_json("/api/v1/statuses", {**fields, "nested": {"a": [1, 2]}})
    elif shape == "form":
        body = "&".join(f"{k}={v}" for k, v in fields.items()) + "&extra[]=1&extra[]=2&o[k]=v"
        sent = client.post("/api/v1/statuses", body, content_type=FORM)
    else:
        sent = client.post("/api/v1/statuses", {**fields, "extra[]": ["1", "2"]})
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["id"] != "123"
    assert body["account"]["id"] == str(alice.pk)
    assert body["visibility"] == "public"
    assert body["favourites_count"] == 0
    post = Post.objects.get()
    assert (post.author_id, post.audience, post.text) == (
        alice.pk,
        "public",
        "Extra fields are left out",
    )
    # The same for an edit and a photo's description.
    edited = client.put_json(f"/api/v1/statuses/{post.pk}", {"status": "Edited", **UNKNOWN})
    assert edited.status_code == 200, edited.content
    assert Post.objects.get().text == "Edited"
    media_id = _upload(client)
    described = client.put(
        f"/api/v1/media/{media_id}", "description=A+lake&unknown=1&owner_id=1", content_type=FORM
    )
    assert described.status_code == 200, described.content
    assert Media.objects.get().owner_id == alice.pk


BIG = 5 * 1024 * 1024  # past DATA_UPLOAD_MAX_MEMORY_SIZE (4 MB)


def _big_json(client: ApiClient, path: str) -> Any:
    body = json.dumps({"status": "hi", "padding": "a" * BIG})
    return client.generic("POST", path, body, content_type="application/json")


def _big_form(client: ApiClient, path: str) -> Any:
    return client.post(path, "status=hi&padding=" + "a" * BIG, content_type=FORM)


def _big_multipart(client: ApiClient, path: str) -> Any:
    return client.post(path, {"status": "hi", "padding": "a" * BIG})


def _big_put_form(client: ApiClient, path: str) -> Any:
    return client.put(path, "description=" + "a" * BIG, content_type=FORM)


OVERSIZE: list[tuple[str, str, Callable[[ApiClient, str], Any]]] = [
    ("json status", "/api/v1/statuses", _big_json),
    ("form status", "/api/v1/statuses", _big_form),
    ("multipart status", "/api/v1/statuses", _big_multipart),
    ("multipart media", "/api/v2/media", _big_multipart),
    ("form media description", "/api/v1/media/1", _big_put_form),
    ("json list", "/api/v1/lists", _big_json),
    ("form token", "/oauth/token", _big_form),
    ("json token", "/oauth/token", _big_json),
    ("form revoke", "/oauth/revoke", _big_form),
]


@pytest.mark.parametrize(("name", "path", "send"), OVERSIZE, ids=[row[0] for row in OVERSIZE])
def test_oversize_bodies_are_413_json(
    name: str, path: str, send: Callable[[ApiClient, str], Any]
) -> None:
    client = ApiClient(issue_token(UserFactory()))
    _assert_error(send(client, path), 413)
    assert not Post.objects.exists()
    assert not Media.objects.exists()


def test_oversize_photo_is_refused_and_nothing_is_stored(settings: Any) -> None:
    settings.MEDIA_MAX_BYTES = 64 * 1024
    client = ApiClient(issue_token(UserFactory()))
    limit = client.get("/api/v2/instance").json()["configuration"]["media_attachments"]
    assert limit["image_size_limit"] == settings.MEDIA_MAX_BYTES
    photo = jpeg_bytes()
    too_big = photo + b"\0" * (settings.MEDIA_MAX_BYTES + 1 - len(photo))
    for path in ("/api/v2/media", "/api/v1/media"):
        response = client.post(path, {"file": SimpleUploadedFile("big.jpg", too_big, "image/jpeg")})
        _assert_error(response, 413, 422)
    assert not Media.objects.exists()


def _status_with(client: ApiClient, **fields: Any) -> Any:
    return client.post_json("/api/v1/statuses", {"status": "Hello", **fields})


def test_status_rows_that_create_nothing() -> None:
    alice, bob = UserFactory(), UserFactory()
    mine, theirs = ApiClient(issue_token(alice)), ApiClient(issue_token(bob))
    own_media = [_upload(mine) for _ in range(MAX_MEDIA + 1)]
    bobs_media = _upload(theirs)
    used = publish(bob, "Bob's post")
    rows: list[tuple[str, dict[str, Any], tuple[int, ...]]] = [
        ("too long", {"status": "a" * (MAX_POST_LENGTH + 1)}, (422,)),
        ("too many photos", {"media_ids": own_media}, (422,)),
        ("more ids than any client sends", {"media_ids": [own_media[0]] * 9}, (422,)),
        ("someone else's photo", {"media_ids": [bobs_media]}, (422, 404)),
        ("a missing photo", {"media_ids": ["12345"]}, (422, 404)),
        ("a photo id that cannot be one", {"media_ids": ["abc"]}, (422, 404)),
        ("one good photo and one foreign", {"media_ids": [own_media[0], bobs_media]}, (422, 404)),
        ("a missing parent", {"in_reply_to_id": "12345"}, (404,)),
        ("a parent id that cannot be one", {"in_reply_to_id": "x1"}, (404,)),
        ("an unknown visibility", {"visibility": "everyone"}, (422,)),
        ("a poll", {"poll": {"options": ["a", "b"], "expires_in": 60}}, (422,)),
        ("scheduled", {"scheduled_at": "2099-01-01T00:00:00Z"}, (422,)),
        ("a boolean that is not one", {"sensitive": "perhaps"}, (422,)),
        ("a list where text belongs", {"status": ["a", "b"]}, (422,)),
    ]
    for name, fields, statuses in rows:
        response = _status_with(mine, **fields)
        assert response.status_code in statuses, (name, response.status_code, response.content)
        _assert_error(response, *statuses)
        assert list(Post.objects.values_list("pk", flat=True)) == [used.pk], name
        assert not Media.objects.filter(post__isnull=False).exists(), name
    # Every photo is still staged and usable: a failed post took none of them.
    ok = _status_with(mine, media_ids=own_media[:MAX_MEDIA])
    assert ok.status_code == 200, ok.content
    assert len(ok.json()["media_attachments"]) == MAX_MEDIA


def test_edits_that_change_nothing() -> None:
    alice, bob = UserFactory(), UserFactory()
    client = ApiClient(issue_token(alice))
    post = publish(alice, "As it was")
    bobs = publish(bob, "Bob's")
    rows: list[tuple[str, str, dict[str, Any], int]] = [
        ("too long", str(post.pk), {"status": "a" * (MAX_POST_LENGTH + 1)}, 422),
        ("someone else's", str(bobs.pk), {"status": "Mine now"}, 404),
        ("missing", "12345", {"status": "x"}, 404),
        ("not an id", "abc", {"status": "x"}, 404),
        ("new photos", str(post.pk), {"status": "x", "media_ids": ["1"]}, 422),
    ]
    for name, target, fields, status in rows:
        response = client.put_json(f"/api/v1/statuses/{target}", fields)
        assert response.status_code == status, (name, response.content)
        _assert_error(response, status)
    post.refresh_from_db()
    bobs.refresh_from_db()
    assert (post.text, bobs.text) == ("As it was", "Bob's")
    assert not post.edits.exists()


# Every path of the API that takes an id, with each method it answers:
# an id that cannot be one, one too large for the database and one that
# names nothing are all 404s, never a 500 or a 422.
ID_PARAM = re.compile(r"\{(\w+_id)\}")
BAD_IDS = ("abc", "99999999999999999999999", "-1", "123456789")


def _id_paths() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    rows = []
    for path, operations in schema["paths"].items():
        if not ID_PARAM.search(path):
            continue
        for method in operations:
            rows.append((method.upper(), path))
    return sorted(rows)


ID_PATHS = _id_paths()


def test_every_id_path_is_in_the_table() -> None:
    # A guard against the table silently shrinking.
    assert len(ID_PATHS) > 40
    assert ("PUT", "/api/v1/statuses/{status_id}") in ID_PATHS


@pytest.mark.parametrize(("method", "path"), ID_PATHS, ids=[f"{m} {p}" for m, p in ID_PATHS])
def test_invalid_ids_are_404(method: str, path: str) -> None:
    user: User = UserFactory()
    client = ApiClient(issue_token(user))
    before = Post.objects.count()
    for bad in BAD_IDS:
        url = ID_PARAM.sub(bad, path).replace("{emoji}", "love").replace("{hashtag}", "x")
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 404, (url, response.status_code, response.content[:200])
        assert response.json() == {"error": "Record not found"}
    assert Post.objects.count() == before
