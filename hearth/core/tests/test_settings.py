"""Production mode refuses unsafe settings, and `check --deploy` is clean there.

The settings module is imported in a fresh interpreter for each case, because
it reads the environment once, at import time.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.config.env import ConfigError, env_bool

REPO_ROOT = Path(__file__).resolve().parents[3]
HOSTS = {"HEARTH_ALLOWED_HOSTS": "example.org"}
GOOD_KEY = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60))


def _env(tmp_path: Path, **hearth: str) -> dict[str, str]:
    """The current environment without any HEARTH_* variable, plus `hearth`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env["DJANGO_SETTINGS_MODULE"] = "hearth.config.settings"
    env["HEARTH_DATA_DIR"] = str(tmp_path)
    env.update(hearth)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (fixed arguments, our own interpreter)
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(["-c", "import hearth.config.settings"], env)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "HEARTH_SECRET_KEY"),
        ({"HEARTH_SECRET_KEY": "hearth-insecure-development-key-change-me"}, "HEARTH_SECRET_KEY"),
        ({"HEARTH_SECRET_KEY": GOOD_KEY[:49]}, "HEARTH_SECRET_KEY"),
        ({"HEARTH_SECRET_KEY": GOOD_KEY, "HEARTH_DEBUG": "1"}, "HEARTH_DEBUG"),
        ({"HEARTH_SECRET_KEY": GOOD_KEY, "HEARTH_DEBUG": "true"}, "HEARTH_DEBUG"),
        ({"HEARTH_SECRET_KEY": "a" * 60}, "HEARTH_SECRET_KEY"),
        ({"HEARTH_SECRET_KEY": GOOD_KEY, "HEARTH_ALLOWED_HOSTS": ""}, "HEARTH_ALLOWED_HOSTS"),
        ({"HEARTH_SECRET_KEY": GOOD_KEY, **HOSTS, "HEARTH_LOG_LEVEL": "loud"}, "HEARTH_LOG_LEVEL"),
        (
            {"HEARTH_SECRET_KEY": GOOD_KEY, **HOSTS, "HEARTH_TASK_BACKEND": "x"},
            "HEARTH_TASK_BACKEND",
        ),
    ],
    ids=[
        "no-key",
        "default-key",
        "short-key",
        "debug-1",
        "debug-true",
        "one-letter-key",
        "no-hosts",
        "bad-log-level",
        "bad-task-backend",
    ],
)
def test_production_refuses_to_start(
    tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    result = _import_settings(_env(tmp_path, HEARTH_ENV="production", **variables))

    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    assert message in result.stderr


def test_unknown_environment_is_refused(tmp_path: Path) -> None:
    result = _import_settings(_env(tmp_path, HEARTH_ENV="prod", HEARTH_SECRET_KEY=GOOD_KEY))

    assert result.returncode != 0
    assert "HEARTH_ENV" in result.stderr


def test_production_starts_with_a_good_key_and_debug_off(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        HEARTH_ENV="production",
        HEARTH_SECRET_KEY=GOOD_KEY,
        HEARTH_DEBUG="0",
        HEARTH_ALLOWED_HOSTS="example.org",
    )
    result = _run(
        [
            "-c",
            "from hearth.config import settings as s; "
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)",
        ],
        env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['example.org'] True"


def test_debug_defaults_to_off_in_production(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        HEARTH_ENV="production",
        HEARTH_SECRET_KEY=GOOD_KEY,
        HEARTH_ALLOWED_HOSTS="example.org",
    )
    result = _run(["-c", "from hearth.config import settings as s; print(s.DEBUG)"], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        HEARTH_ENV="production",
        HEARTH_SECRET_KEY=GOOD_KEY,
        HEARTH_ALLOWED_HOSTS="example.org",
    )
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("raw", ["1", "true", "Yes", " on "])
def test_env_bool_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("HEARTH_TEST_FLAG", raw)
    assert env_bool("HEARTH_TEST_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "NO", "off", ""])
def test_env_bool_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("HEARTH_TEST_FLAG", raw)
    assert env_bool("HEARTH_TEST_FLAG", default=True) is False


def test_env_bool_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEARTH_TEST_FLAG", raising=False)
    assert env_bool("HEARTH_TEST_FLAG", default=True) is True


def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_TEST_FLAG", "maybe")

    with pytest.raises(ConfigError) as excinfo:
        env_bool("HEARTH_TEST_FLAG")

    assert "HEARTH_TEST_FLAG" in str(excinfo.value)
    assert "'maybe'" in str(excinfo.value)
