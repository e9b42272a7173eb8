"""Typed domain events, delivered after the transaction that raised them commits.

Services call `emit(SomethingHappened(id=...))`. Subscribers registered with
`@subscriber(SomethingHappened)` run only once the surrounding transaction has
committed (immediately when there is none), so a notification or a feed entry
never points at a row that was rolled back. Subscribers should be thin: they
enqueue a task that takes ids, reloads and calls a service.

The registry below is filled at import time by each app's `ready()` and is
never mutated afterwards, so it is the same in every process.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base class of every domain event; subclasses are frozen dataclasses of ids."""


E = TypeVar("E", bound=Event)
Handler = Callable[[E], None]

_subscribers: defaultdict[type[Event], list[Callable[[Event], None]]] = defaultdict(list)


def subscriber(event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
    """Register the decorated function to receive `event_type` after commit."""

    def register(func: Handler[E]) -> Handler[E]:
        handlers = _subscribers[event_type]
        if func not in handlers:
            handlers.append(func)  # type: ignore[arg-type]
        return func

    return register


def emit(event: Event) -> None:
    """Deliver `event` to its subscribers once the current transaction commits.

    A failing subscriber is logged and does not stop the others (robust
    on_commit), because the change that raised the event is already durable.
    """
    for handler in list(_subscribers.get(type(event), ())):
        transaction.on_commit(_bind(handler, event), robust=True)


def _bind(handler: Callable[[Event], None], event: Event) -> Callable[[], None]:
    def run() -> None:
        handler(event)

    return run
