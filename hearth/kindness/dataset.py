"""Build the judge's labelled data from the sources in `data/`.

`data/templates.txt` (templates x slots) and `data/handwritten.txt`
(free-form lines) were written for Hearth. This module expands the
templates, adds obfuscated spellings of some examples, drops duplicates and
writes `data/judge.csv` (training) and `data/judge_test.csv` (held out,
about 20%). Both files have the columns text,label,category,group.

The split is by group, so no near-duplicate leaks from training into the test:
all instances of one template share a group, an obfuscated copy keeps the
group of its source, and examples whose word trigrams overlap heavily (or a
hand-written line that a template could have produced) are merged into one
group before the groups are dealt out. The build is deterministic (fixed seed);
it was run once to make the shipped files, and rerunning it reproduces them.

Later batches (`BATCHES`: the second is `data/added_*.txt`, the third to
sixth `data/batch3_*.txt` ... `data/batch6_*.txt`; the same format,
templates and free-form lines mixed)
are appended one by one, each dealt out on its own with its own seeds,
without moving any earlier example across the split; see `_add_batches`.

    python -m hearth.kindness.dataset
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hearth.kindness.normalize import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20250814
TEST_SHARE = 0.2
INSTANCES_PER_TEMPLATE = 4
FIELDS = ("text", "label", "category", "group")

_LINE = re.compile(r"^([01]) ([a-z_]+): (.+)$")
_SLOT_DEF = re.compile(r"^= ([a-z_]+): (.+)$")
_SLOT = re.compile(r"\{([a-z_]+)\}")
_WORDS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """A text reduced to its words, case-folded: the key for "the same text"."""
    return " ".join(_WORDS.findall(text.casefold()))


@dataclass
class Example:
    text: str
    label: int
    category: str
    group: str


def _parse(path: Path) -> tuple[dict[str, list[str]], list[tuple[int, str, str]]]:
    slots: dict[str, list[str]] = {}
    lines: list[tuple[int, str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if m := _SLOT_DEF.match(line):
            slots[m.group(1)] = [o.strip() for o in m.group(2).split("|")]
        elif m := _LINE.match(line):
            lines.append((int(m.group(1)), m.group(2), m.group(3)))
        else:
            raise ValueError(f"{path.name}: cannot parse line: {raw!r}")
    return slots, lines


def _decorate(text: str, rng: random.Random) -> str:
    """Vary case, end punctuation and a leading mention alike for both labels."""
    roll = rng.random()
    if roll < 0.2:
        text = text[:1].upper() + text[1:]
    elif roll < 0.25:
        text = text.upper()
    if text[-1:].isalnum() and rng.random() < 0.5:
        text += rng.choice(["!", ".", "!!", "...", " !", "?!"])
    if rng.random() < 0.06:
        text = rng.choice(["@jo ", "@sam_k ", "@leila_r ", "@dave ", "@nina.p "]) + text
    return text


def _expand(slots: dict[str, list[str]], template: str, rng: random.Random) -> list[str]:
    names = _SLOT.findall(template)
    for name in {n for option in names for n in _SLOT.findall(" ".join(slots.get(option, [])))}:
        names.append(name)
    for name in names:
        if name not in slots:
            raise ValueError(f"unknown slot {{{name}}} in template {template!r}")
    count = INSTANCES_PER_TEMPLATE if names else 1
    out: list[str] = []
    for _ in range(count * 4):
        text = template
        for _ in range(3):  # slot options may hold slots themselves
            text = _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]), text)
        text = re.sub(r"\s+", " ", text).strip()
        if text not in out:
            out.append(text)
        if len(out) == count:
            break
    return [_decorate(t, rng) for t in out]


# Obfuscations people use to slip words past filters; the normaliser should
# undo most of them, the character n-grams catch some of the rest.
_TARGETS = re.compile(
    r"\b(idiot|moron|stupid|loser|bitch|fuck(?:ing)?|shit|kill|die|dumb|ugly|pathetic|"
    r"worthless|scum|vermin|trash|clown|hate|shut|asshole|dickhead|prick|cunt|shot|"
    r"bastard|cow|jerk|freak|creep|disgusting|useless|nobody|cares|asked|genius|hope|"
    r"find|hurt|bleed|beat|burn|hang|muslims|jews|gay|trans|immigrants|refugees|women|"
    r"black|foreigners|disabled|asians|mexicans|rats|animals|subhuman|parasites|you)\b",
    re.IGNORECASE,
)
_LEET_OUT = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5", "t": "7"}


def _obfuscate(text: str, rng: random.Random) -> str:
    matches = [m for m in _TARGETS.finditer(text) if m.group(0).lower() != "you"]
    if not matches:
        matches = list(_TARGETS.finditer(text)) or list(re.finditer(r"[A-Za-z]{4,}", text))
    if not matches:
        return text
    m = rng.choice(matches)
    word = m.group(0)
    style = rng.choice(
        ["leet", "zw", "spaced", "mask", "repeat", "dotted", "fullwidth", "cyrillic", "marks"]
    )
    if style == "leet":
        new = "".join(_LEET_OUT.get(c, c) if rng.random() < 0.7 else c for c in word)
    elif style == "zw":
        new = rng.choice(["\u200b", "\u200c", "\u2060", "\u00ad"]).join(word)
    elif style == "spaced":
        new = " ".join(word)
    elif style == "mask" and len(word) > 2:
        inner = [i for i, c in enumerate(word) if c.lower() in "aeiou" and 0 < i < len(word) - 1]
        pos = rng.choice(inner) if inner else len(word) // 2
        new = word[:pos] + "*" + word[pos + 1 :]
    elif style == "repeat":
        pos = rng.randrange(len(word))
        new = word[: pos + 1] + word[pos] * rng.randint(2, 5) + word[pos + 1 :]
    elif style == "dotted":
        new = rng.choice([".", "-", "_"]).join(word)
    elif style == "fullwidth":
        new = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    elif style == "cyrillic":
        new = word.translate(str.maketrans("aeoc", "\u0430\u0435\u043e\u0441"))
    else:
        new = "".join(c + "\u0336" for c in word)
    return text[: m.start()] + new + text[m.end() :]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(normalize(text))
    if len(words) < 3:
        return {tuple(words)}
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


class _Groups:
    """Union-find over group ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, g: str) -> str:
        self.parent.setdefault(g, g)
        while self.parent[g] != g:
            self.parent[g] = self.parent[self.parent[g]]
            g = self.parent[g]
        return g

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _template_regex(slots: dict[str, list[str]], template: str) -> re.Pattern[str]:
    """A pattern for every text `template` can produce, after normalisation."""

    def literal(text: str) -> str:
        return re.escape(normalize(text)).replace(r"\ ", r"\s*")

    parts = _SLOT.split(template)
    # split() alternates literal text and slot names.
    pattern = "".join(
        "(?:" + "|".join(literal(o) for o in slots[p]) + ")" if i % 2 else literal(p)
        for i, p in enumerate(parts)
    )
    return re.compile(r"(?:@user\s*)?" + pattern + r"[\s.!?]*")


def build(data_dir: Path = DATA_DIR) -> tuple[list[Example], list[Example]]:
    """Return (train, test) examples built from the sources in `data_dir`.

    The first batch (`templates.txt`, `handwritten.txt`) is built and split
    exactly as it always was; later batches (`BATCHES`) are appended
    without moving any earlier example across the split (see `_add_batches`).
    """
    train, test, template_groups = _build_first(data_dir)
    return _add_batches(data_dir, train, test, template_groups)


def _build_first(data_dir: Path) -> tuple[list[Example], list[Example], dict[str, str]]:
    rng = random.Random(SEED)
    slots, templates = _parse(data_dir / "templates.txt")
    _, handwritten = _parse(data_dir / "handwritten.txt")

    examples: list[Example] = []
    for n, (label, category, template) in enumerate(templates):
        for text in _expand(slots, template, rng):
            examples.append(Example(text, label, category, f"t{n:03d}"))
    for n, (label, category, text) in enumerate(handwritten):
        examples.append(Example(text, label, category, f"h{n:03d}"))

    # Obfuscated copies: a share of the hurtful examples, and some of the kind
    # ones that use the same words, so obfuscation itself is no signal.
    extra: list[Example] = []
    for ex in examples:
        if ex.category == "obfuscated":
            continue
        share = 0.12 if ex.label else 0.08 if ex.category in _KIND_WITH_WORDS else 0.0
        if rng.random() < share:
            text = _obfuscate(ex.text, rng)
            if text != ex.text:
                category = "obfuscated" if ex.label else ex.category
                extra.append(Example(text, ex.label, category, ex.group))
    examples += extra

    # Exact duplicates (ignoring case and punctuation): keep the first. An
    # obfuscated copy normalises to its source, but is kept: it is what the
    # normaliser is tested on.
    seen: set[str] = set()
    unique: list[Example] = []
    for ex in examples:
        key = fold(ex.text)
        if key not in seen:
            seen.add(key)
            unique.append(ex)

    groups = _Groups()
    # A hand-written line a template could have produced joins that template.
    regexes = [(f"t{n:03d}", _template_regex(slots, t)) for n, (_, _, t) in enumerate(templates)]
    for ex in unique:
        if ex.group.startswith("h"):
            norm = normalize(ex.text)
            for gid, rx in regexes:
                if rx.fullmatch(norm):
                    groups.union(ex.group, gid)
    # Near duplicates across groups: word-trigram Jaccard >= 0.5.
    sh = [_shingles(ex.text) for ex in unique]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    for i, s in enumerate(sh):
        candidates = {j for g in s for j in index[g] if j > i}
        for j in candidates:
            if unique[i].group == unique[j].group:
                continue
            jac = len(s & sh[j]) / len(s | sh[j])
            if jac >= 0.5:
                groups.union(unique[i].group, unique[j].group)
    for ex in unique:
        ex.group = groups.find(ex.group)

    # Deal groups out per category so every category is represented in test.
    by_group: dict[str, list[Example]] = defaultdict(list)
    for ex in unique:
        by_group[ex.group].append(ex)
    per_category: dict[str, list[str]] = defaultdict(list)
    for gid in sorted(by_group):
        main = Counter(ex.category for ex in by_group[gid]).most_common(1)[0][0]
        per_category[main].append(gid)
    split_rng = random.Random(SEED + 1)
    test_groups: set[str] = set()
    for category in sorted(per_category):
        gids = per_category[category]
        split_rng.shuffle(gids)
        total = sum(len(by_group[g]) for g in gids)
        taken = 0
        for gid in gids:
            if taken >= TEST_SHARE * total:
                break
            test_groups.add(gid)
            taken += len(by_group[gid])
    train = [ex for ex in unique if ex.group not in test_groups]
    test = [ex for ex in unique if ex.group in test_groups]
    template_groups = {gid: groups.find(gid) for gid, _ in regexes}
    return train, test, template_groups


# Later batches, in order: (file pattern, group-id prefix, seed offset, share
# of new groups held out). Each is dealt out on its own, with every earlier
# batch's sides fixed, so adding a batch never moves an earlier example across
# the split. Never add lines to an earlier batch's files: start a new batch.
# After the eleventh batch the held-out split is closed: a later batch has
# share 0 and goes to training whole, except examples that merge with a
# held-out group, which are dropped (they would leak a held-out frame into
# training).
BATCHES: tuple[tuple[str, str, int, float], ...] = (
    ("added_*.txt", "x", 2, TEST_SHARE),
    ("batch3_*.txt", "y", 4, TEST_SHARE),
    ("batch4_*.txt", "z", 6, TEST_SHARE),
    ("batch5_*.txt", "w", 8, TEST_SHARE),
    ("batch6_*.txt", "v", 10, TEST_SHARE),
    ("batch7_*.txt", "u", 12, TEST_SHARE),
    ("batch8_*.txt", "s", 14, TEST_SHARE),
    ("batch9_*.txt", "r", 16, TEST_SHARE),
    ("batch10_*.txt", "q", 18, TEST_SHARE),
    ("batch11_*.txt", "p", 20, TEST_SHARE),
    ("batch12_*.txt", "o", 22, 0.0),
    ("batch13_*.txt", "n", 24, 0.0),
    ("batch14_*.txt", "m", 26, 0.0),
    ("batch15_*.txt", "l", 28, 0.0),
    ("batch16_*.txt", "k", 30, 0.0),
    ("batch17_*.txt", "j", 32, 0.0),
    ("batch18_*.txt", "i", 34, 0.0),
    ("batch19_*.txt", "h", 36, 0.0),
    ("batch20_*.txt", "g", 38, 0.0),
    ("batch21_*.txt", "f", 40, 0.0),
    ("batch22_*.txt", "e", 42, 0.0),
)


def _add_batches(
    data_dir: Path, train: list[Example], test: list[Example], template_groups: dict[str, str]
) -> tuple[list[Example], list[Example]]:
    """Append each later batch (`BATCHES`) to (train, test), one after another.

    A batch sees every earlier example (with its side of the split fixed),
    the slots of `templates.txt` and of the earlier batches' files, and the
    templates of all earlier batches for merging paraphrases into groups.
    """
    slots, base_templates = _parse(data_dir / "templates.txt")
    old_templates: list[tuple[str, dict[str, list[str]], str]] = [
        (f"t{i:03d}", slots, t) for i, (_, _, t) in enumerate(base_templates)
    ]
    slots = dict(slots)
    for number, (pattern, prefix, offset, test_share) in enumerate(BATCHES):
        files = sorted(data_dir.glob(pattern))
        if not files:
            continue
        train, test, template_groups, old_templates, slots = _add_batch(
            files,
            train,
            test,
            template_groups=template_groups,
            old_templates=old_templates,
            slots=slots,
            prefix=prefix,
            seed=SEED + offset,
            any_earlier_line=number > 0,
            test_share=test_share,
        )
    return train, test


def _add_batch(
    files: list[Path],
    train: list[Example],
    test: list[Example],
    *,
    template_groups: dict[str, str],
    old_templates: list[tuple[str, dict[str, list[str]], str]],
    slots: dict[str, list[str]],
    prefix: str,
    seed: int,
    any_earlier_line: bool,
    test_share: float = TEST_SHARE,
) -> tuple[
    list[Example],
    list[Example],
    dict[str, str],
    list[tuple[str, dict[str, list[str]], str]],
    dict[str, list[str]],
]:
    """Append the examples of one batch's `files` to (train, test).

    Each file mixes templates (lines with `{slot}`, expanded like those of
    `templates.txt`, whose slots, and earlier batches', they may use) and
    free-form lines. Earlier examples keep their side of the split: a new
    group merged (by template match or trigram overlap, as in the first
    batch) with an earlier group joins that group's side; one that would
    bridge a training and a held-out group is dropped; the rest are dealt
    out, `test_share` (about 20%) of each category's new groups held out,
    with the batch's own seeds (`seed` for expansion and obfuscation,
    `seed + 1` for the dealing). With `test_share` 0 the batch adds nothing
    to the held-out split: new examples merged with a held-out group are
    dropped too.

    Returns the new (train, test), the template-id -> group map and the
    templates (id, slots, text) including this batch's, and the slots.
    `any_earlier_line`: check every earlier example against this batch's
    templates (the second batch checked only the first batch's hand-written
    lines, and keeps doing so).
    """
    rng = random.Random(seed)
    slots = dict(slots)
    parsed = []
    for path in files:
        file_slots, lines = _parse(path)
        slots.update(file_slots)
        parsed.append(lines)
    new: list[Example] = []
    templates: list[tuple[str, str]] = []
    n = 0
    for lines in parsed:
        for label, category, text in lines:
            gid = f"{prefix}{n:04d}"
            n += 1
            if _SLOT.search(text):
                templates.append((gid, text))
                new.extend(Example(t, label, category, gid) for t in _expand(slots, text, rng))
            else:
                new.append(Example(text, label, category, gid))
    extra: list[Example] = []
    for ex in new:
        if ex.category == "obfuscated":
            continue
        share = 0.12 if ex.label else 0.08 if ex.category in _KIND_WITH_WORDS else 0.0
        if rng.random() < share:
            text = _obfuscate(ex.text, rng)
            if text != ex.text:
                category = "obfuscated" if ex.label else ex.category
                extra.append(Example(text, ex.label, category, ex.group))
    new += extra

    old = train + test
    side = {ex.group: False for ex in train} | {ex.group: True for ex in test}
    seen = {fold(ex.text) for ex in old}
    unique: list[Example] = []
    for ex in new:
        key = fold(ex.text)
        if key not in seen:
            seen.add(key)
            unique.append(ex)

    groups = _Groups()
    new_rx = [(gid, _template_regex(slots, t)) for gid, t in templates]
    old_rx = [(template_groups[tid], _template_regex(s, t)) for tid, s, t in old_templates]
    template_ids = {gid for gid, _ in templates}
    for ex in unique:
        if ex.group in template_ids:
            continue
        norm = normalize(ex.text)
        for gid, rx in old_rx + new_rx:
            if rx.fullmatch(norm):
                groups.union(ex.group, gid)
    for ex in old:
        if any_earlier_line or ex.group.startswith("h"):
            norm = normalize(ex.text)
            for gid, rx in new_rx:
                if rx.fullmatch(norm):
                    groups.union(ex.group, gid)
    everyone = old + unique
    sh = [_shingles(ex.text) for ex in everyone]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    for i in range(len(old), len(everyone)):
        s = sh[i]
        for j in {j for g in s for j in index[g] if j != i}:
            if everyone[i].group == everyone[j].group:
                continue
            if len(s & sh[j]) / len(s | sh[j]) >= 0.5:
                groups.union(everyone[i].group, everyone[j].group)

    # Which earlier groups each component touches, and so its side.
    members: dict[str, set[str]] = defaultdict(set)
    for ex in everyone:
        members[groups.find(ex.group)].add(ex.group)
    sides: dict[str, set[bool]] = {
        root: {side[g] for g in gs if g in side} for root, gs in members.items()
    }

    def keep(ex: Example) -> bool:
        touched = sides[groups.find(ex.group)]
        return len(touched) < 2 and (test_share > 0 or True not in touched)

    kept = [ex for ex in unique if keep(ex)]
    dropped = len(unique) - len(kept)
    if dropped:
        print(f"dropped {dropped} new examples that would join a held-out group")

    by_group: dict[str, list[Example]] = defaultdict(list)
    for ex in kept:
        by_group[groups.find(ex.group)].append(ex)
    per_category: dict[str, list[str]] = defaultdict(list)
    held: set[str] = set()
    for root in sorted(by_group):
        if sides[root]:
            if True in sides[root]:
                held.add(root)
            continue
        main = Counter(ex.category for ex in by_group[root]).most_common(1)[0][0]
        per_category[main].append(root)
    split_rng = random.Random(seed + 1)
    for category in sorted(per_category):
        gids = per_category[category]
        split_rng.shuffle(gids)
        total = sum(len(by_group[g]) for g in gids)
        taken = 0
        for gid in gids:
            if taken >= test_share * total:
                break
            held.add(gid)
            taken += len(by_group[gid])

    # Earlier training examples merged with a new group take its id, so the
    # cross-validation folds keep them together; held-out rows stay as they
    # were. Not in a component that also touches held-out rows (its new
    # examples were dropped above): its root may be a held-out group's id.
    def renamed(group: str) -> str:
        root = groups.find(group)
        return root if True not in sides.get(root, set()) else group

    train = [Example(ex.text, ex.label, ex.category, renamed(ex.group)) for ex in train]
    for root, exs in sorted(by_group.items()):
        for ex in exs:
            ex.group = root
        (test if root in held else train).extend(exs)
    template_groups = {tid: groups.find(g) for tid, g in template_groups.items()}
    template_groups |= {gid: groups.find(gid) for gid in template_ids}
    old_templates = old_templates + [(gid, slots, t) for gid, t in templates]
    return train, test, template_groups, old_templates, slots


_KIND_WITH_WORDS = frozenset(
    {"warm_profanity", "venting", "self_deprecation", "reported_abuse", "banter"}
)


def write_csv(path: Path, examples: Iterable[Example]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(FIELDS)
        for ex in examples:
            writer.writerow([ex.text, ex.label, ex.category, ex.group])


def main(argv: list[str] | None = None) -> int:
    """Write data/judge.csv and data/judge_test.csv; print the counts."""
    train, test = build()
    write_csv(DATA_DIR / "judge.csv", train)
    write_csv(DATA_DIR / "judge_test.csv", test)
    for name, rows in (("train", train), ("test", test)):
        counts = Counter((ex.label, ex.category) for ex in rows)
        print(f"{name}: {len(rows)} examples, {sum(ex.label for ex in rows)} hurtful")
        for (label, category), n in sorted(counts.items()):
            print(f"  {label} {category:18} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
