"""Browser fixtures for the gatherings' browser tests: the ones in hearth/feeds/tests."""

from hearth.feeds.tests.conftest import browser, new_context

__all__ = ["browser", "new_context"]
