"""How well a contact extractor reads single readouts: precision and recall per field against
hand annotations (``evals/contacts_annotations.jsonl``).

The annotations are 50 readouts drawn with a fixed seed (25 per corpus, ``random.Random(10)``
over the sorted doc ids of each), each read by hand for the contact it reads out: who took part,
what kind of contact, on which day -- or no contact at all (domestic meetings with groups,
announcements of talks to come, officials' trips).  One JSON object per line::

    {"doc_id": "2022-03-06_telephone-conversation-with-president-of-france-emmanuel-macron",
     "corpus": "kremlin",
     "contacts": [{"date": "2022-03-06", "kind": "phone call", "level": "leaders",
                   "participants": ["Vladimir Putin", "Emmanuel Macron"]}],
     "note": "..."}

``level`` says who met: ``leaders`` (heads of state or government, vice presidents, monarchs,
the Pope, heads of the UN, EU and NATO), ``officials`` (e.g. the US National Security Advisor
with a foreign official or head of state) or ``domestic`` (a leader with a named official or
citizen of their own country).  ``date`` is ``null`` when the readout gives no day;
``also_kinds`` lists other acceptable kinds where the readout allows several ("talks" that are
also a "meeting").  Meetings with groups (the Security Council, CEOs) are notes, not contacts.

:func:`score_extraction` compares any extractor's ``list[Contact]`` per readout with them;
:func:`evaluate_extractor` runs an extractor (by default
``readout_qa.contacts.extract.extract_contacts``) over the annotated readouts and scores it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readout_qa.config import PROJECT_ROOT
from readout_qa.models import CONTACT_KINDS, Contact, Readout

from .contacts_gold import same_person
from .gold import locate_doc

DEFAULT_ANNOTATIONS = PROJECT_ROOT / "evals" / "contacts_annotations.jsonl"
LEVELS: tuple[str, ...] = ("leaders", "officials", "domestic")
FIELDS: tuple[str, ...] = ("contact", "participants", "kind", "date")


@dataclass
class AnnotatedContact:
    """One contact a readout reads out, as annotated by hand."""

    date: str | None  # the day it took place; None when the readout gives none
    kind: str
    participants: list[str]
    level: str = "leaders"
    also_kinds: list[str] = field(default_factory=list)
    place: str = ""

    def kind_ok(self, kind: str) -> bool:
        return kind == self.kind or kind in self.also_kinds


@dataclass
class Annotation:
    """The hand-annotated contacts of one readout (empty: it reads out no contact)."""

    doc_id: str
    corpus: str
    contacts: list[AnnotatedContact]
    note: str = ""
    line: int = 0

    def contacts_at(self, levels: Iterable[str]) -> list[AnnotatedContact]:
        levels = set(levels)
        return [c for c in self.contacts if c.level in levels]


def _contact_problems(i: int, c: Any) -> list[str]:
    where = f"contact {i + 1}"
    if not isinstance(c, dict):
        return [f"{where}: expected a JSON object"]
    problems = []
    known = {"date", "kind", "participants", "level", "also_kinds", "place"}
    unknown = sorted(set(c) - known)
    if unknown:
        problems.append(f"{where}: unknown field(s): {', '.join(unknown)}")
    date = c.get("date")
    if date is not None:
        try:
            ok = dt.date.fromisoformat(date).isoformat() == date
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(f"{where}: 'date' must be an ISO day or null")
    kinds = [c.get("kind"), *c.get("also_kinds", [])]
    if any(k not in CONTACT_KINDS for k in kinds):
        problems.append(f"{where}: unknown contact kind in {kinds}")
    parts = c.get("participants")
    if not isinstance(parts, list) or len(parts) < 2 or not all(isinstance(p, str) for p in parts):
        problems.append(f"{where}: 'participants' must list at least two names")
    if c.get("level", "leaders") not in LEVELS:
        problems.append(f"{where}: unknown level {c.get('level')!r}")
    return problems


def load_annotations(path: str | Path = DEFAULT_ANNOTATIONS) -> list[Annotation]:
    """The annotations of ``path``, validated as a whole (``ValueError`` lists every problem)."""
    p = Path(path)
    errors: list[str] = []
    out: list[Annotation] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{p}:{lineno}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("doc_id"), str):
            errors.append(f"{p}:{lineno}: expected an object with a 'doc_id'")
            continue
        contacts = obj.get("contacts")
        if not isinstance(contacts, list):
            errors.append(f"{p}:{lineno}: 'contacts' must be a list ([] for no contact)")
            continue
        problems = [m for i, c in enumerate(contacts) for m in _contact_problems(i, c)]
        if obj["doc_id"] in seen:
            problems.append(f"doc {obj['doc_id']!r} annotated twice")
        seen.add(obj["doc_id"])
        errors += [f"{p}:{lineno}: {m}" for m in problems]
        if problems:
            continue
        out.append(
            Annotation(
                doc_id=obj["doc_id"],
                corpus=obj.get("corpus", ""),
                contacts=[
                    AnnotatedContact(
                        date=c.get("date"),
                        kind=c["kind"],
                        participants=list(c["participants"]),
                        level=c.get("level", "leaders"),
                        also_kinds=list(c.get("also_kinds", [])),
                        place=c.get("place", ""),
                    )
                    for c in contacts
                ],
                note=obj.get("note", ""),
                line=lineno,
            )
        )
    if errors:
        raise ValueError("\n".join(errors))
    return out


# ---------------------------------------------------------------------------------- scoring
def _overlap(gold: AnnotatedContact, pred: Contact) -> int:
    """How many of the annotated participants the extracted contact names."""
    return sum(any(same_person(g, p) for p in pred.participants) for g in gold.participants)


def _pairs(gold: Sequence[AnnotatedContact], pred: Sequence[Contact]) -> list[tuple[int, int, int]]:
    """Greedy one-to-one pairs ``(gold index, pred index, overlap)``, best overlap first.

    A pair needs two shared participants (one is enough when the days agree): the publisher's
    own leader is in nearly every contact of a readout and tells nothing apart.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            n = _overlap(g, p)
            same_day = g.date is not None and g.date == p.date
            if n >= min(2, len(g.participants)) or (n >= 1 and same_day):
                candidates.append((n, same_day, gi, pi))
    candidates.sort(key=lambda c: (-c[0], not c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for n, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi, n))
    return out


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def score_extraction(
    annotations: Sequence[Annotation],
    predicted: Mapping[str, Sequence[Contact]],
    *,
    levels: Iterable[str] = ("leaders",),
) -> dict[str, Any]:
    """Precision and recall per field of extracted contacts against the annotations.

    ``predicted`` maps a doc id to the contacts an extractor found in that readout (a doc id
    missing from it found none).  Only annotated contacts of ``levels`` are in scope; an
    extracted contact that matches an annotated contact of another level is left out (neither
    right nor wrong), any other extracted contact counts against precision.

    Fields: ``contact`` (the contact is found at all), ``participants`` (names, micro-averaged
    over contacts), ``kind`` and ``date`` (the found contact has the annotated kind / day;
    contacts annotated without a day are left out of ``date``).  Also
    ``no_contact_accuracy``: the share of readouts without an in-scope contact for which the
    extractor found none.  ``errors`` lists what went wrong per readout.
    """
    levels = tuple(levels)
    tally = dict.fromkeys(
        (
            "gold",
            "pred",
            "matched",
            "gold_names",
            "pred_names",
            "names",
            "kind",
            "gold_dated",
            "pred_dated",
            "date",
            "empty",
            "empty_ok",
        ),
        0,
    )
    errors: list[dict[str, Any]] = []
    for ann in annotations:
        gold = ann.contacts_at(levels)
        others = [c for c in ann.contacts if c.level not in levels]
        pred = list(predicted.get(ann.doc_id, []))
        pairs = _pairs(gold, pred)
        paired = {pi for _, pi, _ in pairs}
        rest = [p for i, p in enumerate(pred) if i not in paired]
        out_of_scope = {pi for _, pi, _ in _pairs(others, rest)}
        extra = [p for i, p in enumerate(rest) if i not in out_of_scope]
        scored = [p for i, p in enumerate(pred) if i in paired] + extra
        tally["gold"] += len(gold)
        tally["pred"] += len(scored)
        tally["matched"] += len(pairs)
        tally["gold_names"] += sum(len(g.participants) for g in gold)
        tally["pred_names"] += sum(len(p.participants) for p in scored)
        tally["gold_dated"] += sum(g.date is not None for g in gold)
        tally["pred_dated"] += len(extra) + sum(gold[gi].date is not None for gi, _, _ in pairs)
        problems: list[str] = []
        for gi, pi, n in pairs:
            g, p = gold[gi], pred[pi]
            tally["names"] += n
            if n < len(g.participants):
                problems.append(f"participants {p.participants} for {g.participants}")
            if g.kind_ok(p.kind):
                tally["kind"] += 1
            else:
                problems.append(f"kind {p.kind!r} for {g.kind!r}")
            if g.date is not None:
                if p.date == g.date:
                    tally["date"] += 1
                else:
                    problems.append(f"date {p.date} for {g.date}")
        matched_gold = {gi for gi, _, _ in pairs}
        problems += [
            f"missed {g.kind} {g.date} {g.participants}"
            for i, g in enumerate(gold)
            if i not in matched_gold
        ]
        problems += [f"extra {p.kind} {p.date} {p.participants}" for p in extra]
        if not gold:
            tally["empty"] += 1
            tally["empty_ok"] += not extra
        if problems:
            errors.append({"doc_id": ann.doc_id, "problems": problems})
    t = tally
    scores = {
        "contact": (t["matched"], t["matched"]),
        "participants": (t["names"], t["names"]),
        "kind": (t["kind"], t["kind"]),
        "date": (t["date"], t["date"]),
    }
    dens = {
        "contact": (t["pred"], t["gold"]),
        "participants": (t["pred_names"], t["gold_names"]),
        "kind": (t["pred"], t["gold"]),
        "date": (t["pred_dated"], t["gold_dated"]),
    }
    fields = {}
    for name in FIELDS:
        precision = _ratio(scores[name][0], dens[name][0])
        recall = _ratio(scores[name][1], dens[name][1])
        f1 = None
        if precision is not None and recall is not None and precision + recall:
            f1 = 2 * precision * recall / (precision + recall)
        fields[name] = {"precision": precision, "recall": recall, "f1": f1}
    return {
        "levels": list(levels),
        "n_readouts": len(annotations),
        "n_contacts": t["gold"],
        "n_extracted": t["pred"],
        "fields": fields,
        "no_contact_accuracy": _ratio(t["empty_ok"], t["empty"]),
        "errors": errors,
    }


Extractor = Callable[[Readout], Sequence[Contact]]


def default_extractor() -> Extractor:
    """``readout_qa.contacts.extract.extract_contacts`` (ImportError while it does not exist)."""
    module = importlib.import_module("readout_qa.contacts.extract")
    extract = getattr(module, "extract_contacts", None) or getattr(module, "extract", None)
    if not callable(extract):
        raise ImportError("readout_qa.contacts.extract has no extract_contacts(readout)")
    return extract


def default_roots(root: Path = PROJECT_ROOT) -> list[Path]:
    return [root / "corpus", root.parent / "shared" / "corpora"]


def evaluate_extractor(
    extract: Extractor | None = None,
    annotations: Sequence[Annotation] | None = None,
    roots: Sequence[str | Path] | None = None,
    *,
    levels: Iterable[str] = ("leaders",),
) -> dict[str, Any]:
    """Run ``extract(readout) -> list[Contact]`` over every annotated readout (loaded as the
    product loads it) and :func:`score_extraction` the result."""
    from readout_qa.loaders import load_file

    extract = extract or default_extractor()
    annotations = load_annotations() if annotations is None else annotations
    roots = default_roots() if roots is None else roots
    predicted: dict[str, list[Contact]] = {}
    for ann in annotations:
        path = locate_doc(ann.doc_id, roots)
        if path is None:
            raise FileNotFoundError(f"annotated readout {ann.doc_id!r} not found in {roots}")
        predicted[ann.doc_id] = [c for r in load_file(path) for c in extract(r)]
    return score_extraction(annotations, predicted, levels=levels)


__all__ = [
    "DEFAULT_ANNOTATIONS",
    "FIELDS",
    "LEVELS",
    "AnnotatedContact",
    "Annotation",
    "default_extractor",
    "evaluate_extractor",
    "load_annotations",
    "score_extraction",
]
