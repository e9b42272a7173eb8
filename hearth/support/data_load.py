"""The starting list of crisis resources shipped in hearth/support/data/crisis_resources.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "crisis_resources.json"
FIELDS = ("country", "country_name", "name", "phone", "text", "url", "hours", "description")


def starting_resources() -> list[dict[str, Any]]:
    """The shipped entries as field dicts (all to be checked by the server's admins)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return [
        {**{f: str(entry.get(f, "")) for f in FIELDS}, "position": i}
        for i, entry in enumerate(data["resources"])
    ]
