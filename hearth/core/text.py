"""Plain text in, safe HTML out.

People type plain text. Hearth stores that text as typed and makes the HTML
itself: paragraphs, line breaks, and links for @mentions, #hashtags and URLs.
Everything else is escaped, and the result goes through nh3 (Ammonia) with a
small allowlist, so nothing typed is ever rendered raw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import nh3

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,30})(?![\w@])")
HASHTAG_RE = re.compile(r"(?<![\w#&/])#([^\W\d_][\w]{0,99}|\d+[^\W\d][\w]*)", re.UNICODE)
URL_RE = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]}]", re.IGNORECASE)
TOKEN_RE = re.compile(
    f"(?P<url>{URL_RE.pattern})|(?P<mention>{MENTION_RE.pattern})|(?P<tag>{HASHTAG_RE.pattern})",
    re.IGNORECASE | re.UNICODE,
)

ALLOWED_TAGS = {"p", "br", "a", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "class", "title"}, "span": {"class"}}


@dataclass
class Rendered:
    html: str
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)


def normalize_newlines(text: str) -> str:
    """Browsers submit each line break as CRLF but count it as one character
    (maxlength, the counter); store and count it as one `\n` too."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in order of appearance, lower-cased and without repeats."""
    return list(dict.fromkeys(m.group(1).lower() for m in HASHTAG_RE.finditer(text)))


def extract_mentions(text: str) -> list[str]:
    """@usernames in order of appearance, lower-cased and without repeats."""
    return list(dict.fromkeys(m.group(1).lower() for m in MENTION_RE.finditer(text)))


def render(
    text: str,
    *,
    mention_url: Callable[[str], str | None],
    hashtag_url: Callable[[str], str],
) -> Rendered:
    """Turn plain `text` into sanitized HTML.

    `mention_url(username)` returns the profile URL of a known person, or None
    to leave the @name as plain text. Returns the HTML with the mentions that
    resolved and the hashtags found.
    """
    mentions: list[str] = []
    hashtags: list[str] = []

    def linkify(segment: str) -> str:
        out: list[str] = []
        pos = 0
        for match in TOKEN_RE.finditer(segment):
            out.append(escape(segment[pos : match.start()]))
            pos = match.end()
            whole = match.group(0)
            if match.group("url"):
                shown = whole if len(whole) <= 60 else whole[:57] + "…"
                out.append(
                    f'<a href="{escape(whole)}" class="link" title="{escape(whole)}">'
                    f"{escape(shown)}</a>"
                )
            elif match.group("mention"):
                name = whole[1:]
                url = mention_url(name.lower())
                if url is None:
                    out.append(escape(whole))
                else:
                    if name.lower() not in mentions:
                        mentions.append(name.lower())
                    out.append(f'<a href="{escape(url)}" class="mention">@{escape(name)}</a>')
            else:
                tag = whole[1:]
                if tag.lower() not in hashtags:
                    hashtags.append(tag.lower())
                href = escape(hashtag_url(tag.lower()))
                out.append(f'<a href="{href}" class="hashtag">#{escape(tag)}</a>')
        out.append(escape(segment[pos:]))
        return "".join(out)

    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(linkify(line) for line in para.split("\n")) + "</p>"
        for para in paragraphs
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="nofollow noopener noreferrer ugc",
        url_schemes={"http", "https"},
    )
    return Rendered(clean, mentions, hashtags)
