"""Contract tests per endpoint: status codes, scopes, paging, the fields clients read."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token, jpeg_bytes
from hearth.feeds.models import Notification
from hearth.posts.models import Post, Reaction
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

STATUS_FIELDS = {
    "id", "uri", "url", "created_at", "account", "content", "visibility", "sensitive",
    "spoiler_text", "media_attachments", "mentions", "tags", "emojis", "reblogs_count",
    "favourites_count", "replies_count", "in_reply_to_id", "in_reply_to_account_id",
    "reblog", "poll", "card", "language", "edited_at", "favourited", "reblogged", "muted",
    "bookmarked", "pinned", "hearth",
}  # fmt: skip
ACCOUNT_FIELDS = {
    "id", "username", "acct", "url", "display_name", "note", "avatar", "avatar_static",
    "header", "header_static", "locked", "fields", "emojis", "bot", "group", "created_at",
    "statuses_count", "followers_count", "following_count",
}  # fmt: skip


def test_instance_v1_and_v2() -> None:
    for path in ("/api/v1/instance", "/api/v2/instance/"):
        body = ApiClient().get(path).json()
        assert body["version"].startswith("4.3.0 (compatible; Hearth ")
        assert body["api_versions"] == {"mastodon": 2}
        assert body["configuration"]["statuses"]["max_characters"] == 5000
        assert body["configuration"]["statuses"]["max_media_attachments"] == 4


def test_openapi_document_lists_the_resources() -> None:
    doc = ApiClient().get("/api/openapi.json").json()
    assert "/api/v1/statuses" in doc["paths"]
    assert "/api/v2/media" in doc["paths"]
    assert "StatusOut" in doc["components"]["schemas"]


@pytest.mark.parametrize(
    ("method", "path", "scope_ok", "scope_missing"),
    [
        ("get", "/api/v1/timelines/home", "read:statuses", "write"),
        ("get", "/api/v1/notifications", "read:notifications", "read:statuses"),
        ("post", "/api/v1/statuses", "write:statuses", "read"),
        ("get", "/api/v1/accounts/verify_credentials", "read", "write"),
        ("get", "/api/v1/accounts/relationships", "follow", "read:statuses"),
        ("get", "/api/v1/favourites", "read:favourites", "write:favourites"),
    ],
)
def test_scopes_are_enforced(method: str, path: str, scope_ok: str, scope_missing: str) -> None:
    user = UserFactory()
    denied = getattr(ApiClient(issue_token(user, scope_missing)), method)(path)
    assert denied.status_code == 403
    assert denied.json() == {"error": "This action is outside the authorized scopes"}
    allowed = getattr(ApiClient(issue_token(user, scope_ok)), method)(path)
    assert allowed.status_code != 403


def test_no_token_is_401_where_one_is_needed() -> None:
    response = ApiClient().get("/api/v1/timelines/home")
    assert response.status_code == 401
    assert response.json()["error"]


def test_status_create_in_form_json_and_multipart(api_for: Any) -> None:
    client = api_for(UserFactory())
    as_form = client.post(
        "/api/v1/statuses",
        "status=Hello+form&visibility=private&sensitive=1&spoiler_text=cw",
        content_type="application/x-www-form-urlencoded",
    )
    assert as_form.status_code == 200, as_form.content
    body = as_form.json()
    assert set(body) >= STATUS_FIELDS
    assert set(body["account"]) >= ACCOUNT_FIELDS
    assert body["visibility"] == "private"
    assert body["spoiler_text"] == "cw"
    assert isinstance(body["id"], str)
    as_json = client.post_json("/api/v1/statuses", {"status": "Hello json", "visibility": "direct"})
    assert as_json.status_code == 422  # a direct post must mention someone
    assert "error" in as_json.json()
    as_multipart = client.post("/api/v1/statuses", {"status": "Hello multipart"})
    assert as_multipart.status_code == 200
    assert as_multipart.json()["content"] == "<p>Hello multipart</p>"


def test_malformed_bodies_and_ids(api_for: Any) -> None:
    client = api_for(UserFactory())
    broken = client.post("/api/v1/statuses", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert "error" in broken.json()
    wrong_type = client.post("/api/v1/statuses", "status=hi", content_type="text/plain")
    assert wrong_type.status_code == 415
    assert client.get("/api/v1/statuses/not-a-number").status_code == 404
    assert client.get("/api/v1/statuses/99999999999999999999999").status_code == 404
    assert client.get("/api/v1/accounts/12345678").json() == {"error": "Record not found"}
    assert not Post.objects.exists()


def test_media_upload_then_post_with_alt_text(api_for: Any) -> None:
    client = api_for(UserFactory())
    upload = client.post(
        "/api/v2/media",
        {
            "file": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg"),
            "description": "A quiet lake",
        },
    )
    assert upload.status_code == 200, upload.content
    media = upload.json()
    assert media["type"] == "image"
    assert media["description"] == "A quiet lake"
    assert media["meta"]["original"]["width"] == 64
    assert client.get(f"/api/v1/media/{media['id']}").status_code == 200
    changed = client.put_json(f"/api/v1/media/{media['id']}", {"description": "A calm lake"})
    assert changed.json()["description"] == "A calm lake"
    post = client.post_json("/api/v1/statuses", {"status": "", "media_ids": [media["id"]]})
    assert post.status_code == 200, post.content
    assert post.json()["media_attachments"][0]["description"] == "A calm lake"
    again = client.post_json("/api/v1/statuses", {"status": "x", "media_ids": [media["id"]]})
    assert again.status_code == 422
    junk = client.post(
        "/api/v2/media", {"file": SimpleUploadedFile("a.jpg", b"not an image", "image/jpeg")}
    )
    assert junk.status_code == 422


def test_pagination_and_link_header(api_for: Any) -> None:
    author = UserFactory()
    posts = [publish(author, f"Post {i}") for i in range(5)]
    client = api_for(author)
    first = client.get(f"/api/v1/accounts/{author.pk}/statuses?limit=2")
    ids = [s["id"] for s in first.json()]
    assert ids == [str(posts[4].pk), str(posts[3].pk)]
    link = first["Link"]
    assert link.index('rel="next"') < link.index('rel="prev"')
    assert f"max_id={posts[3].pk}" in link and f"min_id={posts[4].pk}" in link
    second = client.get(f"/api/v1/accounts/{author.pk}/statuses?limit=2&max_id={posts[3].pk}")
    assert [s["id"] for s in second.json()] == [str(posts[2].pk), str(posts[1].pk)]
    newer = client.get(f"/api/v1/accounts/{author.pk}/statuses?limit=2&min_id={posts[0].pk}")
    assert [s["id"] for s in newer.json()] == [str(posts[2].pk), str(posts[1].pk)]
    since = client.get(f"/api/v1/accounts/{author.pk}/statuses?limit=2&since_id={posts[0].pk}")
    assert [s["id"] for s in since.json()] == [str(posts[4].pk), str(posts[3].pk)]
    assert client.get(f"/api/v1/accounts/{author.pk}/statuses?limit=999").status_code == 200


def test_home_timeline_and_notifications_filters(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    post = publish(alice, f"Hi @{bob.username}")
    home = api_for(bob).get("/api/v1/timelines/home")
    assert [s["id"] for s in home.json()] == [str(post.pk)]
    assert "Link" in home
    client = api_for(alice)
    client_bob = api_for(bob)
    client_bob.post(f"/api/v1/statuses/{post.pk}/favourite")
    everything = client.get("/api/v1/notifications").json()
    assert {n["type"] for n in everything} == {"follow", "favourite"}
    only = client.get("/api/v1/notifications?types[]=favourite").json()
    assert [n["type"] for n in only] == ["favourite"]
    assert only[0]["status"]["favourites_count"] == 1  # the author sees the count
    excluded = client.get("/api/v1/notifications?exclude_types[]=favourite").json()
    assert [n["type"] for n in excluded] == ["follow"]
    mentions = client_bob.get("/api/v1/notifications?types[]=mention").json()
    assert [n["status"]["id"] for n in mentions] == [str(post.pk)]
    one = client.get(f"/api/v1/notifications/{only[0]['id']}")
    assert one.status_code == 200
    assert client_bob.get(f"/api/v1/notifications/{only[0]['id']}").status_code == 404
    assert client.post(f"/api/v1/notifications/{only[0]['id']}/dismiss").status_code == 200
    assert [n["type"] for n in client.get("/api/v1/notifications").json()] == ["follow"]
    assert client.post("/api/v1/notifications/clear").status_code == 200
    assert client.get("/api/v1/notifications").json() == []
    assert not Notification.objects.filter(recipient=alice).exists()


def test_favourites_are_love_and_other_reactions_show_as_favourites(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "Got the job!")
    client = api_for(bob)
    faved = client.post(f"/api/v1/statuses/{post.pk}/favourite").json()
    assert faved["favourited"] is True
    assert faved["favourites_count"] == 0  # counts are the author's alone
    assert faved["hearth"]["reaction"] == "love"
    celebrated = client.put(f"/api/v1/pleroma/statuses/{post.pk}/reactions/🎉").json()
    assert celebrated["favourited"] is True
    assert celebrated["hearth"]["reaction"] == "celebrate"
    # A plain favourite keeps the richer reaction.
    assert client.post(f"/api/v1/statuses/{post.pk}/favourite").json()["hearth"]["reaction"] == (
        "celebrate"
    )
    reactions = client.get(f"/api/v1/pleroma/statuses/{post.pk}/reactions").json()
    assert reactions == [
        {"name": "🎉", "count": 1, "me": True, "url": None, "hearth_kind": "celebrate"}
    ]
    assert [s["id"] for s in client.get("/api/v1/favourites").json()] == [str(post.pk)]
    assert client.post(f"/api/v1/statuses/{post.pk}/unfavourite").json()["favourited"] is False
    assert not Reaction.objects.exists()
    assert client.put(f"/api/v1/pleroma/statuses/{post.pk}/reactions/🦄").status_code == 422


def test_hidden_counts_are_zero_except_for_the_owner(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    publish(alice)
    seen_by_bob = api_for(bob).get(f"/api/v1/accounts/{alice.pk}").json()
    assert (seen_by_bob["followers_count"], seen_by_bob["statuses_count"]) == (0, 0)
    own = api_for(alice).get("/api/v1/accounts/verify_credentials").json()
    assert (own["followers_count"], own["statuses_count"]) == (1, 1)
    assert api_for(bob).get(f"/api/v1/accounts/{alice.pk}/followers").json() == []
    alice.show_counts = True
    alice.save()
    assert api_for(bob).get(f"/api/v1/accounts/{alice.pk}").json()["followers_count"] == 1


def test_accounts_relationships_and_follow_requests(api_for: Any) -> None:
    alice = UserFactory(locked=True)
    bob = UserFactory()
    a, b = api_for(alice), api_for(bob)
    asked = b.post(f"/api/v1/accounts/{alice.pk}/follow").json()
    assert (asked["following"], asked["requested"]) == (False, True)
    assert [p["id"] for p in a.get("/api/v1/follow_requests").json()] == [str(bob.pk)]
    accepted = a.post(f"/api/v1/follow_requests/{bob.pk}/authorize").json()
    assert accepted["followed_by"] is True
    rel = b.get(f"/api/v1/accounts/relationships?id[]={alice.pk}&id[]=999999").json()
    assert [(r["id"], r["following"]) for r in rel] == [(str(alice.pk), True)]
    assert a.post(f"/api/v1/follow_requests/{bob.pk}/reject").status_code == 404
    assert b.post(f"/api/v1/accounts/{alice.pk}/mute").json()["muting"] is True
    assert b.post(f"/api/v1/accounts/{alice.pk}/unmute").json()["muting"] is False
    assert b.post(f"/api/v1/accounts/{bob.pk}/follow").status_code == 403
    looked = b.get(f"/api/v1/accounts/lookup?acct=@{alice.username}").json()
    assert looked["id"] == str(alice.pk)
    found = b.get(f"/api/v1/accounts/search?q={alice.username[:4]}").json()
    assert str(alice.pk) in [p["id"] for p in found]
    blocked = b.post(f"/api/v1/accounts/{alice.pk}/block").json()
    assert (blocked["blocking"], blocked["following"]) == (True, False)
    assert [p["id"] for p in b.get("/api/v1/blocks").json()] == [str(alice.pk)]
    assert a.get(f"/api/v1/accounts/{bob.pk}").status_code == 404


def test_update_credentials_as_form(api_for: Any) -> None:
    client = api_for(UserFactory())
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        "display_name=Sam&note=Gardener&locked=true",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["display_name"], body["locked"], body["source"]["note"]) == (
        "Sam",
        True,
        "Gardener",
    )
    too_long = client.patch(
        "/api/v1/accounts/update_credentials", {"note": "x" * 600}, content_type="application/json"
    )
    assert too_long.status_code == 422


def test_edit_source_history_and_delete(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "First words")
    client = api_for(alice)
    edited = client.put_json(f"/api/v1/statuses/{post.pk}", {"status": "Better words"})
    assert edited.status_code == 200
    assert edited.json()["content"] == "<p>Better words</p>"
    history = client.get(f"/api/v1/statuses/{post.pk}/history").json()
    assert [h["content"] for h in history] == ["<p>First words</p>", "<p>Better words</p>"]
    assert client.get(f"/api/v1/statuses/{post.pk}/source").json()["text"] == "Better words"
    other = api_for(bob)
    assert other.put_json(f"/api/v1/statuses/{post.pk}", {"status": "Mine now"}).status_code == 404
    assert other.delete(f"/api/v1/statuses/{post.pk}").status_code == 404
    assert other.get(f"/api/v1/statuses/{post.pk}/source").status_code == 404
    gone = client.delete(f"/api/v1/statuses/{post.pk}")
    assert gone.json()["text"] == "Better words"
    assert client.get(f"/api/v1/statuses/{post.pk}").status_code == 404


def test_idempotency_key_makes_one_post(api_for: Any) -> None:
    client = api_for(UserFactory())
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc-123"}
    first = client.post_json("/api/v1/statuses", {"status": "Once"}, **headers)
    second = client.post_json("/api/v1/statuses", {"status": "Once"}, **headers)
    assert first.json()["id"] == second.json()["id"]
    assert Post.objects.count() == 1
    third = client.post_json("/api/v1/statuses", {"status": "Once"}, HTTP_IDEMPOTENCY_KEY="other")
    assert third.json()["id"] != first.json()["id"]


def test_reconsider_prompt_then_confirmed(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    post = publish(alice, "I failed my exam again.", tone="venting")
    client = api_for(bob)
    text = "You are a worthless idiot and everyone hates you"
    prompted = client.post_json("/api/v1/statuses", {"status": text, "in_reply_to_id": post.pk})
    assert prompted.status_code == 422, prompted.content
    prompt = prompted.json()["hearth_reconsider"]
    assert prompt["prompt_id"]
    assert Post.objects.count() == 1
    sent = client.post_json(
        "/api/v1/statuses",
        {
            "status": text,
            "in_reply_to_id": str(post.pk),
            "hearth_confirmed": "true",
            "hearth_prompt_id": prompt["prompt_id"],
        },
    )
    assert sent.status_code == 200
    assert sent.json()["in_reply_to_id"] == str(post.pk)


def test_markers_preferences_and_startup_endpoints(api_for: Any) -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    post = publish(alice)
    client = api_for(bob)
    set_marker = client.post_json("/api/v1/markers", {"home": {"last_read_id": str(post.pk)}})
    assert set_marker.json()["home"]["last_read_id"] == str(post.pk)
    read = client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert read["home"]["last_read_id"] == str(post.pk)
    assert "notifications" in read
    assert client.get("/api/v1/preferences").json()["posting:default:visibility"] == "public"
    for path in (
        "/api/v1/custom_emojis",
        "/api/v1/trends",
        "/api/v1/trends/tags",
        "/api/v1/lists",
        "/api/v1/bookmarks",
        "/api/v1/followed_tags",
    ):
        response = client.get(path)
        assert (response.status_code, response.json()) == (200, []), path
    # Nothing filtered, saved or pinned yet: empty lists, not 404s.
    assert client.get("/api/v2/filters").json() == []
    assert client.get(f"/api/v1/accounts/{alice.pk}/statuses?pinned=true").json() == []


def test_rate_limits_answer_429_with_headers(api_for: Any, settings: Any) -> None:
    settings.HEARTH_API_RATE_REQUESTS = 3
    client = api_for(UserFactory())
    answers = [client.get("/api/v1/timelines/home") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["X-RateLimit-Limit"] == "3"
    assert answers[0]["X-RateLimit-Remaining"] == "2"
    assert answers[3]["X-RateLimit-Remaining"] == "0"
    assert answers[3]["X-RateLimit-Reset"].endswith("Z")
    assert answers[3].json() == {"error": "Too many requests"}
    # Another token has its own count.
    assert api_for(UserFactory()).get("/api/v1/timelines/home").status_code == 200


def test_app_registration_has_a_lower_limit(settings: Any) -> None:
    settings.HEARTH_API_RATE_APPS = 2
    data = {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
    codes = [ApiClient().post("/api/v1/apps", data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_public_timeline_leaves_out_private_communities_and_muted_people(api_for):
    from hearth.accounts.services import mute_create
    from hearth.communities.services import community_create
    from hearth.posts.services import post_create

    owner, loud, me = UserFactory(), UserFactory(), UserFactory()
    secret = community_create(
        creator=owner,
        name="Secret",
        slug="secret",
        description="d",
        who_for="w",
        visibility="private",
        rules=["Be kind"],
    )
    post_create(author=owner, text="inside the circle", community_id=secret.pk)
    post_create(author=loud, text="very loud take")
    post_create(author=owner, text="a public hello")
    mute_create(muter=me, muted=loud)
    texts = [s["content"] for s in api_for(me).get("/api/v1/timelines/public").json()]
    assert any("a public hello" in t for t in texts)
    assert not any("inside the circle" in t or "very loud take" in t for t in texts)
    owners = [s["content"] for s in api_for(owner).get("/api/v1/timelines/public").json()]
    assert not any("inside the circle" in t for t in owners)
