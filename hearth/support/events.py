"""Events the support app emits (see core.events); each carries ids only."""

from dataclasses import dataclass

from hearth.core.events import Event


@dataclass(frozen=True)
class SupportRequested(Event):
    """A request for support was published: route it, and schedule its check-in."""

    request_id: int


@dataclass(frozen=True)
class SupportUnrouted(Event):
    """A request lost a supporter (they passed, paused or left): route it again."""

    request_id: int


@dataclass(frozen=True)
class SupporterAvailable(Event):
    """Someone opted in, resumed or raised their capacity: requests waiting may go to them."""

    user_id: int


@dataclass(frozen=True)
class SupporterRouted(Event):
    route_id: int


@dataclass(frozen=True)
class CheckInScheduled(Event):
    request_id: int


@dataclass(frozen=True)
class CheckInDue(Event):
    request_id: int


@dataclass(frozen=True)
class WorriedDelivered(Event):
    worried_id: int
