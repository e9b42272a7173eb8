"""Contract tests for filters v2: Hearth's keyword filters read and changed through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token
from hearth.kindness.filters import keyword_filter_create
from hearth.kindness.models import KeywordFilter
from hearth.posts.tests.factories import publish

pytestmark = pytest.mark.django_db

FILTER_FIELDS = {"id", "title", "context", "expires_at", "filter_action", "keywords", "statuses"}


def test_create_read_update_delete(api_for: Any) -> None:
    user = UserFactory()
    client = api_for(user)
    made = client.post_json(
        "/api/v2/filters",
        {
            "title": "Spoilers",
            "context": ["home", "thread"],
            "filter_action": "hide",
            "keywords_attributes": [{"keyword": "finale", "whole_word": False}],
        },
    )
    assert made.status_code == 200
    body = made.json()
    assert set(body) == FILTER_FIELDS
    # One Hearth filter is one phrase: the keyword is its title too.
    assert body["title"] == "finale"
    assert body["context"] == ["home", "thread"]
    assert body["filter_action"] == "hide"
    assert body["expires_at"] is None
    assert body["keywords"] == [{"id": body["id"], "keyword": "finale", "whole_word": False}]
    assert body["statuses"] == []
    stored = KeywordFilter.objects.get(owner=user)
    assert (stored.phrase, stored.whole_word, stored.action) == ("finale", False, "hide")
    assert stored.contexts == ["home", "threads"]

    filter_id = body["id"]
    assert [f["id"] for f in client.get("/api/v2/filters").json()] == [filter_id]
    assert client.get(f"/api/v2/filters/{filter_id}").json() == body
    changed = client.put_json(
        f"/api/v2/filters/{filter_id}",
        {"filter_action": "warn", "context": ["notifications"], "expires_in": 3600},
    )
    assert changed.status_code == 200
    assert changed.json()["filter_action"] == "warn"
    assert changed.json()["context"] == ["notifications"]
    assert changed.json()["expires_at"] is not None
    assert changed.json()["title"] == "finale"
    assert client.delete(f"/api/v2/filters/{filter_id}").json() == {}
    assert client.get(f"/api/v2/filters/{filter_id}").status_code == 404
    assert not KeywordFilter.objects.exists()


def test_a_title_alone_is_the_phrase_and_forms_work(api_for: Any) -> None:
    client = api_for(UserFactory())
    made = client.post(
        "/api/v2/filters",
        "title=Politics&context[]=home&context[]=public&filter_action=warn&expires_in=1800",
        content_type="application/x-www-form-urlencoded",
    )
    assert made.status_code == 200
    body = made.json()
    assert body["title"] == "Politics"
    assert body["keywords"][0]["keyword"] == "Politics"
    assert body["keywords"][0]["whole_word"] is True
    assert body["context"] == ["home", "public", "account"]
    # Half an hour becomes Hearth's shortest choice, an hour.
    stored = KeywordFilter.objects.get()
    assert stored.expires_at is not None
    assert timedelta(minutes=55) < stored.expires_at - timezone.now() <= timedelta(hours=1)
    # Form-encoded keywords, Rails style.
    second = client.post(
        "/api/v2/filters",
        "title=x&context[]=home&keywords_attributes[][keyword]=cats&"
        "keywords_attributes[][whole_word]=0",
        content_type="application/x-www-form-urlencoded",
    )
    assert second.status_code == 200
    assert second.json()["keywords"][0] == {
        "id": second.json()["id"],
        "keyword": "cats",
        "whole_word": False,
    }


def test_contexts_round_trip_without_changing_hearth_places(api_for: Any) -> None:
    user = UserFactory()
    item = keyword_filter_create(
        owner=user, phrase="crypto", whole_word=True, action="warn", contexts=["public"],
        expiry="never",
    )  # fmt: skip
    client = api_for(user)
    shown = client.get(f"/api/v2/filters/{item.pk}").json()
    assert shown["context"] == ["public", "account"]
    # Sent back as shown, the places stay as they are (no communities added).
    client.put_json(f"/api/v2/filters/{item.pk}", {"context": shown["context"]})
    item.refresh_from_db()
    assert item.contexts == ["public"]
    # Asked for "public" alone: profiles and tags, and communities.
    client.put_json(f"/api/v2/filters/{item.pk}", {"context": ["public"]})
    item.refresh_from_db()
    assert item.contexts == ["communities", "public"]


def test_invalid_filters_are_422(api_for: Any) -> None:
    user = UserFactory()
    client = api_for(user)
    for body in (
        {"title": "x", "context": []},
        {"title": "", "context": ["home"]},
        {"title": "x", "context": ["home"], "filter_action": "explode"},
        {
            "title": "two",
            "context": ["home"],
            "keywords_attributes": [{"keyword": "a"}, {"keyword": "b"}],
        },
    ):
        answer = client.post_json("/api/v2/filters", body)
        assert answer.status_code == 422, body
        assert answer.json()["error"].startswith("Validation failed"), body
    client.post_json("/api/v2/filters", {"title": "same", "context": ["home"]})
    twice = client.post_json("/api/v2/filters", {"title": "SAME", "context": ["home"]})
    assert twice.status_code == 422


def test_keywords_and_statuses_sub_resources(api_for: Any) -> None:
    user = UserFactory()
    client = api_for(user)
    filter_id = client.post_json("/api/v2/filters", {"title": "soup", "context": ["home"]}).json()[
        "id"
    ]
    keywords = client.get(f"/api/v2/filters/{filter_id}/keywords").json()
    assert keywords == [{"id": filter_id, "keyword": "soup", "whole_word": True}]
    assert client.get(f"/api/v2/filters/keywords/{filter_id}").json() == keywords[0]
    changed = client.put_json(f"/api/v2/filters/keywords/{filter_id}", {"keyword": "stew"})
    assert changed.json()["keyword"] == "stew"
    assert client.get(f"/api/v2/filters/{filter_id}").json()["title"] == "stew"
    more = client.post_json(f"/api/v2/filters/{filter_id}/keywords", {"keyword": "broth"})
    assert more.status_code == 422
    assert client.get(f"/api/v2/filters/{filter_id}/statuses").json() == []
    assert (
        client.post_json(f"/api/v2/filters/{filter_id}/statuses", {"status_id": "1"}).status_code
        == 422
    )
    # Deleting the one keyword deletes the filter.
    assert client.delete(f"/api/v2/filters/keywords/{filter_id}").json() == {}
    assert client.get("/api/v2/filters").json() == []


def test_filters_are_private(api_for: Any) -> None:
    owner = UserFactory()
    item = keyword_filter_create(
        owner=owner, phrase="secret", whole_word=True, action="hide", contexts=["home"],
        expiry="never",
    )  # fmt: skip
    nosy = api_for(UserFactory())
    assert nosy.get("/api/v2/filters").json() == []
    for method, path in (
        ("get", f"/api/v2/filters/{item.pk}"),
        ("put_json", f"/api/v2/filters/{item.pk}"),
        ("delete", f"/api/v2/filters/{item.pk}"),
        ("get", f"/api/v2/filters/{item.pk}/keywords"),
        ("get", f"/api/v2/filters/keywords/{item.pk}"),
        ("delete", f"/api/v2/filters/keywords/{item.pk}"),
        ("get", f"/api/v1/filters/{item.pk}"),
    ):
        assert getattr(nosy, method)(path).status_code == 404, path
    assert KeywordFilter.objects.filter(pk=item.pk).exists()


def test_v1_filters_are_readable(api_for: Any) -> None:
    user = UserFactory()
    keyword_filter_create(
        owner=user, phrase="rain", whole_word=False, action="hide", contexts=["home"],
        expiry="day",
    )  # fmt: skip
    [v1] = api_for(user).get("/api/v1/filters").json()
    assert v1["phrase"] == "rain"
    assert v1["context"] == ["home"]
    assert v1["irreversible"] is True
    assert v1["whole_word"] is False
    assert v1["expires_at"] is not None


def test_statuses_carry_filtered_for_warn_filters(api_for: Any) -> None:
    reader, author = UserFactory(), UserFactory()
    follow(reader, author)
    client = api_for(reader)
    made = client.post_json(
        "/api/v2/filters", {"title": "spiders", "context": ["home"], "filter_action": "warn"}
    ).json()
    client.post_json(
        "/api/v2/filters", {"title": "wasps", "context": ["home"], "filter_action": "hide"}
    )
    warned = publish(author, "Big spiders in the shed")
    publish(author, "Wasps everywhere")
    plain = publish(author, "A quiet day")
    home = client.get("/api/v1/timelines/home").json()
    assert [s["id"] for s in home] == [str(plain.pk), str(warned.pk)]
    assert home[0]["filtered"] == []
    [result] = home[1]["filtered"]
    assert set(result) == {"filter", "keyword_matches", "status_matches"}
    assert result["filter"]["id"] == made["id"]
    assert result["keyword_matches"] == ["spiders"]
    # Only for the filter's owner: the author and others see no result.
    assert api_for(author).get(f"/api/v1/statuses/{warned.pk}").json()["filtered"] == []


@pytest.mark.parametrize(
    ("method", "path", "scope_ok", "scope_missing"),
    [
        ("get", "/api/v2/filters", "read:filters", "write:filters"),
        ("get", "/api/v1/filters", "read", "write"),
        ("post", "/api/v2/filters", "write:filters", "read:filters"),
    ],
)
def test_scopes(method: str, path: str, scope_ok: str, scope_missing: str) -> None:
    user = UserFactory()
    denied = getattr(ApiClient(issue_token(user, scope_missing)), method)(path)
    assert denied.status_code == 403
    allowed = getattr(ApiClient(issue_token(user, scope_ok)), method)(path)
    assert allowed.status_code in (200, 422)
    assert getattr(ApiClient(), method)(path).status_code == 401
