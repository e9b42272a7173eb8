"""Compute the stored "find your people" vectors of every community that needs them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hearth.discovery import services


class Command(BaseCommand):
    help = (
        "Encode communities whose find-your-people vectors are missing or stale "
        "(after an upgrade, a model change, or without a worker)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        encoded = services.community_vectors_sweep()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Encoded {encoded} communities in {elapsed:.1f}s.")
