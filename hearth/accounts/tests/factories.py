from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factory.declarations import LazyAttribute, Sequence
from factory.django import DjangoModelFactory, Password

from hearth.accounts.models import Follow, User
from hearth.accounts.services import follow_create
from hearth.conftest import committed

PASSWORD = "a-long-test-password-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    if TYPE_CHECKING:
        # factory-boy's metaclass makes `UserFactory(...)` return a saved User;
        # say so, so that tests passing it to services type-check.
        def __new__(cls, *args: Any, **kwargs: Any) -> User: ...  # type: ignore[misc]

    username = Sequence(lambda n: f"person{n}")
    email = LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = LazyAttribute(lambda u: u.username.title())
    # Hashed with the configured hasher before the one save.
    password = Password(PASSWORD)


def follow(follower: User, followee: User) -> Follow:
    """Follow (or ask to) through the real service, delivering its events as a commit would."""
    with committed():
        return follow_create(follower=follower, followee=followee)
