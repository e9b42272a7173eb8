"""`hearth tone-check FILE`: judge one text per line, print one JSON object per line.

For moderators tuning the judge and for checking it from outside:

    $ echo "people like you should be shot" | hearth tone-check -
    {"text": "people like you should be shot", "nudge": true, "score": 0.994, "reasons": [...]}

Exit status 2, with a one-line message on standard error, when the model
cannot be loaded or the file cannot be read. No Django here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from hearth.kindness.judge import Judge, JudgeUnavailable


def _lines(stream: TextIO) -> Iterable[str]:
    for line in stream:
        yield line.rstrip("\r\n")


def check(judge: Judge, lines: Iterable[str], out: TextIO, *, friends: bool = False) -> int:
    """Write one JSON line per input line to `out`; return how many were nudged."""
    nudged = 0
    for text in lines:
        result = judge.assess(text, friends=friends)
        nudged += result.nudge
        record = {
            "text": text,
            "nudge": result.nudge,
            "score": round(result.score, 4),
            "reasons": result.reasons,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return nudged


def main_tone_check(argv: list[str]) -> int:
    """`hearth tone-check FILE [--friends] [--model NPZ]`; FILE `-` is standard input."""
    parser = argparse.ArgumentParser(
        prog="hearth tone-check",
        description="Judge one text per line; print one JSON object per line.",
    )
    parser.add_argument("file", help="file with one text per line, or - for standard input")
    parser.add_argument(
        "--friends", action="store_true", help="judge as between people who are friends"
    )
    parser.add_argument("--model", type=Path, default=None, help="model file (default: shipped)")
    args = parser.parse_args(argv)
    try:
        judge = Judge.load(args.model)
    except JudgeUnavailable as exc:
        print(f"hearth tone-check: {exc}", file=sys.stderr)
        return 2
    try:
        if args.file == "-":
            check(judge, _lines(sys.stdin), sys.stdout, friends=args.friends)
        else:
            with open(args.file, encoding="utf-8", errors="replace") as fh:
                check(judge, _lines(fh), sys.stdout, friends=args.friends)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"hearth tone-check: cannot read {args.file}: {reason}", file=sys.stderr)
        return 2
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main_tone_check(sys.argv[1:]))
