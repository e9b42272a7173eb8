from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hearth.gatherings import services


class Command(BaseCommand):
    help = "Send due gathering reminders and suggestions to moderators now (for cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = services.reminders_send()
        suggestions = services.gathering_suggestions()
        self.stdout.write(f"{reminders} reminder(s), {len(suggestions)} suggestion(s).")
