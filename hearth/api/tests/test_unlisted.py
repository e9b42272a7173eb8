"""visibility=unlisted: read by anyone with the link, never listed in a public place.

One test per place that lists posts publicly (public and local timelines,
tag timelines, status search, hashtag search), and the mapping both ways.
Streams are in test_streaming.py (the public-stream test publishes an
unlisted post among the hidden ones); the web's pages are in
hearth/feeds/tests/test_audience_table.py and hearth/posts/tests/test_unlisted.py.
"""

from __future__ import annotations

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.posts.models import Audience, Post
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_unlisted_is_kept_both_ways_in_json_and_form() -> None:
    alice = UserFactory()
    client = ApiClient(issue_token(alice))
    as_json = client.post_json("/api/v1/statuses", {"status": "Quiet", "visibility": "unlisted"})
    assert as_json.status_code == 200, as_json.content
    assert as_json.json()["visibility"] == "unlisted"
    assert as_json.json()["hearth"]["audience"] == "unlisted"
    as_form = client.post(
        "/api/v1/statuses",
        "status=Quiet+too&visibility=unlisted",
        content_type="application/x-www-form-urlencoded",
    )
    assert as_form.json()["visibility"] == "unlisted"
    assert set(Post.objects.values_list("audience", flat=True)) == {Audience.UNLISTED}
    # Anyone with the link reads it, signed out too, and sees it is unlisted.
    read = ApiClient().get(f"/api/v1/statuses/{as_json.json()['id']}")
    assert (read.status_code, read.json()["visibility"]) == (200, "unlisted")
    # Editing keeps the audience.
    edited = client.put_json(f"/api/v1/statuses/{as_json.json()['id']}", {"status": "Quieter"})
    assert edited.json()["visibility"] == "unlisted"


def _ids(response: object) -> set[str]:
    return {s["id"] for s in response.json()}  # type: ignore[attr-defined]


def test_public_and_local_timelines_leave_unlisted_out() -> None:
    alice, bob = UserFactory(), UserFactory()
    shown = publish(alice, "Open #walks")
    quiet = publish(alice, "Quiet #walks", audience=Audience.UNLISTED)
    for client in (ApiClient(), ApiClient(issue_token(bob)), ApiClient(issue_token(alice))):
        for path in (
            "/api/v1/timelines/public",
            "/api/v1/timelines/public?local=true",
            "/api/v1/timelines/public?only_media=false",
        ):
            ids = _ids(client.get(path))
            assert str(shown.pk) in ids, path
            assert str(quiet.pk) not in ids, path


def test_tag_timelines_leave_unlisted_out() -> None:
    alice = UserFactory()
    shown = publish(alice, "Open #walks")
    quiet = publish(alice, "Quiet #walks", audience=Audience.UNLISTED)
    for client in (ApiClient(), ApiClient(issue_token(alice))):
        ids = _ids(client.get("/api/v1/timelines/tag/walks"))
        assert (str(shown.pk) in ids, str(quiet.pk) in ids) == (True, False)


def test_status_search_finds_someone_elses_unlisted_post_only_for_its_author() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    open_post = publish(alice, "Lighthouse open")
    quiet = publish(alice, "Lighthouse quiet", audience=Audience.UNLISTED)
    path = "/api/v2/search?q=Lighthouse&type=statuses"
    found_by_bob = {s["id"] for s in ApiClient(issue_token(bob)).get(path).json()["statuses"]}
    assert found_by_bob == {str(open_post.pk)}
    found_by_alice = {s["id"] for s in ApiClient(issue_token(alice)).get(path).json()["statuses"]}
    assert found_by_alice == {str(open_post.pk), str(quiet.pk)}


def test_hashtag_search_does_not_reveal_tags_only_unlisted_posts_carry() -> None:
    alice = UserFactory()
    publish(alice, "#openpath")
    publish(alice, "#quietpath", audience=Audience.UNLISTED)
    client = ApiClient(issue_token(alice))
    found = client.get("/api/v2/search?q=path&type=hashtags").json()["hashtags"]
    names = {t["name"] for t in found}
    assert "quietpath" not in names
    for q in ("openpath", "quietpath"):
        tags = client.get(f"/api/v2/search?q={q}&type=hashtags").json()["hashtags"]
        assert bool(tags) == (q == "openpath"), q


def test_followers_get_it_at_home_and_on_the_profile() -> None:
    alice, bob = UserFactory(), UserFactory()
    follow(bob, alice)
    quiet = publish(alice, "Quiet", audience=Audience.UNLISTED)
    client = ApiClient(issue_token(bob))
    assert str(quiet.pk) in _ids(client.get("/api/v1/timelines/home"))
    assert str(quiet.pk) in _ids(client.get(f"/api/v1/accounts/{alice.pk}/statuses"))
    assert str(quiet.pk) in _ids(ApiClient().get(f"/api/v1/accounts/{alice.pk}/statuses"))


def test_an_unlisted_post_cannot_be_reblogged_but_can_be_pinned() -> None:
    alice, bob = UserFactory(), UserFactory()
    quiet = publish(alice, "Quiet", audience=Audience.UNLISTED)
    refused = ApiClient(issue_token(bob)).post(f"/api/v1/statuses/{quiet.pk}/reblog")
    assert refused.status_code == 403
    assert "timelines" in refused.json()["error"]
    own = ApiClient(issue_token(alice))
    assert own.post(f"/api/v1/statuses/{quiet.pk}/reblog").status_code == 403
    pinned = own.post(f"/api/v1/statuses/{quiet.pk}/pin")
    assert (pinned.status_code, pinned.json()["pinned"]) == (200, True)
