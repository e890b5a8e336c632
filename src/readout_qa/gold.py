"""The gold set: loading and validating ``evals/gold.jsonl``, and fact matching.

One JSON object per line::

    {"id": "seed-001", "question": "...", "facts": [["biomedicine"], ["agriculture", "farming"]],
     "sources": ["000_29b7a47e08d55584"], "answerable": true, "kind": "list", "history": []}

A gold *fact* is a list of acceptable alternative strings; an answer covers the fact when it
contains any alternative after both sides went through :func:`normalize` (case-insensitive,
whole words, punctuation and quotes ignored).  See ``evals/README.md`` for the definitions.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
OPTIONAL_FIELDS: tuple[str, ...] = ("history",)


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
    line: int = 0  # line number in the gold file, for messages

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "facts": [list(f) for f in self.facts],
            "sources": list(self.sources),
            "answerable": self.answerable,
            "kind": self.kind,
            "history": list(self.history),
        }


# ---------------------------------------------------------------------------
# loading and validation


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _validate_record(obj: Any) -> list[str]:
    """Problems of one parsed line (empty when it is a valid item)."""
    if not isinstance(obj, dict):
        return [f"expected a JSON object, got {type(obj).__name__}"]
    problems: list[str] = []
    missing = [f for f in REQUIRED_FIELDS if f not in obj]
    if missing:
        problems.append(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(obj) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")

    for name in ("id", "question"):
        if name in obj and (not isinstance(obj[name], str) or not obj[name].strip()):
            problems.append(f"'{name}' must be a non-empty string")

    facts = obj.get("facts")
    facts_ok = False
    if "facts" in obj:
        if not isinstance(facts, list) or not all(isinstance(f, list) for f in facts):
            problems.append("'facts' must be a list of lists of strings")
        else:
            facts_ok = True
            for i, fact in enumerate(facts):
                if not fact:
                    problems.append(f"fact {i + 1} has no alternatives")
                    facts_ok = False
                for alt in fact:
                    if not isinstance(alt, str):
                        problems.append(f"fact {i + 1}: alternative {alt!r} is not a string")
                        facts_ok = False
                    elif not normalize(alt):
                        problems.append(f"fact {i + 1}: empty alternative {alt!r}")
                        facts_ok = False

    sources = obj.get("sources")
    if "sources" in obj:
        if not _is_str_list(sources):
            problems.append("'sources' must be a list of strings")
            sources = None
        elif any(not s.strip() for s in sources):
            problems.append("'sources' contains an empty doc id")
        elif len(set(sources)) != len(sources):
            problems.append("'sources' lists a doc id twice")

    answerable = obj.get("answerable")
    if "answerable" in obj and not isinstance(answerable, bool):
        problems.append("'answerable' must be true or false")
        answerable = None

    kind = obj.get("kind")
    if "kind" in obj and kind not in KINDS:
        problems.append(f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
        kind = None

    if "history" in obj and not _is_str_list(obj["history"]):
        problems.append("'history' must be a list of strings")
    history = obj.get("history") if _is_str_list(obj.get("history")) else []
    if any(not h.strip() for h in history):
        problems.append("'history' contains an empty question")

    # Consistency between fields (only when the fields themselves are fine).
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


def parse_gold(text: str, path: str | Path = "<gold>") -> list[GoldItem]:
    """Parse and validate gold JSON Lines; raise :class:`GoldFormatError` listing every problem.

    Blank lines are ignored (but still counted for line numbers).
    """
    errors: list[tuple[int, str]] = []
    items: list[GoldItem] = []
    first_line_of: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append((lineno, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        problems = _validate_record(obj)
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            if obj["id"] in first_line_of:
                problems.append(
                    f"duplicate id {obj['id']!r} (first used on line {first_line_of[obj['id']]})"
                )
            else:
                first_line_of[obj["id"]] = lineno
        errors.extend((lineno, p) for p in problems)
        if problems:
            continue
        items.append(
            GoldItem(
                id=obj["id"],
                question=obj["question"],
                facts=[list(f) for f in obj["facts"]],
                sources=list(obj["sources"]),
                answerable=obj["answerable"],
                kind=obj["kind"],
                history=list(obj.get("history", [])),
                line=lineno,
            )
        )
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
_MARKER = re.compile(r"\[\s*\d+(?:\s*[,;\u2013-]\s*\d+)*\s*\]")


def normalize(text: str) -> str:
    """Lower-case ``text`` and reduce it to alphanumeric words separated by single spaces.

    Curly quotes become straight ones, accents are dropped (``Andrés`` -> ``andres``) and every
    run of other characters (punctuation, quotes, whitespace, underscores) becomes one space, so
    ``"U.S."`` -> ``"u s"`` and ``"Ukraine’s"`` -> ``"ukraine s"``.
    """
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def strip_markers(text: str) -> str:
    """Remove citation markers such as ``[1]``, ``[2, 3]`` or ``[1-2]`` from an answer."""
    return _MARKER.sub(" ", text)


def _padded(text: str) -> str:
    return f" {normalize(text)} "


def covering_alternative(answer_text: str, alternatives: Iterable[str]) -> str | None:
    """The first alternative that occurs in ``answer_text`` as whole words, or None."""
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
    """The body of a readout file: YAML front matter or a leading ``date`` line removed."""
    text = Path(path).read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[end + 4 :].lstrip("\n")
    first, _, rest = text.partition("\n")
    if re.fullmatch(r"\s*date\s+\d{4}-\d{2}-\d{2}\s*", first):
        return rest.lstrip("\n")
    return text


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
