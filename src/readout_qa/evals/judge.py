"""Optional LLM judge for evaluation reports (``readout-qa eval --judge openai``).

The deterministic metrics match gold facts as strings, which misses a fact stated in other words;
a judge model adds two graded views of each answer, 0-1:

* ``judge_faithfulness`` -- the share of the answer's sentences supported by the quotes it cites
  (``prompts/judge_faithfulness.txt``); not applicable to refusals.
* ``judge_correctness`` -- the share of gold facts the answer states in any wording
  (``prompts/judge_correctness.txt``); answerable items only, a refusal scores 0 without a call.

The model is the one ``Settings.from_env().llm`` configures (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``, ``READOUT_QA_LLM_MODEL``), the prompts come from ``Settings.prompts_dir``.
A reply that is not a score is recorded in ``meta.judge.errors`` and that score left out; a
failing server stops the run with :class:`JudgeError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from readout_qa.config import DEFAULT_PROMPTS_DIR, Settings
from readout_qa.prompts import PromptError, render_prompt

from .metrics import JUDGE_METRICS, mean

FAITHFULNESS_PROMPT = "judge_faithfulness.txt"
CORRECTNESS_PROMPT = "judge_correctness.txt"
_PLACEHOLDERS = {
    FAITHFULNESS_PROMPT: ("question", "answer", "quotes"),
    CORRECTNESS_PROMPT: ("question", "facts", "answer"),
}
JUDGES = ("openai",)
JUDGE_MAX_TOKENS = 400


class JudgeError(RuntimeError):
    """The judge cannot run (no API key, a prompt is missing, the server fails).

    Not a ``ValueError``: those mean "this one reply was unreadable" and only drop one score.
    """


class Scorer(Protocol):
    """What the judge needs of a chat model (``readout_qa.llm_client.ChatLLM`` has it)."""

    def complete(self, messages: list[dict[str, Any]], *, max_tokens: int | None = ...) -> str: ...


_FENCE_RE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
_NUMBER_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_score(reply: str) -> tuple[float, dict[str, Any]]:
    """The score in a judge reply (a JSON object with ``score``, or a bare number), clamped to
    0..1, and the parsed object; raises ``ValueError`` when there is none.

    Lenient about fences and surrounding prose, because models add them whatever they are told.
    """
    text = _FENCE_RE.sub("", reply.strip()).strip()
    bare = _NUMBER_RE.match(text)
    if bare:
        return min(1.0, max(0.0, float(bare.group(1)))), {}
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError(f"no JSON object in the judge's reply: {text[:200]!r}")
    try:
        obj = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"the judge's reply is not valid JSON ({exc.msg}): {text[:200]!r}"
        ) from None
    score = obj.get("score") if isinstance(obj, dict) else None
    if isinstance(score, str):
        try:
            score = float(score)
        except ValueError:
            score = None
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise ValueError(f"the judge's reply has no numeric 'score': {text[:200]!r}")
    return min(1.0, max(0.0, float(score))), obj


def _quotes(entry: Mapping[str, Any]) -> str:
    blocks = []
    for c in entry.get("citations", []):
        head = f"[{c['n']}] ({c.get('title') or c['doc_id']}, {c.get('date') or 'undated'})"
        blocks.append(f"{head}\n{c['quote']}")
    return "\n\n".join(blocks) or "(none)"


def _facts(entry: Mapping[str, Any]) -> str:
    return "\n".join(f"- {' | '.join(fact)}" for fact in entry.get("expected_facts", []))


def _question(entry: Mapping[str, Any]) -> str:
    turns = entry.get("history") or []
    if not turns:
        return entry["question"]
    earlier = "\n".join(f"(earlier question: {t['question']})" for t in turns)
    return f"{earlier}\n{entry['question']}"


class Judge:
    """Grades report items with a chat model.

    ``failures`` are the exceptions of ``llm`` that mean the server failed; they become
    :class:`JudgeError`.  :meth:`from_env` passes the client's ``LLMError``, so this module
    does not import the client unless a judge is actually wanted.
    """

    def __init__(
        self,
        llm: Scorer,
        name: str = "",
        *,
        prompts_dir: Path = DEFAULT_PROMPTS_DIR,
        failures: tuple[type[Exception], ...] = (),
    ) -> None:
        self.llm = llm
        self.name = name or getattr(llm, "name", "")
        self.prompts_dir = Path(prompts_dir)
        self.failures = failures

    @classmethod
    def from_env(cls, kind: str = "openai", settings: Settings | None = None) -> Judge:
        """The judge configured by ``settings`` (default: the environment).

        Raises :class:`JudgeError` without an API key or with a broken prompt, so that the
        problem shows before the run, not after it.
        """
        if kind not in JUDGES:
            raise JudgeError(f"unknown judge {kind!r} (expected one of: {', '.join(JUDGES)})")
        try:
            settings = settings or Settings.from_env()
        except ValueError as exc:
            raise JudgeError(str(exc)) from None
        if settings.llm is None:
            raise JudgeError(
                "--judge openai needs OPENAI_API_KEY (and OPENAI_BASE_URL for an "
                "OpenAI-compatible server other than OpenAI); the offline metrics need no judge"
            )
        for name in _PLACEHOLDERS:  # fail before the run, not after it
            _render(settings.prompts_dir, name)
        from readout_qa.llm_client import ChatLLM, LLMError

        return cls(
            ChatLLM(settings.llm),
            name=f"{kind}:{settings.llm.model}",
            prompts_dir=settings.prompts_dir,
            failures=(LLMError,),
        )

    def _ask(self, prompt: str) -> tuple[float, dict[str, Any]]:
        try:
            reply = self.llm.complete(
                [{"role": "user", "content": prompt}], max_tokens=JUDGE_MAX_TOKENS
            )
        except self.failures as exc:
            raise JudgeError(f"the judge failed: {exc}") from exc
        return parse_score(reply)

    def faithfulness(self, entry: Mapping[str, Any]) -> tuple[float | None, dict[str, Any]]:
        """Share of the answer's sentences its cited quotes support (None for a refusal)."""
        if entry.get("refused"):
            return None, {}
        prompt = _render(
            self.prompts_dir,
            FAITHFULNESS_PROMPT,
            question=_question(entry),
            answer=entry["answer"],
            quotes=_quotes(entry),
        )
        return self._ask(prompt)

    def correctness(self, entry: Mapping[str, Any]) -> tuple[float | None, dict[str, Any]]:
        """Share of the gold facts the answer states (None for unanswerable items)."""
        if not entry.get("answerable"):
            return None, {}
        if entry.get("refused"):
            return 0.0, {"reason": "refused"}
        prompt = _render(
            self.prompts_dir,
            CORRECTNESS_PROMPT,
            question=_question(entry),
            facts=_facts(entry),
            answer=entry["answer"],
        )
        return self._ask(prompt)

    def judge_entry(self, entry: dict[str, Any], errors: list[str]) -> None:
        """Add both judge scores to one report item (in place); an unreadable reply leaves its
        score ``None`` and a line in ``errors`` rather than stopping the run."""
        notes: dict[str, Any] = {}
        for metric, grade in (
            ("judge_faithfulness", self.faithfulness),
            ("judge_correctness", self.correctness),
        ):
            try:
                score, detail = grade(entry)
            except ValueError as exc:
                score, detail = None, {}
                errors.append(f"{entry['id']} {metric}: {exc}")
            entry["metrics"][metric] = score
            if detail:
                notes[metric.removeprefix("judge_")] = detail
        if notes:
            entry["judge"] = notes

    def judge_report(
        self,
        report: dict[str, Any],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> dict[str, Any]:
        """Add judge scores to every item of ``report`` and their means to ``overall`` and
        ``by_kind`` (in place; also returned)."""
        items = report.get("items", [])
        errors: list[str] = []
        for done, entry in enumerate(items):
            if progress is not None:
                progress(done, len(items), entry["id"])
            self.judge_entry(entry, errors)
        if progress is not None:
            progress(len(items), len(items), "")
        add_means(report)
        report.setdefault("meta", {})["judge"] = {"model": self.name, "errors": errors}
        return report


def _render(prompts_dir: Path, name: str, **values: str) -> str:
    """Prompt ``name`` filled in; a missing file or placeholder is a :class:`JudgeError` (not a
    ``ValueError``, which would pass for one unreadable reply)."""
    try:
        return render_prompt(prompts_dir, name, required=_PLACEHOLDERS[name], **values)
    except PromptError as exc:
        raise JudgeError(str(exc)) from None


def add_means(report: dict[str, Any]) -> None:
    """Set the judge metrics of ``overall``, each kind and each part of the gold set (and its
    kinds) to the means of the items' scores."""
    items = report.get("items", [])

    def fill(overall: dict[str, Any], by_kind: dict[str, Any], chosen: list) -> None:
        for metric in JUDGE_METRICS:
            overall[metric] = mean([e["metrics"].get(metric) for e in chosen])
            for kind, block in by_kind.items():
                block[metric] = mean(
                    [e["metrics"].get(metric) for e in chosen if e["kind"] == kind]
                )

    fill(report["overall"], report.get("by_kind", {}), items)
    for part, block in (report.get("by_split") or {}).items():
        chosen = [e for e in items if e.get("split") == part]
        fill(block, block.get("by_kind", {}), chosen)
