from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hearth.support.periodic import support_tick


class Command(BaseCommand):
    help = (
        "Send due check-ins, release requests held by people who stopped supporting, and "
        "route waiting requests again. Run it from cron every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent, released, routed = support_tick()
        self.stdout.write(f"check-ins sent: {sent}, released: {released}, routed: {routed}")
