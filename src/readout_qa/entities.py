"""Who, which countries and which dates a text is about, by rules rather than a model.

These run at ingest (over every readout) and at query time (over every question), so
they are plain precompiled regular expressions: no model download, no network, and the
same answer every time. They are tuned for diplomatic readouts, where countries appear as
names ("Belgium"), demonyms ("Belgian"), prefixes ("Sino-Belgian") and abbreviations
("U.S.", "PRC", "ROK"), and leaders almost always appear behind a title
("Belgian Prime Minister Alexander De Croo").

Choices on ambiguous forms (documented here so callers can rely on them):

* Matching is case-sensitive: "US" is the country, "us" is a pronoun; "Turkey" is the
  country, "turkey" the bird. Forms must stand on word boundaries, so "Mali" is not found
  in "Somalia" or "normalization", nor "India" in "Indiana".
* Canonical names are friendly English ones ("Russia", "South Korea", "Iran", "Turkey",
  "Czechia"), not pycountry's formal ones; :func:`canonical_country` maps any known form
  (any case) to the canonical name, for filters typed by users.
* "Georgia" is both a country and a US state, and White House readouts use both. It counts
  as the country only when the text carries a country signal (Tbilisi, Georgian, a leader
  "of Georgia", Abkhazia/South Ossetia...) or it sits in a list next to another country;
  next to a US state name ("Alabama, Florida, Georgia") it never counts.
* "Chad" and "Jordan" are also first names ("Chad Williams, Chairman"): when directly
  followed by a capitalised word and not preceded by a preposition they are taken as a
  person, otherwise as the country.
* "Korea"/"Korean" alone mean South Korea ("Korean Peninsula"/"Korean War" mean neither).
  "Congo" alone is the Republic of the Congo (pycountry's reading); "DRC", "Congolese" and
  the long form are the Democratic Republic of the Congo.
* "American" is the United States, except in "Latin/South/North/Central American",
  "African/Asian/Native American" and similar, which are ignored. "Indian Ocean",
  "Indian Country" and "American Indian" are not India. "New Mexico", "New Jersey",
  "New England", "British Columbia" and "New South Wales" are not countries.
* "Gaza" and "West Bank" count as Palestine; "England", "Scotland", "Wales" and
  "Northern Ireland" as the United Kingdom; "Hong Kong" and "Macao" stay separate.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

__all__ = [
    "all_countries",
    "canonical_country",
    "find_countries",
    "find_dates",
    "find_leaders",
    "find_names",
]

# ---------------------------------------------------------------------------------------
# Country tables
# ---------------------------------------------------------------------------------------

# Friendly canonical names where pycountry's ``common_name``/``name`` is formal or odd.
_CANONICAL_BY_ALPHA2 = {
    "BN": "Brunei",
    "BO": "Bolivia",
    "CC": "Cocos Islands",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "CZ": "Czechia",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "GB": "United Kingdom",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SH": "Saint Helena",
    "SX": "Sint Maarten",
    "SY": "Syria",
    "TR": "Turkey",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "US": "United States",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "VN": "Vietnam",
}

# Hand table: canonical name -> extra surface forms (demonyms, variants, abbreviations).
# Plurals of demonyms ending in -an/-i ("Americans", "Israelis") are added automatically.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan",),
    "Albania": ("Albanian",),
    "Algeria": ("Algerian",),
    "Andorra": ("Andorran",),
    "Angola": ("Angolan",),
    "Argentina": ("Argentine", "Argentinian"),
    "Armenia": ("Armenian",),
    "Australia": ("Australian",),
    "Austria": ("Austrian",),
    "Azerbaijan": ("Azerbaijani", "Azeri"),
    "Bahamas": ("Bahamian", "The Bahamas"),
    "Bahrain": ("Bahraini",),
    "Bangladesh": ("Bangladeshi",),
    "Barbados": ("Barbadian",),
    "Belarus": ("Belarusian", "Belarussian"),
    "Belgium": ("Belgian",),
    "Belize": ("Belizean",),
    "Benin": ("Beninese",),
    "Bhutan": ("Bhutanese",),
    "Bolivia": ("Bolivian",),
    "Bosnia and Herzegovina": ("Bosnian", "Bosnia-Herzegovina", "Bosnia"),
    "Botswana": ("Botswanan",),
    "Brazil": ("Brazilian",),
    "Brunei": ("Bruneian", "Brunei"),
    "Bulgaria": ("Bulgarian",),
    "Burkina Faso": ("Burkinabe", "Burkinabè"),
    "Burundi": ("Burundian",),
    "Cabo Verde": ("Cape Verde", "Cabo Verdean", "Cape Verdean"),
    "Cambodia": ("Cambodian",),
    "Cameroon": ("Cameroonian",),
    "Canada": ("Canadian",),
    "Chad": ("Chadian",),
    "Chile": ("Chilean",),
    "China": ("Chinese", "PRC", "P.R.C.", "People's Republic of China", "Mainland China"),
    "Colombia": ("Colombian",),
    "Comoros": ("Comorian",),
    "Republic of the Congo": ("Congo-Brazzaville", "Congo Republic"),
    "Democratic Republic of the Congo": (
        "Democratic Republic of Congo",
        "DR Congo",
        "DRC",
        "D.R.C.",
        "Congo-Kinshasa",
        "Congolese",
    ),
    "Costa Rica": ("Costa Rican",),
    "Côte d'Ivoire": ("Cote d'Ivoire", "Ivory Coast", "Ivorian"),
    "Croatia": ("Croatian", "Croat"),
    "Cuba": ("Cuban",),
    "Cyprus": ("Cypriot",),
    "Czechia": ("Czech", "Czech Republic"),
    "Denmark": ("Danish",),
    "Djibouti": ("Djiboutian",),
    "Dominican Republic": ("Dominican",),
    "Ecuador": ("Ecuadorian", "Ecuadorean"),
    "Egypt": ("Egyptian",),
    "El Salvador": ("Salvadoran", "Salvadorean"),
    "Equatorial Guinea": ("Equatoguinean", "Equatorial Guinean"),
    "Eritrea": ("Eritrean",),
    "Estonia": ("Estonian",),
    "Eswatini": ("Swaziland", "Swazi", "Emaswati"),
    "Ethiopia": ("Ethiopian",),
    "Fiji": ("Fijian",),
    "Finland": ("Finnish",),
    "France": ("French",),
    "Gabon": ("Gabonese",),
    "Gambia": ("Gambian", "The Gambia"),
    "Georgia": ("Georgian",),
    "Germany": ("German",),
    "Ghana": ("Ghanaian",),
    "Greece": ("Greek", "Hellenic Republic"),
    "Grenada": ("Grenadian",),
    "Guatemala": ("Guatemalan",),
    "Guinea": ("Guinean",),
    "Guinea-Bissau": ("Bissau-Guinean",),
    "Guyana": ("Guyanese",),
    "Haiti": ("Haitian",),
    "Honduras": ("Honduran",),
    "Hungary": ("Hungarian",),
    "Iceland": ("Icelandic",),
    "India": ("Indian",),
    "Indonesia": ("Indonesian",),
    "Iran": ("Iranian", "Islamic Republic of Iran"),
    "Iraq": ("Iraqi",),
    "Ireland": ("Irish", "Republic of Ireland"),
    "Israel": ("Israeli",),
    "Italy": ("Italian",),
    "Jamaica": ("Jamaican",),
    "Japan": ("Japanese",),
    "Jordan": ("Jordanian",),
    "Kazakhstan": ("Kazakh", "Kazakhstani"),
    "Kenya": ("Kenyan",),
    "Kosovo": ("Kosovar", "Kosovan"),
    "Kuwait": ("Kuwaiti",),
    "Kyrgyzstan": ("Kyrgyz", "Kyrgyz Republic", "Kirghiz"),
    "Laos": ("Lao", "Laotian", "Lao PDR"),
    "Latvia": ("Latvian",),
    "Lebanon": ("Lebanese",),
    "Lesotho": ("Basotho",),
    "Liberia": ("Liberian",),
    "Libya": ("Libyan",),
    "Liechtenstein": ("Liechtensteiner",),
    "Lithuania": ("Lithuanian",),
    "Luxembourg": ("Luxembourgish", "Luxembourger"),
    "Madagascar": ("Malagasy",),
    "Malawi": ("Malawian",),
    "Malaysia": ("Malaysian",),
    "Maldives": ("Maldivian",),
    "Mali": ("Malian",),
    "Malta": ("Maltese",),
    "Marshall Islands": ("Marshallese",),
    "Mauritania": ("Mauritanian",),
    "Mauritius": ("Mauritian",),
    "Mexico": ("Mexican",),
    "Micronesia": ("Micronesian", "Federated States of Micronesia"),
    "Moldova": ("Moldovan",),
    "Monaco": ("Monegasque",),
    "Mongolia": ("Mongolian",),
    "Montenegro": ("Montenegrin",),
    "Morocco": ("Moroccan",),
    "Mozambique": ("Mozambican",),
    "Myanmar": ("Burma", "Burmese"),
    "Namibia": ("Namibian",),
    "Nauru": ("Nauruan",),
    "Nepal": ("Nepali", "Nepalese"),
    "Netherlands": ("Dutch", "Holland", "The Netherlands"),
    "New Zealand": ("New Zealander",),
    "Nicaragua": ("Nicaraguan",),
    "Niger": ("Nigerien",),
    "Nigeria": ("Nigerian",),
    "North Korea": ("DPRK", "D.P.R.K.", "North Korean", "Democratic People's Republic of Korea"),
    "North Macedonia": ("Macedonia", "Macedonian", "North Macedonian"),
    "Norway": ("Norwegian",),
    "Oman": ("Omani",),
    "Pakistan": ("Pakistani",),
    "Palau": ("Palauan",),
    "Palestine": (
        "Palestinian",
        "Palestinian Territories",
        "State of Palestine",
        "Gaza",
        "West Bank",
    ),
    "Panama": ("Panamanian",),
    "Papua New Guinea": ("Papua New Guinean",),
    "Paraguay": ("Paraguayan",),
    "Peru": ("Peruvian",),
    "Philippines": ("Philippine", "Filipino", "The Philippines"),
    "Poland": ("Polish",),
    "Portugal": ("Portuguese",),
    "Qatar": ("Qatari",),
    "Romania": ("Romanian",),
    "Russia": ("Russian", "Russian Federation"),
    "Rwanda": ("Rwandan",),
    "Samoa": ("Samoan",),
    "San Marino": ("Sammarinese",),
    "Saudi Arabia": ("Saudi", "Saudi Arabian", "KSA"),
    "Senegal": ("Senegalese",),
    "Serbia": ("Serbian", "Serb"),
    "Seychelles": ("Seychellois",),
    "Sierra Leone": ("Sierra Leonean",),
    "Singapore": ("Singaporean",),
    "Slovakia": ("Slovak", "Slovakian", "Slovak Republic"),
    "Slovenia": ("Slovenian", "Slovene"),
    "Solomon Islands": ("Solomon Islander",),
    "Somalia": ("Somali", "Somalian"),
    "South Africa": ("South African",),
    "South Korea": ("ROK", "R.O.K.", "Republic of Korea", "South Korean", "Korea", "Korean"),
    "South Sudan": ("South Sudanese",),
    "Spain": ("Spanish", "Spaniard"),
    "Sri Lanka": ("Sri Lankan",),
    "Sudan": ("Sudanese",),
    "Suriname": ("Surinamese",),
    "Sweden": ("Swedish", "Swede"),
    "Switzerland": ("Swiss",),
    "Syria": ("Syrian", "Syrian Arab Republic"),
    "Taiwan": ("Taiwanese", "Chinese Taipei"),
    "Tajikistan": ("Tajik", "Tajikistani"),
    "Tanzania": ("Tanzanian",),
    "Thailand": ("Thai",),
    "Timor-Leste": ("East Timor", "Timorese"),
    "Togo": ("Togolese",),
    "Tonga": ("Tongan",),
    "Trinidad and Tobago": ("Trinidadian", "Tobagonian"),
    "Tunisia": ("Tunisian",),
    "Turkey": ("Turkish", "Türkiye", "Turkiye", "Republic of Türkiye"),
    "Turkmenistan": ("Turkmen",),
    "Tuvalu": ("Tuvaluan",),
    "Uganda": ("Ugandan",),
    "Ukraine": ("Ukrainian",),
    "United Arab Emirates": ("UAE", "U.A.E.", "Emirati"),
    "United Kingdom": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "British",
        "Briton",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Scottish",
        "Welsh",
    ),
    "United States": (
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "United States of America",
        "America",
        "American",
    ),
    "Uruguay": ("Uruguayan",),
    "Uzbekistan": ("Uzbek", "Uzbekistani"),
    "Vanuatu": ("Ni-Vanuatu",),
    "Vatican City": ("Vatican", "Holy See"),
    "Venezuela": ("Venezuelan",),
    "Vietnam": ("Vietnamese", "Viet Nam"),
    "Yemen": ("Yemeni",),
    "Zambia": ("Zambian",),
    "Zimbabwe": ("Zimbabwean",),
}

# Phrases that contain a country form but do not mean the country: matched (so the
# shorter form inside them is not), then dropped.
_NOT_COUNTRIES = (
    "Latin America",
    "Latin American",
    "South America",
    "South American",
    "North America",
    "North American",
    "Central America",
    "Central American",
    "Americas",
    "African American",
    "Asian American",
    "Native American",
    "Arab American",
    "Mexican American",
    "American Indian",
    "Indian Ocean",
    "Indian Country",
    "Indian Affairs",
    "Indian Health Service",
    "Indian Tribes",
    "Indian Tribal",
    "Korean Peninsula",
    "Korean War",
    "Koreas",
    "New Mexico",
    "New Jersey",
    "New England",
    "New South Wales",
    "New Guinea",
    "British Columbia",
    "Gulf of Mexico",
    "Gulf of America",
    "Persian Gulf",
    "Congo Basin",
    "South Georgia",
    "Georgia Tech",
    "University of Georgia",
)

_PREFIX_FORMS = {"Sino": "China", "Russo": "Russia", "Franco": "France"}

_US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|"
    "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Atlanta|Savannah"
)
_US_STATE_NEAR = re.compile(rf"(?<!\w)(?:{_US_STATES})(?!\w)")
_GEORGIA_COUNTRY_SIGNAL = re.compile(
    r"Tbilisi|Georgian|Abkhaz|Ossetia|Zourabichvili|Garibashvili|Kobakhidze|Kavelashvili|"
    r"(?:President|Prime Minister|Minister|Government|Republic|people|Parliament) of Georgia"
)
_FIRST_NAME_COUNTRIES = {"Chad", "Jordan"}
_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:of|in|to|and|or|with|from|for|by|between|including|visit|visited|across)|,)\s*$"
)
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][a-z]")


def _fold(text: str) -> str:
    """Strip diacritics so "Türkiye" is also matched when typed as "Turkiye"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _norm_key(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("`", "'").split())


def _surface_variants(form: str) -> set[str]:
    out = {form}
    folded = _fold(form)
    out.add(folded)
    for f in list(out):
        if "'" in f:
            out.add(f.replace("'", "’"))
    return out


def _plural(form: str) -> str | None:
    if " " in form or "." in form or form.isupper():
        return None
    if form.endswith(("an", "i")) and len(form) > 4:
        return form + "s"
    return None


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, as a character trie (fast: no 900-way alternation).

    A space in a word matches any run of whitespace, so "United\\nStates" is found too.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            # Greedy optional: longer forms first, shorter if the boundary check fails.
            return "(?:" + body + ")?"
        return body

    return emit(trie)


@lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str | None], dict[str, str], re.Pattern[str], str]:
    """Build (surface form -> canonical or None, lowercase lookup, matcher, trie) once, lazily."""
    import pycountry  # imported here: building the table is the only use

    forms: dict[str, str | None] = {}
    canon_names: set[str] = set()

    def add(form: str, canonical: str | None) -> None:
        form = form.strip()
        if form.lower().startswith("the ") and form[4:5].isupper() and canonical is not None:
            form = form[4:]
        if not form:
            return
        for variant in _surface_variants(form):
            forms.setdefault(_norm_key(variant), canonical)

    # Hand-written forms first so they win over pycountry's entries on a clash.
    for phrase in _NOT_COUNTRIES:
        add(phrase, None)
        if phrase.endswith("an"):
            add(phrase + "s", None)  # "African Americans", "American Indians"
    for canonical, variants in _VARIANTS.items():
        canon_names.add(canonical)
        add(canonical, canonical)
        for v in variants:
            add(v, canonical)
            plural = _plural(v)
            if plural:
                add(plural, canonical)

    for country in pycountry.countries:
        a2 = country.alpha_2
        name = country.name
        canonical = _CANONICAL_BY_ALPHA2.get(a2) or getattr(country, "common_name", None) or name
        canonical = re.sub(r"\s*\(.*?\)", "", canonical)
        canon_names.add(canonical)
        add(canonical, canonical)
        for candidate in (name, getattr(country, "official_name", None)):
            if not candidate or "," in candidate:
                continue  # "Korea, Republic of" never appears in running text
            add(re.sub(r"\s*\(.*?\)", "", candidate), canonical)

    lookup: dict[str, str] = {}
    for form, canonical in forms.items():
        if canonical is not None:
            lookup.setdefault(form.lower(), canonical)
    for canonical in canon_names:
        lookup[canonical.lower()] = canonical
        lookup[_fold(canonical).lower()] = canonical
    for country in pycountry.countries:
        name = _CANONICAL_BY_ALPHA2.get(country.alpha_2) or getattr(country, "common_name", None)
        canonical = lookup.get(re.sub(r"\s*\(.*?\)", "", name or country.name).lower())
        if canonical:
            lookup.setdefault(country.alpha_2.lower(), canonical)
            lookup.setdefault(country.alpha_3.lower(), canonical)

    all_forms: list[str] = []
    for form in forms:
        all_forms.append(form)
        if "'" in form:
            all_forms.append(form.replace("'", "’"))
    trie = _trie_regex(sorted(set(all_forms)))
    prefixes = "|".join(_PREFIX_FORMS)
    pattern = re.compile(rf"(?<!\w)(?:(?P<name>{trie})(?!\w)|(?P<prefix>{prefixes})(?=-[A-Z]))")
    return forms, lookup, pattern, trie


def canonical_country(name: str) -> str | None:
    """Map any known form ("US", "u.s.", "Türkiye", "Korean", "GBR") to the canonical name.

    For normalising user-typed filters so they match what :func:`find_countries` stored.
    """
    lookup = _country_table()[1]
    key = _norm_key(name).lower()
    return lookup.get(key) or lookup.get(_fold(key))


def all_countries() -> list[str]:
    """Every canonical country name, sorted, for pick lists and validation."""
    forms = _country_table()[0]
    return sorted({c for c in forms.values() if c})


def _georgia_is_country(text: str, start: int, end: int, neighbours: list[str | None]) -> bool:
    window = text[max(0, start - 40) : end + 40]
    if _US_STATE_NEAR.search(window):
        return False
    if _GEORGIA_COUNTRY_SIGNAL.search(text):
        return True
    return any(n not in (None, "United States", "Georgia") for n in neighbours)


def find_countries(text: str) -> list[str]:
    """Countries a text mentions, canonical names, most-mentioned first (ties: first seen).

    Used to tag readouts at ingest (for filters and boosting) and to read countries out of
    questions; see the module docstring for how ambiguous forms are resolved.
    """
    forms, _, pattern, _ = _country_table()
    hits: list[tuple[str | None, int, int]] = []
    for m in pattern.finditer(text):
        if m.group("prefix"):
            hits.append((_PREFIX_FORMS[m.group("prefix")], m.start(), m.end()))
            continue
        surface = m.group("name")
        canonical = forms.get(_norm_key(surface))
        if canonical in _FIRST_NAME_COUNTRIES and surface == canonical:
            before = text[max(0, m.start() - 20) : m.start()]
            if _CAPITALISED_NEXT.match(text, m.end()) and not _PREPOSITION_BEFORE.search(before):
                canonical = None  # "Chad Williams, Chairman": a person
        hits.append((canonical, m.start(), m.end()))

    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, (canonical, start, end) in enumerate(hits):
        if canonical is None:
            continue
        if canonical == "Georgia" and text[start:end] == "Georgia":
            neighbours = []
            for j in (i - 1, i + 1):
                if 0 <= j < len(hits):
                    a, b = (hits[j][2], start) if j < i else (end, hits[j][1])
                    gap = text[a:b]
                    if len(gap) <= 8 and re.fullmatch(r"[\s,;]*(?:and|or)?[\s,;]*", gap):
                        neighbours.append(hits[j][0])
            if not _georgia_is_country(text, start, end, neighbours):
                continue
        counts[canonical] += 1
        first.setdefault(canonical, start)
    return sorted(counts, key=lambda c: (-counts[c], first[c]))


# ---------------------------------------------------------------------------------------
# Leaders
# ---------------------------------------------------------------------------------------


def _words(block: str) -> list[str]:
    return block.split()


_UPPER = "".join(re.escape(ch) for ch in map(chr, range(0x250)) if ch.isupper())
_U = f"[{_UPPER}]"

# Capitalised words that are never (part of) a person's name after a title.
_NON_NAME_WORDS = _words("""
A About Academy Acting Administration Adviser Advisers Advisor Advisors Affairs Africa After
Agency Agriculture Air Alliance America An And Arctic Armed Army As Asia Asian Assembly
Assistant At Atlantic Attorney Authority Bank Before Between Board Border Both Bureau But By
Cabinet Call Calls Central Chair Chairman Chairperson Chairwoman Chamber Chancellor Chief
Chiefs Civil Climate Coast Commander Commerce Commission Commissioner Committee
Communications Community Conference Congress Congressional Cooperation Corporation Council
Counsel Countries Country County Court Crown Culture Cyber Day Defence Defense Democratic
Department Deputy Development Digital Director District Duchy During Economic Economy
Education Emergency Emir Energy Envoy Environment Environmental Europe European Excellency
Executive Federal Federation First Foreign For Forces Forum From Fund General Global
Government Governor Guard Gulf He Health Hemisphere Her Highness His Homeland Honorable
House Housing Human I In Industry Information Infrastructure Innovation Institute
Intelligence Interior International Investment It Joint Jr Justice King Kingdom Labor Labour
Leader Leaders Majesty Majority Management Maritime Meeting Meetings Member Members Middle
Military Minister Ministers Ministry Minority Monetary Mr Mrs Ms Mme National Nations Natural
Navy North Northern Of Office Officer Officers On Or Organisation Organization Our Pacific
Parliament Parliamentary Party People Peoples Permanent Planning Policy Pope Premier
President Presidential Press Prime Prince Princess Program Public Quality Queen Readout
Region Regional Relations Reserve Resources Republic Royal Science Secretariat Secretary
Security Senate Senator Senior Services Sheikh Shaikh She Social South Southern Special
Speaker Sr St Staff State States Statement Strategy Sultan Summit Supreme Talks Task
Technology Telephone The Their These They This To Today Tourism Trade Transport
Transportation Treasury Treaty Union United University Urban Veterans Vice Visit We West
Western East Eastern White With Women Works World Yesterday You Youth Monday Tuesday
Wednesday Thursday Friday Saturday Sunday
""")
_NON_NAME = "(?:" + _trie_regex(sorted(set(_NON_NAME_WORDS))) + r")(?![\w'’-])"

_PARTICLE = r"(?:de|da|di|du|del|della|der|den|van|von|la|le|bin|bint|ibn|al|el|dos|das|ter|ten|zu)"
_TOKEN = (
    rf"(?:{_U}\.(?=\s)"  # an initial: "Joseph R. Biden"
    rf"|(?:(?:al|el|bin)-)?(?!{_NON_NAME}){_U}[^\W\d_]*(?:(?:-|['’](?!s(?!\w)))[^\W\d_]+)*)"
)
_NAME = rf"{_TOKEN}(?:(?:\s+{_PARTICLE})*\s+{_TOKEN}){{0,3}}"
_CAPWORD = rf"(?:{_U}[\w’'-]*)"
_ORG = rf"{_CAPWORD}(?:\s+(?:(?:and|for|of|the|on)\s+)*{_CAPWORD}){{0,5}}?"
_TITLE_WORDS = (
    r"(?:(?:Deputy|Vice|First|Acting|Former|Interim|Caretaker)\s+)*"
    r"(?:Prime\s+Minister|President(?:-elect)?|Premier|(?:Federal\s+)?Chancellor|Crown\s+Prince"
    r"|Crown\s+Princess|King|Queen|Prince|Emir|Amir|Sultan|Pope|Grand\s+Duke|Taoiseach"
    r"|Secretary(?:-General|\s+General)?|General\s+Secretary|Director(?:-General|\s+General)"
    r"|National\s+Security\s+Advis[eo]r|Chairman|Chairwoman|Chairperson|Chair|Speaker|Governor"
    r"|Senator|Ambassador|Special\s+Envoy|Chief\s+Executive|Supreme\s+Leader|Sheikh|Shaikh"
    rf"|(?:{_U}[a-z]+\s+){{0,2}}Minister)"
)
_HONORIFIC = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Mme|H\.E)\.?\s+|(?:His|Her)\s+(?:Royal\s+)?(?:Majesty|Highness|Excellency)\s+"
    r"|Sheikh\s+|Shaikh\s+|General\s+|Admiral\s+|Archbishop\s+)*"
)
_NAME_END = r"(?=['’]s(?!\w)|[^\w'’]|$)"
_CAMEL_GLUE = re.compile(r"^[^\W\d_]{4,}?[a-z](?=[A-Z][a-z])")  # "AlexanderPresident"
_LOWER_WORDS = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")


@lru_cache(maxsize=1)
def _leader_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Title-then-name and name-then-title matchers, built once (they embed the countries).

    After "of (the)", a country form is tried before a generic capitalised phrase, so
    "President of South Africa Cyril Ramaphosa" does not yield "Africa Cyril Ramaphosa".
    """
    trie = _country_table()[3]
    title = rf"{_TITLE_WORDS}(?:\s+of\s+(?:the\s+)?(?:(?:{trie})(?!\w)|{_ORG}))?"
    after = re.compile(rf"(?<![\w-])(?={_U}){title}\s+{_HONORIFIC}(?P<name>{_NAME}){_NAME_END}")
    before = re.compile(
        rf"(?<![\w'’-])(?=[{_UPPER}aeb])(?P<name>{_TOKEN}(?:(?:\s+{_PARTICLE})*\s+{_TOKEN}){{1,3}}),"
        rf"\s+(?:the\s+)?(?:{_U}[a-z]+\s+)?{title}(?![\w-])"
    )
    return after, before


def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(name.split())


def _person_key(name: str) -> str:
    """One key per person across spellings ("Joseph R. Biden"/"Joseph Biden", "Al-Sisi")."""
    tokens = [t for t in name.replace("-", " ").lower().split() if not re.fullmatch(r"\w\.", t)]
    return " ".join(tokens)


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


def _is_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(full) and (full[:n] == short or full[-n:] == short)


def _clean_name(raw: str, forms: dict[str, str | None], lower_words: set[str] | None) -> str:
    tokens = raw.split()
    # Transcript glitches: "Alexander Lukashenko Lukashenko AlexanderPresident of Belarus".
    for i, tok in enumerate(tokens):
        if _CAMEL_GLUE.match(tok):
            tokens = tokens[:i]
            break
    deduped: list[str] = []
    for tok in tokens:
        if not deduped or deduped[-1] != tok:
            deduped.append(tok)
    tokens = deduped
    # "Belgian Alexander De Croo, Prime Minister": the demonym is not part of the name.
    while tokens and _norm_key(tokens[0]) in forms:
        tokens.pop(0)
    # Title Case headlines: "... Jake Sullivan Meeting ...": a word the text also uses in
    # lower case is taken as an ordinary word, not a surname (only for 3+ word names).
    if lower_words is not None:
        while len(tokens) >= 3 and tokens[-1].lower() in lower_words:
            tokens.pop()
        while len(tokens) >= 3 and tokens[0].lower() in lower_words:
            tokens.pop(0)
    while tokens and (tokens[-1].islower() or tokens[-1] in ("Al", "El", "Bin", "Ibn")):
        tokens.pop()
    name = " ".join(tokens)
    if len(name) < 2 or _norm_key(name) in forms:
        return ""
    return name


def find_leaders(text: str) -> list[str]:
    """People named with a leader's title, full names, most-mentioned first.

    Lets retrieval and filters work on "who spoke", which readouts always put behind a
    title ("Belgian Prime Minister Alexander De Croo", "President of Ukraine Volodymyr
    Zelenskyy", "Vladimir Putin, President of Russia"). Short references ("President
    Biden", "President Xi") are folded into a fuller name found in the same text.
    """
    forms = _country_table()[0]
    after, before = _leader_patterns()
    lower_words: set[str] | None = None
    raw: list[tuple[str, int]] = []
    for regex in (after, before):
        for m in regex.finditer(text):
            found = m.group("name")
            if lower_words is None and found.count(" ") >= 2:
                lower_words = set(_LOWER_WORDS.findall(text))
            name = _clean_name(found, forms, lower_words)
            if name:
                raw.append((name, m.start("name")))
    if not raw:
        return []
    raw.sort(key=lambda item: item[1])

    first_seen: dict[str, int] = {}
    for name, pos in raw:
        first_seen.setdefault(name, pos)
    # Fold short forms into longer names: longest first so a short form finds its owner.
    owners: dict[str, str] = {}
    kept: list[str] = []
    by_key: dict[str, str] = {}
    for name in sorted(first_seen, key=lambda n: (-len(_name_tokens(n)), first_seen[n])):
        tokens = _name_tokens(name)
        owner = by_key.get(_person_key(name)) or next(
            (k for k in kept if _is_part(tokens, _name_tokens(k))), None
        )
        if owner is None:
            kept.append(name)
            owners[name] = name
            by_key.setdefault(_person_key(name), name)
        else:
            owners[name] = owners[owner]

    # Count mentions in the whole text: the full name, the short forms seen behind titles,
    # and the surname of multi-word names ("De Croo said ...").
    keys: dict[str, str] = dict(owners)
    surnames = Counter(_name_tokens(k)[-1] for k in kept if len(_name_tokens(k)) > 1)
    for k in kept:
        tokens = _name_tokens(k)
        if len(tokens) > 1 and len(tokens[-1]) > 2 and surnames[tokens[-1]] == 1:
            keys.setdefault(tokens[-1], k)
    counts: Counter[str] = Counter()
    taken: list[tuple[int, int]] = []
    for key in sorted(keys, key=len, reverse=True):  # longest first: "Joe Biden" before "Biden"
        i = text.find(key)
        while i >= 0:
            j = i + len(key)
            if not (_is_word_char(text, i - 1) or _is_word_char(text, j)) and not any(
                a <= i < b for a, b in taken
            ):
                taken.append((i, j))
                counts[keys[key]] += 1
            i = text.find(key, i + 1)
    for name in kept:  # every kept name was seen at least once behind a title
        counts[name] = max(counts[name], 1)
    first = {k: min(first_seen[s] for s, o in owners.items() if o == k) for k in kept}
    return sorted(kept, key=lambda k: (-counts[k], first[k]))


# ---------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    "(?:"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + "|(?:"
    + "|".join(sorted(_MONTH_ABBR, key=len, reverse=True))
    + r")\.?)"
)
_YEAR_RE = r"(?:19|20)\d\d"
_DATE_RE = re.compile(
    rf"(?<!\w)(?:"
    rf"(?P<iy>{_YEAR_RE})-(?P<im>\d\d)(?:-\d\d)?(?![\w-])"
    rf"|(?P<m1>{_MONTH_RE})(?![\w])\s*(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?P<y1>{_YEAR_RE})(?!\w)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})(?!\w),?\s*(?P<y2>{_YEAR_RE})(?!\w)"
    rf"|(?P<y>{_YEAR_RE})(?!\w)"
    rf")",
    re.IGNORECASE,
)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return _MONTHS.get(word) or _MONTH_ABBR[word]


def find_dates(text: str) -> list[tuple[int, int | None]]:
    """(year, month or None) for each absolute date a question names, in order.

    Steers retrieval towards readouts of that period. Relative dates ("last December")
    and months without a year are ignored: the right year is unknowable here.
    """
    out: list[tuple[int, int | None]] = []
    for m in _DATE_RE.finditer(text):
        item: tuple[int, int | None]
        if m.group("iy"):
            month = int(m.group("im"))
            item = (int(m.group("iy")), month if 1 <= month <= 12 else None)
        elif m.group("y1"):
            item = (int(m.group("y1")), _month_number(m.group("m1")))
        elif m.group("y2"):
            item = (int(m.group("y2")), _month_number(m.group("m2")))
        else:
            item = (int(m.group("y")), None)
        if item not in out:
            out.append(item)
    return out


# ---------------------------------------------------------------------------------------
# Names in questions
# ---------------------------------------------------------------------------------------

_STOPWORDS = {
    w.lower()
    for w in _words("""
What Which Who Whom Whose When Where Why How Did Do Does Is Are Was Were Has Have Had Can
Could Would Should Will Shall May Might Must The A An In On At Of For To From By With And Or
But If Then Please Tell Show List Give Find Get Summarize Summarise Describe Explain Compare
According Between During After Before About Any All Some Each Every Both This That These Those
There Their They Them He She It We You I Me My Our Your His Her Its Yes No Not Also Only Just
Readout Readouts Statement Statements Call Calls Meeting Meetings Say Said Says Discuss
Discussed Agree Agreed Mention Mentioned Was Been Being Other Another Than Latest Last First
Next Recent Recently Today Yesterday Tomorrow Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday
Friday Saturday Sunday January February March April May June July August September October
November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
""")
}
_WORD = re.compile(rf"(?:(?:al|el|bin)-)?{_U}[\w'’.-]*[\w]|{_U}\w?|[^\W\d_][\w'’-]*|\S")
_NAME_PARTICLES = {
    "de",
    "da",
    "di",
    "du",
    "del",
    "der",
    "den",
    "van",
    "von",
    "la",
    "le",
    "bin",
    "ibn",
    "al",
    "el",
}
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_PREFIX = re.compile(r"^(?:al|el|bin)-")


def find_names(text: str) -> list[str]:
    """Capitalised names and phrases in a question ("Woodside", "Li Keqiang", "De Croo").

    Used to boost readouts that contain them verbatim; question words, common verbs,
    months and days are left out, and runs of capitalised words are kept together.
    """
    phrases: list[str] = []
    current: list[str] = []
    pending_particles: list[str] = []

    def flush() -> None:
        if current:
            phrase = " ".join(current)
            if len(phrase) >= 2 and phrase not in phrases:
                phrases.append(phrase)
        current.clear()
        pending_particles.clear()

    for m in _WORD.finditer(text):
        word = m.group()
        if _NAME_PREFIX.sub("", word)[:1].isupper():
            word = _POSSESSIVE.sub("", word).rstrip(".")
            if len(word) < 2 or word.lower() in _STOPWORDS:
                flush()
                continue
            if current:
                current.extend(pending_particles)
            pending_particles.clear()
            current.append(word)
            if _POSSESSIVE.search(m.group()) or m.group().endswith("."):
                flush()
        elif current and word in _NAME_PARTICLES:
            pending_particles.append(word)
        else:
            flush()
    flush()
    return phrases


# Capitals and seats of government stand for their country in analysts' prose
# ("Ottawa's head of government", "Moscow required ..."): metonyms, not places visited.
_SEATS = {
    "washington": "United States",
    "white house": "United States",
    "moscow": "Russia",
    "kremlin": "Russia",
    "beijing": "China",
    "tokyo": "Japan",
    "ottawa": "Canada",
    "rome": "Italy",
    "ankara": "Turkey",
    "helsinki": "Finland",
    "stockholm": "Sweden",
    "new delhi": "India",
    "delhi": "India",
    "brasilia": "Brazil",
    "brasília": "Brazil",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "paris": "France",
    "elysee": "France",
    "élysée": "France",
    "berlin": "Germany",
    "london": "United Kingdom",
    "downing street": "United Kingdom",
    "seoul": "South Korea",
    "pyongyang": "North Korea",
    "tehran": "Iran",
    "jerusalem": "Israel",
    "canberra": "Australia",
    "mexico city": "Mexico",
    "madrid": "Spain",
    "warsaw": "Poland",
    "brussels": "Belgium",
    "the hague": "Netherlands",
    "vienna": "Austria",
    "budapest": "Hungary",
    "minsk": "Belarus",
    "riyadh": "Saudi Arabia",
    "cairo": "Egypt",
    "islamabad": "Pakistan",
    "hanoi": "Vietnam",
    "manila": "Philippines",
    "jakarta": "Indonesia",
    "pretoria": "South Africa",
    "nairobi": "Kenya",
    "baghdad": "Iraq",
    "damascus": "Syria",
    "kabul": "Afghanistan",
    "tbilisi": "Georgia",
    "yerevan": "Armenia",
    "baku": "Azerbaijan",
    "astana": "Kazakhstan",
    "tashkent": "Uzbekistan",
    "taipei": "Taiwan",
    "vatican": "Holy See",
    "holy see": "Holy See",
    "athens": "Greece",
    "lisbon": "Portugal",
    "copenhagen": "Denmark",
    "oslo": "Norway",
    "dublin": "Ireland",
    "bern": "Switzerland",
    "havana": "Cuba",
    "caracas": "Venezuela",
    "bogota": "Colombia",
    "bogotá": "Colombia",
    "buenos aires": "Argentina",
    "santiago": "Chile",
    "lima": None,
}
# Region adjectives name no one in particular: "his European counterpart".
REGION_WORDS = frozenset(
    "european nordic atlantic asian african arab western eastern pacific baltic balkan "
    "caribbean latin middle gulf central northern southern transatlantic".split()
)


def country_of_name(name: str) -> str | None:
    """The country a name stands for: itself, a demonym, or a capital ("Ottawa")."""
    key = name.strip().lower()
    if key in _SEATS:
        return _SEATS[key]
    return canonical_country(name)


def is_region_word(name: str) -> bool:
    return name.strip().lower() in REGION_WORDS
