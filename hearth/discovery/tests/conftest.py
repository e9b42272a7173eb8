"""Shared fixtures of the find-your-people tests."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.accounts.tests.factories import UserFactory
from hearth.communities.models import Community
from hearth.discovery.tests.test_vectors import make


@pytest.fixture
def places(db: Any) -> dict[str, Community]:
    owner = UserFactory()
    return {
        "grief": make(
            owner,
            "grief-parents",
            "After a parent dies",
            "A gentle place to talk about grief after losing a mum or dad.",
            topics="grief, loss, parents",
        ),
        "bread": make(
            owner,
            "sourdough",
            "Sourdough bakers",
            "Starters, crumb shots and oven spring.",
            topics="baking, bread",
        ),
        "birds": make(
            owner, "garden-birds", "Garden birds", "Robins, wrens and feeders.", topics="birds"
        ),
    }
