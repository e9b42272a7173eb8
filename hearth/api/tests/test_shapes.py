"""Hearth's answers against Mastodon's entities as documented (fixtures/, see its README).

A client reads fields by name and type; a missing key or a number where a
string belongs breaks it. Each test makes one real answer and compares its
keys and the JSON types of its values with the recorded shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory, follow
from hearth.api.tests.conftest import ApiClient, issue_token, jpeg_bytes
from hearth.messaging.tests.helpers import start

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
# Attributes Mastodon documents as optional (absent in some answers).
OPTIONAL = frozenset(
    {
        "moved", "suspended", "limited", "memorial", "text", "report", "event",
        "moderation_warning", "relationship_severance_event", "blurhash", "versions",
        "preview_remote_url", "quote", "status_matches", "keyword_matches",
    }
)  # fmt: skip
# What Hearth adds: its own `hearth` objects, and a Tag's `history` and `following`.
EXTRA = frozenset({"hearth", "text", "history", "following"})


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def shape_problems(expected: Any, actual: Any, path: str = "") -> list[str]:
    """How `actual` differs from `expected` in keys and JSON types (see the fixtures' README)."""
    if expected is None or actual is None:
        return []
    if kind(expected) != kind(actual):
        return [f"{path or '.'}: {kind(expected)} expected, {kind(actual)} sent"]
    problems: list[str] = []
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key not in actual:
                if key not in OPTIONAL:
                    problems.append(f"{path}.{key}: missing")
                continue
            problems += shape_problems(value, actual[key], f"{path}.{key}")
        problems += [f"{path}.{key}: not Mastodon's" for key in set(actual) - set(expected) - EXTRA]
    elif isinstance(expected, list) and expected:
        for index, item in enumerate(actual):
            problems += shape_problems(expected[0], item, f"{path}[{index}]")
    return problems


def test_the_comparison_finds_what_differs() -> None:
    expected = {"id": "1", "n": 1, "flag": True, "tags": [{"name": "x"}], "maybe": None}
    same = {"id": "2", "n": 2.5, "flag": False, "tags": [], "maybe": 3}
    assert shape_problems(expected, same) == []
    found = shape_problems(expected, {"id": 2, "flag": "yes", "tags": [{"name": 1}], "new": 0})
    assert set(found) == {
        ".id: string expected, number sent",
        ".n: missing",
        ".flag: boolean expected, string sent",
        ".tags[0].name: string expected, number sent",
        ".new: not Mastodon's",
        ".maybe: missing",
    }


@pytest.fixture
def world() -> dict[str, Any]:
    robin, sam = UserFactory(username="robin"), UserFactory(username="sam")
    follow(sam, robin)
    follow(robin, sam)
    client = ApiClient(issue_token(robin))
    media = client.post(
        "/api/v2/media", {"file": _upload(), "description": "Bean seedlings"}
    ).json()
    status = client.post_json(
        "/api/v1/statuses",
        {"status": "First beans are up, thanks @sam #garden", "media_ids": [media["id"]]},
    ).json()
    return {"robin": robin, "sam": sam, "robin_api": client, "status": status}


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("beans.jpg", jpeg_bytes(), content_type="image/jpeg")


def check(name: str, answer: Any) -> None:
    assert answer.status_code == 200, answer.content[:300]
    problems = shape_problems(fixture(name), answer.json())
    assert problems == [], f"{name}: {problems}"


def test_status(world: dict[str, Any]) -> None:
    sam = ApiClient(issue_token(world["sam"]))
    sam.post(f"/api/v1/statuses/{world['status']['id']}/bookmark")
    check("status", sam.get(f"/api/v1/statuses/{world['status']['id']}"))


def test_account(world: dict[str, Any]) -> None:
    check("account", ApiClient().get(f"/api/v1/accounts/{world['robin'].pk}"))


def test_notification(world: dict[str, Any]) -> None:
    sam = ApiClient(issue_token(world["sam"]))
    sam.post(f"/api/v1/statuses/{world['status']['id']}/favourite")
    answer = world["robin_api"].get("/api/v1/notifications?types[]=favourite")
    assert answer.status_code == 200
    [note] = answer.json()
    assert shape_problems(fixture("notification"), note) == []


def test_list(world: dict[str, Any]) -> None:
    check("list", world["robin_api"].post_json("/api/v1/lists", {"title": "Garden friends"}))


def test_conversation(world: dict[str, Any]) -> None:
    start(world["robin"], world["sam"], text="@sam Picnic on Sunday?")
    answer = ApiClient(issue_token(world["sam"])).get("/api/v1/conversations")
    [conversation] = answer.json()
    assert shape_problems(fixture("conversation"), conversation) == []


def test_filter(world: dict[str, Any]) -> None:
    answer = world["robin_api"].post_json(
        "/api/v2/filters",
        {"title": "Spoilers", "context": ["home", "thread"], "expires_in": 86400},
    )
    check("filter", answer)


def test_report(world: dict[str, Any]) -> None:
    answer = ApiClient(issue_token(world["sam"])).post_json(
        "/api/v1/reports",
        {"account_id": str(world["robin"].pk), "status_ids": [world["status"]["id"]]},
    )
    check("report", answer)


def test_instance() -> None:
    check("instance", ApiClient().get("/api/v2/instance"))
