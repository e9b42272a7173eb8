"""Shared test set-up: fast hashing, tasks run inline, events run when a request commits."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client, TestCase, override_settings


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Argon2 is deliberately slow; tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline in tests, so an event's effects are visible right after
    # commit. override_settings sends setting_changed, which resets the task
    # backends django-tasks has already built.
    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ).enable()
    # Find-your-people tests of the embedding model build it directly; every
    # other page uses the lexical model, which loads in milliseconds.
    settings.HEARTH_FIND_PEOPLE_MODEL = "lexical"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


def committed() -> AbstractContextManager[list[Callable[[], None]]]:
    """Run on-commit callbacks (domain events) at the end of the block, as a real commit would.

    Tests run inside a transaction that is rolled back, so nothing commits;
    this makes a block behave like one committed request.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


class CommittingClient(Client):
    """A test client whose every request behaves as a committed transaction."""

    def request(self, **request: Any) -> Any:
        with committed():
            return super().request(**request)


@pytest.fixture
def client() -> CommittingClient:
    return CommittingClient()


@pytest.fixture
def client_for() -> Callable[[Any], CommittingClient]:
    """A client logged in as the given user (or anonymous for None)."""

    def make(user: Any) -> CommittingClient:
        c = CommittingClient()
        if user is not None:
            c.force_login(user)
        return c

    return make
