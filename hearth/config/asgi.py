"""ASGI entry points.

`application` serves only the live endpoint (/live, Server-Sent Events): in
production it runs as its own listener beside the WSGI pages, and the
reverse proxy routes /live to it (docs/deployment.md). `embedded` serves
pages and /live from one process, for `hearth demo` (docs/live.md).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.config.settings")
django.setup()

from hearth.core.sse import ASGIApp, embedded_app, live_app  # noqa: E402

application = live_app


def embedded(threads: int = 8) -> ASGIApp:
    from hearth.config.wsgi import application as wsgi_application

    return embedded_app(wsgi_application, threads=threads)
