"""Who and which countries a text is about, by rules rather than a model.

These run at ingest (over every readout) and at query time (over every question), so
they are plain precompiled regular expressions built once from data tables
(``data/*.json``): no model download, no network, and the same answer every time.

* :mod:`.countries`: countries, demonyms and abbreviations, and the rules for ambiguous
  forms ("Georgia", "Chad", "Korean", "American"), documented there.
* :mod:`.leaders`: leaders named behind a title.
* :mod:`.places`: capitals and seats of government that stand for a country, and region
  words that stand for none.

Names in questions live in :mod:`readout_qa.names` and dates in :mod:`readout_qa.dates`;
``find_names`` is re-exported here for callers that look for it with the other entities.
"""

from __future__ import annotations

from ..names import find_names
from .countries import all_countries, canonical_country, find_countries
from .leaders import find_leaders
from .places import REGION_WORDS, country_of_name, is_region_word, publisher_country

__all__ = [
    "REGION_WORDS",
    "all_countries",
    "canonical_country",
    "country_of_name",
    "find_countries",
    "find_leaders",
    "find_names",
    "is_region_word",
    "publisher_country",
]
