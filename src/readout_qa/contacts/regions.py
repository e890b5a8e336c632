"""Regions and groups of countries a question names its counterparts by.

"Which Latin American leaders did Putin talk to?", "Biden's calls with Baltic leaders",
"CSTO heads of state", "EU leaders": the counterparts are asked for by where they come
from, not by name. This table says which countries each word covers, so the question
reader can turn the phrase into a condition on a counterpart's country, one rule for every
region and group instead of a rule per phrasing. Countries are written as
:func:`readout_qa.entities.canonical_country` writes them (a unit test checks each one).

Group memberships are those of 2021-2025, the readouts' years (BRICS before its 2024
enlargement, which is listed apart as "BRICS+" members under ``brics``: a question about
2024 BRICS leaders means the enlarged group).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..entities import canonical_country, country_of_name

__all__ = ["REGIONS", "find_region"]

_LATIN = (
    "Argentina Bolivia Brazil Chile Colombia Ecuador Paraguay Peru Uruguay Venezuela Mexico "
    "Guatemala Honduras Nicaragua Costa_Rica Panama El_Salvador Cuba Dominican_Republic"
)
_CARIBBEAN = (
    "Antigua_and_Barbuda Bahamas Barbados Belize Cuba Dominica Dominican_Republic Grenada "
    "Guyana Haiti Jamaica Saint_Kitts_and_Nevis Saint_Lucia "
    "Saint_Vincent_and_the_Grenadines Suriname Trinidad_and_Tobago"
)
_CENTRAL_AMERICA = "Belize Costa_Rica El_Salvador Guatemala Honduras Nicaragua Panama"
_SOUTH_AMERICA = (
    "Argentina Bolivia Brazil Chile Colombia Ecuador Guyana Paraguay Peru Suriname Uruguay "
    "Venezuela"
)
_AFRICA = (
    "Algeria Angola Benin Botswana Burkina_Faso Burundi Cameroon Cabo_Verde "
    "Central_African_Republic Chad Comoros Congo Côte_d'Ivoire Djibouti Egypt "
    "Equatorial_Guinea Eritrea Eswatini Ethiopia Gabon Gambia Ghana Guinea Guinea-Bissau "
    "Kenya Lesotho Liberia Libya Madagascar Malawi Mali Mauritania Mauritius Morocco "
    "Mozambique Namibia Niger Nigeria Rwanda Senegal Seychelles Sierra_Leone Somalia "
    "South_Africa South_Sudan Sudan Tanzania Togo Tunisia Uganda Zambia Zimbabwe "
    "Democratic_Republic_of_the_Congo"
)
_MIDDLE_EAST = (
    "Bahrain Egypt Iran Iraq Israel Jordan Kuwait Lebanon Oman Palestine Qatar Saudi_Arabia "
    "Syria Turkey United_Arab_Emirates Yemen"
)
_GULF = "Bahrain Kuwait Oman Qatar Saudi_Arabia United_Arab_Emirates"
_ARAB = (
    "Algeria Bahrain Comoros Djibouti Egypt Iraq Jordan Kuwait Lebanon Libya Mauritania Morocco "
    "Oman Palestine Qatar Saudi_Arabia Somalia Sudan Syria Tunisia United_Arab_Emirates Yemen"
)
_CENTRAL_ASIA = "Kazakhstan Kyrgyzstan Tajikistan Turkmenistan Uzbekistan"
_BALTIC = "Estonia Latvia Lithuania"
_NORDIC = "Denmark Finland Iceland Norway Sweden"
_BALKAN = (
    "Albania Bosnia_and_Herzegovina Bulgaria Croatia Greece Kosovo Montenegro North_Macedonia "
    "Romania Serbia Slovenia"
)
_EU = (
    "Austria Belgium Bulgaria Croatia Cyprus Czechia Denmark Estonia Finland France Germany "
    "Greece Hungary Ireland Italy Latvia Lithuania Luxembourg Malta Netherlands Poland "
    "Portugal Romania Slovakia Slovenia Spain Sweden"
)
_EUROPE = _EU + (
    " Albania Andorra Belarus Bosnia_and_Herzegovina Iceland Kosovo Liechtenstein Moldova "
    "Monaco Montenegro North_Macedonia Norway San_Marino Serbia Switzerland Ukraine "
    "United_Kingdom Holy_See"
)
_NATO = (
    "Albania Belgium Bulgaria Canada Croatia Czechia Denmark Estonia Finland France Germany "
    "Greece Hungary Iceland Italy Latvia Lithuania Luxembourg Montenegro Netherlands "
    "North_Macedonia Norway Poland Portugal Romania Slovakia Slovenia Spain Sweden Turkey "
    "United_Kingdom United_States"
)
_ASEAN = "Brunei Cambodia Indonesia Laos Malaysia Myanmar Philippines Singapore Thailand Vietnam"
_EAST_ASIA = "China Japan Mongolia North_Korea South_Korea Taiwan"
_SOUTH_ASIA = "Afghanistan Bangladesh Bhutan India Maldives Nepal Pakistan Sri_Lanka"
_PACIFIC_ISLANDS = (
    "Fiji Kiribati Marshall_Islands Micronesia Nauru Palau Papua_New_Guinea Samoa "
    "Solomon_Islands Tonga Tuvalu Vanuatu"
)
_CSTO = "Russia Armenia Belarus Kazakhstan Kyrgyzstan Tajikistan"
_CIS = "Russia Armenia Azerbaijan Belarus Kazakhstan Kyrgyzstan Moldova Tajikistan Uzbekistan"
_BRICS = "Brazil Russia India China South_Africa Egypt Ethiopia Iran United_Arab_Emirates"
_G7 = "Canada France Germany Italy Japan United_Kingdom United_States"
_QUAD = "Australia India Japan United_States"
_B9 = "Bulgaria Czechia Estonia Hungary Latvia Lithuania Poland Romania Slovakia"
_SCO = "China India Iran Kazakhstan Kyrgyzstan Pakistan Russia Tajikistan Uzbekistan"


def _split(countries: str) -> frozenset[str]:
    """The countries of a space-separated list (words of one name joined by "_"), each as
    the entities module writes it."""
    names = (w.replace("_", " ") for w in countries.split())
    return frozenset(canonical_country(n) or n for n in names)


def _table() -> dict[str, frozenset[str]]:
    raw = {
        "latin american|latin america|latam": _LATIN,
        "south american|south america": _SOUTH_AMERICA,
        "central american|central america": _CENTRAL_AMERICA,
        "caribbean": _CARIBBEAN,
        "african|africa": _AFRICA,
        "middle eastern|middle east|mideast": _MIDDLE_EAST,
        "gulf|gcc": _GULF,
        "arab": _ARAB,
        "central asian|central asia": _CENTRAL_ASIA,
        "baltic|baltics": _BALTIC,
        "nordic|scandinavian": _NORDIC,
        "balkan|balkans|western balkans": _BALKAN,
        "eu|european union": _EU,
        "european|europe": _EUROPE,
        "nato|allied": _NATO,
        "asean|southeast asian|south-east asian": _ASEAN,
        "east asian|east asia": _EAST_ASIA,
        "south asian|south asia": _SOUTH_ASIA,
        "asian|asia|asia-pacific|indo-pacific": " ".join(
            (_EAST_ASIA, _ASEAN, _SOUTH_ASIA, _CENTRAL_ASIA)
        ),
        "pacific island|pacific islands": _PACIFIC_ISLANDS,
        "csto": _CSTO,
        "cis|post-soviet": _CIS,
        "brics": _BRICS,
        "g7|g-7": _G7,
        "quad": _QUAD,
        "bucharest nine|b9": _B9,
        "sco|shanghai cooperation organisation|shanghai cooperation organization": _SCO,
    }
    out: dict[str, frozenset[str]] = {}
    for keys, countries in raw.items():
        for key in keys.split("|"):
            out[key] = _split(countries)
    return out


REGIONS: dict[str, frozenset[str]] = _table()

# A region or group word, then (a few words later) a word for its leaders: "Latin American
# leaders", "Baltic heads of state", "EU counterparts", "CSTO member states' leaders".
_HEADS = (
    r"(?:leaders?|heads?\s+of\s+(?:state|government)|heads|counterparts?|presidents?"
    r"|prime\s+ministers?|allies|partners|members?|member\s+states|states|countries|nations"
    r"|governments?|rulers?|monarch(?:s|ies)|royals|kings|emirs|kingdoms|sheikhdoms)"
)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = sorted(REGIONS, key=len, reverse=True)
    names = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    # "Gulf Arab monarchies", "European NATO allies": region words one after another
    return re.compile(
        rf"(?<![\w-])(?P<region>(?:{names})(?:\s+(?:{names}))*)(?![\w-])"
        rf"(?!\s+(?:Commission|Council|Parliament"
        rf"|Central\s+Bank|Court))(?:['’]s)?\s+(?:[\w'’-]+\s+){{0,2}}?{_HEADS}\b",
        re.IGNORECASE,
    )


def find_region(question: str) -> tuple[str, frozenset[str], tuple[int, int]] | None:
    """The region or group the question asks for leaders of: (the words as written, its
    countries, their span in the question), or None."""
    for m in _pattern().finditer(question):
        before = " ".join(question[: m.start()].split()[-1:])
        after = re.sub(r"['’]s$", "", " ".join(question[m.end("region") :].split()[:1]))
        region = m.group("region")
        if any(
            country_of_name(" ".join(filter(None, words)))
            for words in ((before, region), (before, region, after), (region, after))
        ):
            continue  # "South African President", "the Central African Republic": a country
        return m.group("region"), _countries_of(m.group("region")), m.span("region")
    return None


def _countries_of(words: str) -> frozenset[str]:
    """The countries of region words written one after another: those of every one of
    them ("Gulf Arab": the Gulf's, which are Arab), or of the first when none is in all."""
    text = " ".join(words.lower().split())
    keys: list[str] = []
    while text:
        key = next(k for k in sorted(REGIONS, key=len, reverse=True) if _opens(text, k))
        keys.append(key)
        text = text[len(key) :].strip()
    common = frozenset.intersection(*(REGIONS[k] for k in keys))
    return common or REGIONS[keys[0]]


def _opens(text: str, key: str) -> bool:
    return text == key or text.startswith(f"{key} ")
