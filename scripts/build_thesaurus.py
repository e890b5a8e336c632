"""Build the offline thesaurus (src/readout_qa/data/thesaurus.json.gz) from WordNet 3.0.

A development tool, not run by the product: the thesaurus ships inside the package, so
answering needs no download and no Debian package at run time. It reads the WordNet
database files (Debian: ``apt-get install wordnet-base``, /usr/share/wordnet) and the
vocabulary of readouts (``--corpus``), and keeps, for every WordNet word or phrase, the
related words readouts actually use: synonyms (same synset), direct hypernyms of nouns
("chip" -> "semiconductor"), and derivationally related forms ("phone" -> "telephone").

    python scripts/build_thesaurus.py --corpus corpus --corpus ../shared/corpora

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved (licence:
src/readout_qa/data/WORDNET_LICENSE).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from readout_qa.loaders import load_paths
from readout_qa.terms import stem, words

POS = ("noun", "verb", "adj", "adv")
MAX_SENSES = 3
MIN_HYPERNYM_DEPTH = 5


def read_synsets(root: Path) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """offset+pos -> (lemmas, hypernym keys, derived keys) from WordNet's data.* files."""
    synsets: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for pos in POS:
        for line in (root / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # licence header
            fields = line.split(" | ")[0].split()
            offset, ss_type = fields[0], fields[2]
            n_words = int(fields[3], 16)
            lemmas = [
                re.sub(r"\(.*\)$", "", w).replace("_", " ").lower()
                for w in fields[4 : 4 + 2 * n_words : 2]
            ]
            i = 4 + 2 * n_words
            n_ptrs = int(fields[i])
            hypernyms, derived = [], []
            for p in range(n_ptrs):
                symbol, target, target_pos = fields[i + 1 + 4 * p : i + 4 + 4 * p]
                target_key = f"{target}{target_pos.replace('s', 'a')}"
                if symbol in ("@", "@i"):
                    hypernyms.append(target_key)
                elif symbol == "+":
                    derived.append(target_key)
            synsets[f"{offset}{ss_type.replace('s', 'a')}"] = (lemmas, hypernyms, derived)
    return synsets


def read_senses(root: Path, max_senses: int) -> dict[str, list[str]]:
    """lemma -> its synset keys, most frequent sense first, ``max_senses`` per part of speech."""
    senses: dict[str, list[str]] = defaultdict(list)
    for pos, tag in (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r")):
        for line in (root / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, synset_cnt, p_cnt = fields[0], int(fields[2]), int(fields[3])
            offsets = fields[6 + p_cnt : 6 + p_cnt + synset_cnt]
            senses[lemma.replace("_", " ").lower()] += [f"{o}{tag}" for o in offsets[:max_senses]]
    return senses


def depths(synsets: dict[str, tuple[list[str], list[str], list[str]]]) -> dict[str, int]:
    """Distance of each noun synset from the root along hypernyms (shortest path)."""
    memo: dict[str, int] = {}

    def depth(k: str, seen: frozenset[str] = frozenset()) -> int:
        if k not in memo:
            ups = [h for h in synsets.get(k, ([], [], []))[1] if h not in seen]
            memo[k] = 0 if not ups else 1 + min(depth(h, seen | {k}) for h in ups)
        return memo[k]

    for k in synsets:
        if k.endswith("n"):
            depth(k)
    return memo


def key(phrase: str) -> str:
    return " ".join(stem(w) for w in words(phrase))


def vocabulary(corpora: list[Path], min_count: int) -> set[str]:
    readouts, _ = load_paths(corpora, entities=False)
    counts = Counter(stem(w) for r in readouts for w in words(f"{r.title}\n{r.text}"))
    return {w for w, n in counts.items() if n >= min_count}


def build(root: Path, vocab: set[str]) -> dict[str, list[str]]:
    synsets = read_synsets(root)
    depth = depths(synsets)
    table: dict[str, set[str]] = defaultdict(set)
    for lemma, senses in read_senses(root, MAX_SENSES).items():
        k = key(lemma)
        if not k:
            continue
        near: set[str] = set()
        for sense in senses:
            lemmas, hypernyms, _derived = synsets.get(sense, ([], [], []))
            near.update(lemmas)
            for h in hypernyms:
                if depth.get(h, 0) >= MIN_HYPERNYM_DEPTH:
                    near.update(synsets[h][0])
        for p in near:
            pk = key(p)
            if pk and pk != k and all(w in vocab for w in pk.split()):
                table[k].add(pk)
    return {k: sorted(v) for k, v in sorted(table.items()) if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--corpus", type=Path, action="append", required=True)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("src/readout_qa/data/thesaurus.json.gz"))
    args = parser.parse_args()
    table = build(args.wordnet, vocabulary(args.corpus, args.min_count))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(table, fh, separators=(",", ":"), sort_keys=True)
    print(f"{len(table)} entries -> {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
