"""Who is who across readouts: spellings, transliterations, word order and short forms
are one person; different people sharing a word stay apart."""

from __future__ import annotations

from readout_qa.contacts.people import People, name_key


def people(*sightings: tuple[str, str, str]) -> People:
    return People(sightings)


def test_name_keys_fold_accents_initials_particles_and_transliterations():
    assert name_key("Joseph R. Biden, Jr.") == ("joseph", "biden")
    assert name_key("Recep Tayyıp Erdoğan") == name_key("Recep Tayyip Erdogan")
    assert name_key("Volodymyr Zelenskyy") == ("volodymyr", "zelensky")
    assert name_key("Mohammed bin Salman") == ("mohammed", "salman")


def test_variants_of_one_leader_are_one_person():
    p = people(
        ("Volodymyr Zelenskyy", "President", "Ukraine"),
        ("Volodymyr Zelenskyy", "President", "Ukraine"),
        ("Vladimir Zelensky", "President", "Ukraine"),  # the Kremlin's transliteration
        ("Zelenskyy", "President", "Ukraine"),
        ("Recep Tayyip Erdoğan", "President", "Turkey"),
        ("Recep Tayyip Erdogan", "President", "Turkey"),
        ("Erdogan", "President", "Turkey"),
        ("Kishida Fumio", "Prime Minister", "Japan"),
        ("Fumio Kishida", "Prime Minister", "Japan"),
        ("Xi Jinping", "President", "China"),
        ("Xi", "President", "China"),
        ("Joseph R. Biden", "President", "United States"),
        ("Joe Biden", "President", "United States"),
    )
    assert p.of("Vladimir Zelensky") is p.of("Zelenskyy") is p.of("Volodymyr Zelenskyy")
    assert p.of("Vladimir Zelensky").name == "Volodymyr Zelenskyy"  # named most often
    assert p.of("Erdogan") is p.of("Recep Tayyip Erdoğan")
    assert p.of("Kishida Fumio") is p.of("Fumio Kishida")
    assert p.of("Xi").name == "Xi Jinping"
    assert p.of("Joe Biden") is p.of("Joseph R. Biden")
    assert len(p.persons) == 5


def test_different_people_sharing_a_word_stay_apart():
    p = people(
        ("Li Keqiang", "Premier", "China"),
        ("Li Qiang", "Premier", "China"),
        ("Kim Jong Un", "Chairman", "North Korea"),
        ("Kim Sung-han", "National Security Advisor", "South Korea"),
        ("Mohamed bin Zayed Al Nahyan", "President", "United Arab Emirates"),
        ("Abdullah bin Zayed Al Nahyan", "Foreign Minister", "United Arab Emirates"),
        ("bin Zayed Al Nahyan", "", ""),  # a short form must not join the two brothers
        ("Joseph R. Biden", "President", "United States"),
        ("Jill Biden", "First Lady", "United States"),
    )
    assert p.of("Li Keqiang") is not p.of("Li Qiang")
    assert p.of("Kim Jong Un") is not p.of("Kim Sung-han")
    assert p.of("Mohamed bin Zayed Al Nahyan") is not p.of("Abdullah bin Zayed Al Nahyan")
    assert p.of("Jill Biden") is not p.of("Joseph R. Biden")


def test_a_typed_name_in_any_form_finds_the_person():
    p = people(
        ("Volodymyr Zelenskyy", "President", "Ukraine"),
        ("Xi Jinping", "President", "China"),
        ("Joseph R. Biden", "President", "United States"),
        ("Kamala Harris", "Vice President", "United States"),
        ("Kamala Harris", "Vice President", "United States"),
        ("Simon Harris", "Taoiseach", "Ireland"),
        ("Francis", "Pope", ""),
    )
    assert [x.name for x in p.match("Zelensky")] == ["Volodymyr Zelenskyy"]
    assert [x.name for x in p.match("President Xi")] == ["Xi Jinping"]
    assert [x.name for x in p.match("Joe Biden")] == ["Joseph R. Biden"]
    assert p.match("Vice President Harris")[0].name == "Kamala Harris"  # named most often
    assert p.match("Simon Harris")[0].name == "Simon Harris"  # the whole name wins
    assert p.match("Kim Jong Un") == []
    assert p.of("Francis").name == "Pope Francis"  # a one-word name keeps its title


def test_a_name_once_stated_with_a_neighbours_country_is_still_one_person():
    """A sentence naming a Saudi and an Emirati gave "Mohammed bin Salman" the Emirates
    once: a shared country is enough, so the two governments' forms stay one person."""
    p = people(
        ("Mohammed bin Salman Al Saud", "Crown Prince", "Saudi Arabia"),
        ("Mohammed bin Salman Al Saud", "Crown Prince", "Saudi Arabia"),
        ("Mohammed bin Salman", "Crown Prince", "United Arab Emirates"),  # a tie: seen first
        ("Mohammed bin Salman", "Crown Prince", "Saudi Arabia"),
        ("Mohamed bin Zayed Al Nahyan", "President", "United Arab Emirates"),
    )
    assert p.of("Mohammed bin Salman") is p.of("Mohammed bin Salman Al Saud")
    assert p.of("Mohammed bin Salman") is not p.of("Mohamed bin Zayed Al Nahyan")


def test_names_stated_only_with_different_countries_stay_apart():
    p = people(
        ("Mohammed bin Salman", "Crown Prince", "Saudi Arabia"),
        ("Mohammed bin Salman Al Khalifa", "Prince", "Bahrain"),
    )
    assert p.of("Mohammed bin Salman") is not p.of("Mohammed bin Salman Al Khalifa")


def test_a_legislator_with_a_leaders_surname_is_someone_else():
    """ "Speaker Johnson" met the President; readouts also call the Prime Minister "Johnson"."""
    p = people(
        ("Boris Johnson", "Prime Minister", "United Kingdom"),
        ("Johnson", "Prime Minister", "United Kingdom"),
        ("Johnson", "Speaker", ""),
    )
    assert p.of("Johnson", "Prime Minister") is p.of("Boris Johnson")
    assert p.of("Johnson", "Speaker") is not p.of("Boris Johnson")
    assert p.of("Johnson", "Speaker").name == "Speaker Johnson"
