"""The reference data shipped with the bot: ten committees (Annex I of the note) and 195 States."""

from __future__ import annotations

import unicodedata

import pytest

from storage.reference import (
    Committee,
    CommitteeCode,
    canonical_state,
    committee,
    committees,
    find_states,
    states,
)

EXPECTED_CODES = ["CCPR", "CESCR", "CAT", "CERD", "CEDAW", "SPT", "CRC", "CMW", "CRPD", "CED"]
OBSERVERS = {"Holy See", "State of Palestine"}


def sort_key(name: str) -> str:
    """The rule stated on the first line of states.txt: accents removed, casefolded."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- committees -------------------------------------------------------------------------------


def test_ten_committees_in_the_notes_order() -> None:
    assert [c.code for c in committees()] == EXPECTED_CODES
    assert all(isinstance(c.code, CommitteeCode) for c in committees())
    assert [c.code.value for c in committees()] == [code.value for code in CommitteeCode]


def test_every_committee_is_complete() -> None:
    for item in committees():
        assert isinstance(item, Committee)
        for text in (item.name, item.treaty, item.focal_point, item.practice):
            assert isinstance(text, str)
            assert text.strip() == text
            assert text
        for flag in (
            item.own_guidelines,
            item.functions_defined,
            item.publishes_letters,
            item.publishes_replies,
        ):
            assert isinstance(flag, bool)
        # Nobody posts States' replies without posting its own letters.
        assert item.publishes_letters or not item.publishes_replies
    names = [c.name for c in committees()]
    assert len(set(names)) == len(names)


def test_cat_publishes_letters_and_replies() -> None:
    cat = committee("CAT")
    assert cat.publishes_letters
    assert cat.publishes_replies


def test_cerd_publishes_letters_only() -> None:
    cerd = committee("CERD")
    assert cerd.publishes_letters
    assert not cerd.publishes_replies


@pytest.mark.parametrize("code", ["CCPR", "CEDAW"])
def test_ccpr_and_cedaw_publish_nothing(code: str) -> None:
    item = committee(code)
    assert not item.publishes_letters
    assert not item.publishes_replies


def test_cescr_bureau_is_focal_point() -> None:
    assert "bureau" in committee("CESCR").focal_point.casefold()


def test_names_and_treaties() -> None:
    assert committee("cat").name == "Committee against Torture"
    assert committee("CCPR").name == "Human Rights Committee"
    assert committee("SPT").name == (
        "Subcommittee on Prevention of Torture and Other Cruel, Inhuman or Degrading "
        "Treatment or Punishment"
    )
    assert committee("CAT").treaty.startswith("Convention against Torture")
    assert committee("SPT").treaty.startswith("Optional Protocol to the Convention against Torture")


def test_committee_lookup_is_case_and_space_insensitive() -> None:
    assert committee("  cerd ") is committee("CERD")
    assert committee("Cedaw").code == CommitteeCode.CEDAW


def test_unknown_committee_raises_key_error() -> None:
    with pytest.raises(KeyError):
        committee("UPR")


# --- States -----------------------------------------------------------------------------------


def test_195_states_without_duplicates() -> None:
    names = states()
    assert len(names) == 195
    assert len(set(names)) == 195
    assert OBSERVERS.issubset(names)
    assert len(set(names) - OBSERVERS) == 193
    assert all(name == name.strip() and name for name in names)
    assert not any(name.startswith("#") for name in names)


def test_states_are_sorted_by_the_stated_rule() -> None:
    names = list(states())
    assert names == sorted(names, key=sort_key)
    # Accented names sit where their unaccented spelling would.
    assert names.index("Costa Rica") < names.index("Côte d'Ivoire") < names.index("Croatia")
    assert names.index("Tunisia") < names.index("Türkiye") < names.index("Turkmenistan")


def test_un_short_names_with_proper_characters() -> None:
    names = set(states())
    for name in (
        "Bolivia (Plurinational State of)",
        "Côte d'Ivoire",
        "Democratic People's Republic of Korea",
        "Iran (Islamic Republic of)",
        "Netherlands (Kingdom of the)",
        "Türkiye",
        "United Kingdom of Great Britain and Northern Ireland",
        "Viet Nam",
        "Lao People's Democratic Republic",
        "Czechia",
        "Eswatini",
        "North Macedonia",
        "Cabo Verde",
        "Timor-Leste",
    ):
        assert name in names
    assert all("\u2019" not in name for name in names)  # plain ASCII apostrophes
    assert all(unicodedata.is_normalized("NFC", name) for name in names)


def test_find_states_kor_returns_both_koreas() -> None:
    assert find_states("kor") == ["Democratic People's Republic of Korea", "Republic of Korea"]


def test_find_states_is_accent_and_case_insensitive() -> None:
    assert find_states("cote") == ["Côte d'Ivoire"]
    assert find_states("CÔTE") == ["Côte d'Ivoire"]
    assert "Türkiye" in find_states("turk")


def test_find_states_puts_prefix_matches_first() -> None:
    found = find_states("ni")
    assert found[:3] == ["Nicaragua", "Niger", "Nigeria"]
    assert "Benin" in found[3:]
    # Within each group the list order (alphabetical) is kept.
    inner = found[3:]
    assert inner == sorted(inner, key=sort_key)
    # Only the start of the whole name counts as a prefix, not the start of a later word.
    found = find_states("republic")
    assert found[:2] == ["Republic of Korea", "Republic of Moldova"]
    assert found.index("Central African Republic") > 1


def test_find_states_limit_and_empty_query() -> None:
    assert find_states("a", limit=5) == find_states("a")[:5]
    assert len(find_states("a", limit=5)) == 5
    assert find_states("") == list(states()[:100])
    assert find_states("   ", limit=3) == list(states()[:3])
    assert find_states("atlantis") == []


def test_canonical_state() -> None:
    assert canonical_state("viet nam") == "Viet Nam"
    assert canonical_state("  TÜRKIYE ") == "Türkiye"
    assert canonical_state("cote d'ivoire") == "Côte d'Ivoire"
    assert canonical_state("Atlantis") is None
    # Exact names only: a fragment is not a State.
    assert canonical_state("Korea") is None
    assert canonical_state("Holy See") == "Holy See"


def test_typographic_apostrophe_matches() -> None:
    # Chat clients often turn ' into a curly apostrophe.
    assert canonical_state("Côte d\u2019Ivoire") == "Côte d'Ivoire"
    assert canonical_state("Lao People\u2019s Democratic Republic") == (
        "Lao People's Democratic Republic"
    )
    assert find_states("people\u2019s") == [
        "Democratic People's Republic of Korea",
        "Lao People's Democratic Republic",
    ]
