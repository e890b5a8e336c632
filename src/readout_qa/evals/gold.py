"""The gold set: loading and validating ``evals/gold.jsonl``, and fact matching.

One JSON object per line::

    {"id": "seed-001", "question": "...", "facts": [["biomedicine"], ["agriculture", "farming"]],
     "sources": ["000_29b7a47e08d55584"], "answerable": true, "kind": "list", "history": []}

A gold *fact* is a list of acceptable alternative strings; an answer covers the fact when it
contains any alternative after both sides went through :func:`normalize` (case-insensitive,
whole words, punctuation and quotes ignored).  See ``evals/README.md`` for the definitions.

The whole file is validated before anything is returned: a gold set with one broken line would
otherwise be scored on fewer items than it claims, and a long run would be wasted on it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from readout_qa.config import PROJECT_ROOT
from readout_qa.loaders import load_file

T = TypeVar("T")

DEFAULT_GOLD = PROJECT_ROOT / "evals" / "gold.jsonl"

KINDS: tuple[str, ...] = (
    "factoid",
    "list",
    "entity-date",
    "cross-doc",
    "follow-up",
    "unanswerable",
    "paraphrase",
)

REQUIRED_FIELDS: tuple[str, ...] = ("id", "question", "facts", "sources", "answerable", "kind")
OPTIONAL_FIELDS: tuple[str, ...] = ("history", "split")

#: The parts of the gold set: ``tune`` may be looked at while tuning the product, ``test`` is
#: held out and is what the gate judges.  An item without ``split`` belongs to neither part
#: (it still counts overall).
SPLITS: tuple[str, ...] = ("tune", "test")


class GoldFormatError(ValueError):
    """The gold file is malformed.

    ``errors`` holds every problem found as ``(line_number, message)``; ``line`` is the first
    one's line number (1-based, 0 for problems of the file as a whole).
    """

    def __init__(self, path: str | Path, errors: Sequence[tuple[int, str]]):
        self.path = str(path)
        self.errors = list(errors)
        self.line = self.errors[0][0] if self.errors else 0
        lines = [
            f"{self.path}:{line}: {msg}" if line else f"{self.path}: {msg}"
            for line, msg in self.errors
        ]
        super().__init__("\n".join(lines))


@dataclass
class GoldItem:
    """One gold question with what a correct answer must contain and where it comes from."""

    id: str
    question: str
    facts: list[list[str]]
    sources: list[str]
    answerable: bool
    kind: str
    history: list[str] = field(default_factory=list)
    split: str | None = None  # "tune", "test" or None (in neither part)
    line: int = 0  # line number in the gold file, for messages

    def to_dict(self) -> dict[str, Any]:
        """The item as a gold line (without ``line``, which is where it was read, not data;
        ``split`` only when the item has one)."""
        out: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "facts": [list(f) for f in self.facts],
            "sources": list(self.sources),
            "answerable": self.answerable,
            "kind": self.kind,
            "history": list(self.history),
        }
        if self.split is not None:
            out["split"] = self.split
        return out


# ---------------------------------------------------------------------------
# loading and validation


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _fact_problems(facts: Any) -> tuple[list[str], bool]:
    """Problems of the ``facts`` field, and whether it is usable for the consistency checks."""
    if not isinstance(facts, list) or not all(isinstance(f, list) for f in facts):
        return ["'facts' must be a list of lists of strings"], False
    problems: list[str] = []
    for i, fact in enumerate(facts):
        if not fact:
            problems.append(f"fact {i + 1} has no alternatives")
        for alt in fact:
            if not isinstance(alt, str):
                problems.append(f"fact {i + 1}: alternative {alt!r} is not a string")
            elif not normalize(alt):
                problems.append(f"fact {i + 1}: empty alternative {alt!r}")
    return problems, not problems


def record_field_problems(
    obj: dict[str, Any], required: Sequence[str], optional: Sequence[str]
) -> list[str]:
    """What every gold record needs: its fields present and known, a non-empty id and
    question (the gold set and the contacts set share these rules)."""
    problems: list[str] = []
    missing = [f for f in required if f not in obj]
    if missing:
        problems.append(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    for name in ("id", "question"):
        if name in obj and (not isinstance(obj[name], str) or not obj[name].strip()):
            problems.append(f"'{name}' must be a non-empty string")
    return problems


def _field_problems(obj: dict[str, Any]) -> list[str]:
    """Problems of the fields taken one by one (presence, names, types, values)."""
    problems = record_field_problems(obj, REQUIRED_FIELDS, OPTIONAL_FIELDS)
    if "facts" in obj:
        problems += _fact_problems(obj["facts"])[0]
    sources = obj.get("sources")
    if "sources" in obj:
        if not _is_str_list(sources):
            problems.append("'sources' must be a list of strings")
        elif any(not s.strip() for s in sources):
            problems.append("'sources' contains an empty doc id")
        elif len(set(sources)) != len(sources):
            problems.append("'sources' lists a doc id twice")
    if "answerable" in obj and not isinstance(obj["answerable"], bool):
        problems.append("'answerable' must be true or false")
    if "kind" in obj and obj["kind"] not in KINDS:
        problems.append(f"unknown kind {obj['kind']!r} (expected one of: {', '.join(KINDS)})")
    if "history" in obj and not _is_str_list(obj["history"]):
        problems.append("'history' must be a list of strings")
    history = obj.get("history") if _is_str_list(obj.get("history")) else []
    if any(not h.strip() for h in history):
        problems.append("'history' contains an empty question")
    if "split" in obj and obj["split"] not in SPLITS:
        problems.append(f"unknown split {obj['split']!r} (expected one of: {', '.join(SPLITS)})")
    return problems


def _consistency_problems(obj: dict[str, Any]) -> list[str]:
    """Problems between fields, checked only on the fields that are fine by themselves."""
    facts = obj.get("facts")
    facts_ok = "facts" in obj and _fact_problems(facts)[1]
    sources = obj.get("sources") if _is_str_list(obj.get("sources")) else None
    answerable = obj.get("answerable") if isinstance(obj.get("answerable"), bool) else None
    kind = obj.get("kind") if obj.get("kind") in KINDS else None
    history = obj.get("history") if _is_str_list(obj.get("history")) else []
    problems: list[str] = []
    if answerable is True and facts_ok and not facts:
        problems.append("answerable item has no facts")
    if answerable is True and sources is not None and not sources:
        problems.append("answerable item has no sources")
    if answerable is False and facts_ok and facts:
        problems.append("unanswerable item must have 'facts': []")
    if kind == "unanswerable" and answerable is True:
        problems.append("kind 'unanswerable' requires 'answerable': false")
    if kind == "follow-up" and not history:
        problems.append("kind 'follow-up' needs a non-empty 'history'")
    if kind == "cross-doc" and sources is not None and len(sources) < 2:
        problems.append("kind 'cross-doc' needs at least 2 sources")
    return problems


def _validate_record(obj: Any) -> list[str]:
    """Problems of one parsed line (empty when it is a valid item)."""
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    return _field_problems(obj) + _consistency_problems(obj)


def _item(obj: dict[str, Any], lineno: int) -> GoldItem:
    return GoldItem(
        id=obj["id"],
        question=obj["question"],
        facts=[list(f) for f in obj["facts"]],
        sources=list(obj["sources"]),
        answerable=obj["answerable"],
        kind=obj["kind"],
        history=list(obj.get("history", [])),
        split=obj.get("split"),
        line=lineno,
    )


def parse_records(
    text: str,
    validate: Callable[[Any], list[str]],
    make: Callable[[dict[str, Any], int], T],
) -> tuple[list[T], list[tuple[int, str]]]:
    """Items and ``(line, problem)`` pairs of a JSON Lines gold file, ids unique.

    Blank lines are ignored (but still counted for line numbers, so messages point at the
    line an editor shows); every line is checked, so one run lists every problem."""
    errors: list[tuple[int, str]] = []
    items: list[T] = []
    first_line_of: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append((lineno, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        problems = validate(obj)
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            if obj["id"] in first_line_of:
                first = first_line_of[obj["id"]]
                problems.append(f"duplicate id {obj['id']!r} (first used on line {first})")
            else:
                first_line_of[obj["id"]] = lineno
        errors.extend((lineno, p) for p in problems)
        if not problems:
            items.append(make(obj, lineno))
    return items, errors


def parse_gold(text: str, path: str | Path = "<gold>") -> list[GoldItem]:
    """Parse and validate gold JSON Lines; raise :class:`GoldFormatError` listing every problem."""
    items, errors = parse_records(text, _validate_record, _item)
    if not errors and not items:
        errors.append((0, "no gold items"))
    if errors:
        raise GoldFormatError(path, errors)
    return items


def load_gold(path: str | Path) -> list[GoldItem]:
    """Load ``path`` (JSON Lines), validating the whole file before returning anything."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoldFormatError(p, [(0, f"not UTF-8 text ({exc.reason})")]) from exc
    return parse_gold(text, p)


def load_gold_files(paths: Sequence[str | Path]) -> list[GoldItem]:
    """The items of several gold files, in order, with ids unique across the files.

    Raises ``FileNotFoundError`` for a missing file, :class:`GoldFormatError` for an invalid
    one and ``ValueError`` for an id used in two files -- all before any item is run, since
    the report keys items by id.
    """
    items: list[GoldItem] = []
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        if not path.is_file():
            raise FileNotFoundError(f"gold file {path} not found")
        for item in load_gold(path):
            if item.id in seen:
                where = f"{path}:{item.line}"
                raise ValueError(f"{where}: id {item.id!r} is also used in {seen[item.id]}")
            seen[item.id] = path
            items.append(item)
    return items


# ---------------------------------------------------------------------------
# the tuning / test split


def split_hash(item_id: str) -> str:
    """A stable pseudo-random key of an id (SHA-256 hex): the order in which items are drawn."""
    return hashlib.sha256(item_id.encode("utf-8")).hexdigest()


def draw_split(items: Iterable[GoldItem]) -> dict[str, str]:
    """The deterministic, kind-stratified split of ``items``: ``{id: "tune" | "test"}``.

    Within each kind the items are ordered by :func:`split_hash` of their id and dealt out in
    turn, ``test`` first, so each kind is halved (an odd one out goes to ``test``) and the draw
    does not depend on the file's order or on anyone's choice.  This is how the split of the
    items written before the held-out items were added was made (``evals/README.md``).
    """
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.id)
    out: dict[str, str] = {}
    for ids in by_kind.values():
        for rank, item_id in enumerate(sorted(ids, key=split_hash)):
            out[item_id] = SPLITS[1] if rank % 2 == 0 else SPLITS[0]
    return out


# ---------------------------------------------------------------------------
# matching

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_NON_ALNUM = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    """Lower-case ``text`` and reduce it to alphanumeric words separated by single spaces.

    Curly quotes become straight ones, accents are dropped (``Andrés`` -> ``andres``) and every
    run of other characters (punctuation, quotes, whitespace, underscores) becomes one space, so
    ``"U.S."`` -> ``"u s"`` and ``"Ukraine’s"`` -> ``"ukraine s"``: a fact must not be missed
    for typography the answerer does not control.
    """
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def _padded(text: str) -> str:
    return f" {normalize(text)} "


def covering_alternative(answer_text: str, alternatives: Iterable[str]) -> str | None:
    """The first alternative that occurs in ``answer_text`` as whole words, or None.

    Whole words, so that ``"mali"`` is not found in ``"normalization"``.
    """
    hay = _padded(answer_text)
    for alt in alternatives:
        needle = normalize(alt)
        if needle and f" {needle} " in hay:
            return alt
    return None


def fact_covered(answer_text: str, alternatives: Iterable[str]) -> bool:
    """True when ``answer_text`` contains any of ``alternatives`` (see :func:`normalize`)."""
    return covering_alternative(answer_text, alternatives) is not None


# ---------------------------------------------------------------------------
# locating source readouts


def read_body(path: str | Path) -> str:
    """The body of a readout file as the product indexes it (header or front matter removed).

    It goes through :func:`readout_qa.loaders.load_file`, the one parser of readout files, so
    a gold fact is checked against exactly the text retrieval and answering see.  A file
    holding several readouts (JSON Lines) gives their bodies joined by blank lines.
    """
    return "\n\n".join(readout.text for readout in load_file(path))


def locate_doc(doc_id: str, roots: Iterable[str | Path]) -> Path | None:
    """The file whose name without extension is ``doc_id`` in any of ``roots`` (recursive)."""
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            continue
        for ext in (".txt", ".md"):
            direct = root / f"{doc_id}{ext}"
            if direct.is_file():
                return direct
        for candidate in root.rglob(f"{doc_id}.*"):
            if candidate.is_file() and candidate.stem == doc_id:
                return candidate
    return None
