"""The `hearth` command: demo, serve, worker, createuser, manage."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.config.settings")
    import django
    from django.conf import settings

    # The embedded database and local media live here; make it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    django.setup()


def _serve(*, host: str, port: int, workers: int, threads: int) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        "hearth.config.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        log_access=False,
    ).serve()


def _start_live_listener(*, host: str, port: int) -> subprocess.Popen[bytes]:
    """The ASGI live listener (/live) as a child process: granian's ASGI interface.

    Pages stay on WSGI (docs/live.md); a reverse proxy routes /live here.
    """
    return subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            "1",
            "--ws",
            "hearth.config.asgi:application",
        ]
    )


def _serve_embedded(*, host: str, port: int, threads: int) -> None:
    """Pages and /live from this one process (the embedded mode of `hearth demo`).

    granian's embedded server runs the ASGI dispatcher on this process's
    event loop; pages go to Django's WSGI handler on a thread pool, so the
    task worker thread, the pages and /live share the in-process live hub.
    """
    import asyncio
    import signal

    from granian.constants import Interfaces
    from granian.server.embed import Server

    from hearth.config.asgi import embedded

    server = Server(
        embedded(threads=threads),
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        log_access=False,
        websockets=True,
    )

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, server.signal_handler_interrupt)
        await server.serve()

    asyncio.run(run())


def _start_periodic_threads() -> None:
    """Every app's periodic work, each in its own daemon thread (worker and demo)."""
    from hearth.api.periodic import start_periodic_thread as start_api
    from hearth.discovery.periodic import start_periodic_thread as start_discovery
    from hearth.gatherings.periodic import start_periodic_thread as start_gatherings
    from hearth.messaging.periodic import start_periodic_thread as start_messaging
    from hearth.posts.periodic import start_periodic_thread as start_milestones
    from hearth.support.periodic import start_periodic_thread as start_support
    from hearth.wellbeing.periodic import start_periodic_thread as start_wellbeing

    for start in (
        start_gatherings,
        start_support,
        start_milestones,
        start_wellbeing,
        start_api,
        start_messaging,
        start_discovery,
    ):
        start()


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from hearth.demo import DEMO_PASSWORD, demo_load

    created = demo_load()
    from hearth.core.worker import start_worker_thread

    start_worker_thread()
    _start_periodic_threads()
    # One process serves pages, /live and the worker: the in-process live
    # hub is valid here (hearth.core.live), so live updates need no Redis.
    settings.HEARTH_LIVE_EMBEDDED = True
    url = f"http://{settings.HEARTH_HOST}:{settings.HEARTH_PORT}/"
    print()
    print(f"  Hearth is running at {url}")
    print(f"  Log in as 'maya' (or any demo person) with the password '{DEMO_PASSWORD}'.")
    print("  Demo data " + ("loaded." if created else "was already there; left as it is."))
    print("  Press Ctrl+C to stop.")
    print(flush=True)
    _serve_embedded(host=settings.HEARTH_HOST, port=settings.HEARTH_PORT, threads=8)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings

    host = args.host or settings.HEARTH_HOST
    listener = None
    if settings.REDIS_URL and settings.HEARTH_LIVE_URL and not args.no_live:
        live_port = args.live_port or settings.HEARTH_LIVE_PORT
        listener = _start_live_listener(host=host, port=live_port)
        print(f"Live updates (/live) on http://{host}:{live_port}/live", flush=True)
    elif not settings.REDIS_URL:
        print(
            "Live updates are off: they need HEARTH_REDIS_URL across processes "
            "(or `hearth demo`). Pages work the same.",
            flush=True,
        )
    try:
        _serve(
            host=host,
            port=args.port or settings.HEARTH_PORT,
            workers=args.workers or settings.WEB_WORKERS,
            threads=args.threads or settings.WEB_THREADS,
        )
    finally:
        if listener is not None:
            listener.terminate()
            try:
                listener.wait(timeout=10)
            except subprocess.TimeoutExpired:
                listener.kill()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import signal

    from hearth.core.worker import make_worker, requeue_stale_tasks, start_requeue_thread

    requeue_stale_tasks()
    if not args.batch:
        start_requeue_thread()
        # Several workers may run these: each claims its rows or deletes by date.
        _start_periodic_threads()
    worker = make_worker(interval=args.interval, batch=args.batch)
    if not args.batch:
        worker.configure_signals()
    print("Hearth worker started; Ctrl+C stops it after the current task.", flush=True)
    try:
        worker.run()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from hearth.accounts.services import user_create

    try:
        user = user_create(
            username=args.username, email=args.email, password=args.password, is_staff=args.staff
        )
    except ValidationError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        return 1
    print(f"Created @{user.username}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The judge's commands need no Django: they start fast and run anywhere.
    if argv and argv[0] == "train-judge":
        from hearth.kindness.training import main_train

        return main_train(argv[1:])
    if argv and argv[0] == "tone-check":
        from hearth.kindness.tone_check import main_tone_check

        return main_tone_check(argv[1:])
    if argv and argv[0] == "manage":
        from hearth.config.env import ConfigError

        try:
            _setup()
        except ConfigError as exc:
            print(f"hearth: configuration error: {exc}", file=sys.stderr)
            return 2
        from django.core.management import execute_from_command_line

        execute_from_command_line(["hearth manage", *argv[1:]])
        return 0

    parser = argparse.ArgumentParser(
        prog="hearth", description="Hearth, a social network for genuine connection."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="migrate, load demo data once, serve web and worker").set_defaults(
        func=cmd_demo
    )
    serve = sub.add_parser(
        "serve", help="serve the pages with granian (WSGI) and /live beside them (ASGI)"
    )
    serve.add_argument("--host", default="")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--workers", type=int, default=0, help="default: HEARTH_WEB_WORKERS")
    serve.add_argument("--threads", type=int, default=0, help="default: HEARTH_WEB_THREADS")
    serve.add_argument("--live-port", type=int, default=0, help="default: HEARTH_LIVE_PORT")
    serve.add_argument("--no-live", action="store_true", help="run only the WSGI pages")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run background tasks")
    worker.add_argument("--interval", type=float, default=0.5)
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(func=cmd_worker)
    create = sub.add_parser("createuser", help="create an account")
    create.add_argument("username")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--staff", action="store_true")
    create.set_defaults(func=cmd_createuser)
    sub.add_parser("manage", help="run a Django management command")
    sub.add_parser("train-judge", help="retrain the reconsider judge from hearth/kindness/data")
    sub.add_parser("tone-check", help="judge texts, one a line, from FILE or - ; prints JSON")

    args = parser.parse_args(argv)
    from hearth.config.env import ConfigError

    try:
        _setup()
    except ConfigError as exc:
        print(f"hearth: configuration error: {exc}", file=sys.stderr)
        return 2
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
