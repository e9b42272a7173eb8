"""What the rankers read: community documents, their matchable units, queries.

Pure data: nothing here touches the database. A caller (the communities app,
the demo seeding, the benchmark) builds `CommunityDoc`s from whatever it has.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, Self

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOGUE_PATH = DATA_DIR / "communities.json"
LABELLED_PATH = DATA_DIR / "find_your_people.csv"

# A query longer than this is cut at a word boundary: a life story does not
# need more to find its people, and the cost of a query stays bounded.
MAX_QUERY_CHARS = 2000

CommunityId = str | int
UnitKind = Literal["name", "description", "who_for", "topic", "rule", "post"]


@dataclass(frozen=True, slots=True)
class CommunityDoc:
    """A community as the rankers see it.

    A private community is ranked only on what anyone may read about it:
    name, description, who it is for and topics. Its rules and posts are
    ignored even when given.
    """

    id: CommunityId
    name: str
    description: str = ""
    who_for: str = ""
    topics: Sequence[str] = ()
    rules: Sequence[str] = ()
    recent_posts: Sequence[str] = ()
    private: bool = False


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of a community's own text that a query can match."""

    kind: UnitKind
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    community_id: CommunityId
    score: float
    reason: str


@dataclass(slots=True)
class Units:
    """The units of one community, split into what describes it and what is said in it."""

    about: list[Unit] = field(default_factory=list)
    talk: list[Unit] = field(default_factory=list)

    @property
    def all(self) -> list[Unit]:
        return self.about + self.talk


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_SPACE = re.compile(r"\s+")


def sentences(text: str) -> list[str]:
    """Split prose into sentences (good enough for descriptions and posts)."""
    text = _SPACE.sub(" ", text).strip()
    if not text:
        return []
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def doc_units(doc: CommunityDoc) -> Units:
    """The matchable pieces of a community; a private one keeps only its public fields."""
    units = Units()
    if doc.name.strip():
        units.about.append(Unit("name", doc.name.strip()))
    units.about.extend(Unit("description", s) for s in sentences(doc.description))
    if doc.who_for.strip():
        units.about.append(Unit("who_for", _SPACE.sub(" ", doc.who_for).strip()))
    units.about.extend(Unit("topic", t.strip()) for t in doc.topics if t.strip())
    if not doc.private:
        units.talk.extend(Unit("rule", r.strip()) for r in doc.rules if r.strip())
        for post in doc.recent_posts:
            units.talk.extend(Unit("post", s) for s in sentences(post))
    return units


def clean_query(text: str) -> str:
    """Collapse whitespace and cut an over-long query at a word boundary."""
    text = _SPACE.sub(" ", text or "").strip()
    if len(text) <= MAX_QUERY_CHARS:
        return text
    cut = text[:MAX_QUERY_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_QUERY_CHARS // 2 else cut


def doc_from_mapping(data: dict[str, Any]) -> CommunityDoc:
    """A `CommunityDoc` from one entry of communities.json (its slug is the id)."""
    return CommunityDoc(
        id=str(data["slug"]),
        name=str(data["name"]),
        description=str(data.get("description", "")),
        who_for=str(data.get("who_for", "")),
        topics=tuple(str(t) for t in data.get("topics", ())),
        rules=tuple(str(r) for r in data.get("rules", ())),
        recent_posts=tuple(str(p) for p in data.get("recent_posts", ())),
        private=data.get("visibility", "public") == "private",
    )


def load_catalogue_data(path: Path | None = None) -> list[dict[str, Any]]:
    """The raw community catalogue (for demo seeding): a list of JSON objects."""
    data: list[dict[str, Any]] = json.loads((path or CATALOGUE_PATH).read_text("utf-8"))
    return data


def load_catalogue(path: Path | None = None) -> list[CommunityDoc]:
    return [doc_from_mapping(entry) for entry in load_catalogue_data(path)]


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    community_slug: str


def load_labelled(path: Path | None = None) -> list[Labelled]:
    with (path or LABELLED_PATH).open(newline="", encoding="utf-8") as f:
        return [Labelled(row["text"], row["community_slug"]) for row in csv.DictReader(f)]


@dataclass(frozen=True, slots=True)
class HitRates:
    hit_at_1: float
    hit_at_3: float
    n: int
    misses: tuple[tuple[str, str, tuple[CommunityId, ...]], ...]


class Ranker(Protocol):
    """Ranks communities for a person's own words from precomputed vectors.

    `encode_docs` computes each community's payload from its own text alone
    (what the discovery app stores); `put` and `remove` change one row of the
    in-memory index; `fit` encodes and loads a whole list at once.
    """

    name: str
    # The model and the version of its vectors: stored payloads of another
    # identity cannot be mixed with this ranker's and are recomputed.
    identity: str
    # The byte layout `encode_docs` writes. Payloads of an older format of
    # the same identity hold comparable vectors: `put` reads them and
    # `upgrade_payload` rewrites them without running the model.
    payload_format: int

    def encode_docs(self, docs: Sequence[CommunityDoc]) -> list[bytes]: ...

    def upgrade_payload(self, payload: bytes) -> bytes: ...

    def put(self, community_id: CommunityId, payload: bytes) -> None: ...

    def remove(self, community_id: CommunityId) -> None: ...

    def community_ids(self) -> list[CommunityId]: ...

    def compact(self) -> None: ...

    def fit(self, docs: Sequence[CommunityDoc]) -> Self: ...

    # A query is encoded without reading the index (so outside a lock that
    # guards it), then ranked against the index; `rank` does both.
    def encode_query(self, query: str) -> Any: ...

    def rank_encoded(self, encoded: Any, limit: int = 10) -> list[Match]: ...

    def rank(self, query: str, limit: int = 10) -> list[Match]: ...


def evaluate(ranker: Ranker, labelled: Iterable[Labelled]) -> HitRates:
    """hit@1 and hit@3 of a fitted ranker on a labelled set (misses keep the top 3)."""
    n = hits1 = hits3 = 0
    misses: list[tuple[str, str, tuple[CommunityId, ...]]] = []
    for item in labelled:
        top = tuple(m.community_id for m in ranker.rank(item.text, limit=3))
        n += 1
        hits1 += bool(top) and top[0] == item.community_slug
        if item.community_slug in top:
            hits3 += 1
        else:
            misses.append((item.text, item.community_slug, top))
    if n == 0:
        return HitRates(0.0, 0.0, 0, ())
    return HitRates(hits1 / n, hits3 / n, n, tuple(misses))
