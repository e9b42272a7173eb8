"""Rule 4 of shared/DESIGN.md, checked: interfaces never read guarded models directly.

Views, the API and federation must read posts, photos, reactions and
notifications through access helpers (selectors), which apply the audience
and block rules and raise the same 404 for missing and forbidden. A raw
`Post.objects...` in an interface module fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

HEARTH = Path(__file__).resolve().parents[2]
GUARDED = {
    "Post",
    "Media",
    "Reaction",
    "Mention",
    "PostTag",
    "PostEdit",
    "Notification",
    "FeedEntry",
    "Boost",
    "BoostEntry",
}


def interface_modules() -> list[Path]:
    found = list(HEARTH.glob("*/views.py")) + list(HEARTH.glob("*/views/*.py"))
    for interface in ("api", "federation"):
        found += list((HEARTH / interface).rglob("*.py"))
    return sorted(p for p in found if "tests" not in p.parts)


def raw_reads(path: Path, root: Path = HEARTH.parent) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    hits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in GUARDED
        ):
            hits.append(f"{path.relative_to(root)}:{node.lineno}: {node.value.id}.{node.attr}")
    return hits


def test_interface_modules_exist() -> None:
    assert any(p.name == "views.py" for p in interface_modules())


@pytest.mark.parametrize("path", interface_modules(), ids=lambda p: str(p.relative_to(HEARTH)))
def test_no_raw_reads_of_guarded_models(path: Path) -> None:
    assert raw_reads(path) == []


def test_the_check_catches_a_raw_read(tmp_path: Path) -> None:
    sample = tmp_path / "views.py"
    sample.write_text("def view(request):\n    return Post.objects.filter(pk=1)\n")
    assert raw_reads(sample, root=tmp_path) == ["views.py:2: Post.objects"]


def test_the_client_api_is_checked() -> None:
    checked = {str(p.relative_to(HEARTH)) for p in interface_modules()}
    assert "api/resources/statuses.py" in checked
    assert "api/render.py" in checked
    assert not any("tests" in name.split("/") for name in checked)
