"""Changes to the client API's own records: registered apps and idempotency keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from hearth.accounts.models import User
from hearth.api.models import ClientApp, IdempotencyKey
from hearth.api.selectors import IDEMPOTENCY_WINDOW
from hearth.posts.models import Post


@dataclass(frozen=True)
class RegisteredApp:
    application: Application
    profile: ClientApp
    # Shown once, at registration: only a hash is stored.
    client_secret: str


@transaction.atomic
def app_register(
    *, name: str, redirect_uris: list[str], scopes: list[str], website: str = ""
) -> RegisteredApp:
    """Register a Mastodon client as a confidential OAuth application.

    The caller has validated the redirect URIs and scopes. The app may use
    the authorization-code grant (PKCE optional), client credentials, and
    the password grant where HEARTH_OAUTH_PASSWORD_GRANT allows it (see
    hearth.api.oauth.HearthValidator).
    """
    secret = generate_client_secret()
    application = Application(
        name=name[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        client_secret=secret,
        skip_authorization=False,
    )
    application.save()
    profile = ClientApp.objects.create(
        application=application, scopes=" ".join(scopes), website=website
    )
    return RegisteredApp(application, profile, secret)


def status_create_once(*, user: User, key: str, create: Callable[[], Post]) -> tuple[int, bool]:
    """Run `create` unless this person sent the same Idempotency-Key within the hour.

    Returns the post's id and whether it was made now (the caller reads
    it back through an access helper). The key is claimed in the
    same transaction as the post, so two requests racing with one key make
    one post (the second waits on the unique index, then finds the first
    post), and a post that fails to be made leaves no key behind. Keys
    older than the hour are cleared as the person sends new ones. Whatever
    `create` raises propagates.
    """
    since = timezone.now() - IDEMPOTENCY_WINDOW
    with transaction.atomic():
        IdempotencyKey.objects.filter(user=user, created_at__lt=since).delete()
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(user=user, key=key[:200])
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key[:200]).first()
            if existing is not None and existing.post_id is not None:
                return existing.post_id, False
            raise
        post = create()
        claim.post_id = post.pk
        claim.save(update_fields=["post_id"])
        return post.pk, True
