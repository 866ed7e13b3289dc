"""Reference data that ships with the bot: the ten treaty bodies and the States."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources


class CommitteeCode(StrEnum):
    CCPR = "CCPR"
    CESCR = "CESCR"
    CAT = "CAT"
    CERD = "CERD"
    CEDAW = "CEDAW"
    SPT = "SPT"
    CRC = "CRC"
    CMW = "CMW"
    CRPD = "CRPD"
    CED = "CED"


@dataclass(frozen=True, slots=True)
class Committee:
    """One treaty body and its practice on reprisals (Annex I of the secretariat note)."""

    code: CommitteeCode
    name: str
    treaty: str
    own_guidelines: bool
    functions_defined: bool
    publishes_letters: bool
    publishes_replies: bool
    focal_point: str
    practice: str


def _data(name: str) -> str:
    return resources.files("storage.reference_data").joinpath(name).read_text("utf-8")


@cache
def committees() -> tuple[Committee, ...]:
    """The ten committees, in the order the note lists them."""
    raw = tomllib.loads(_data("committees.toml"))["committee"]
    return tuple(
        Committee(
            code=CommitteeCode(entry["code"]),
            name=entry["name"],
            treaty=entry["treaty"],
            own_guidelines=entry["own_guidelines"],
            functions_defined=entry["functions_defined"],
            publishes_letters=entry["publishes_letters"],
            publishes_replies=entry["publishes_replies"],
            focal_point=entry["focal_point"],
            practice=entry["practice"],
        )
        for entry in raw
    )


def committee(code: str) -> Committee:
    """The committee with this code (case-insensitive); KeyError if there is none."""
    wanted = code.strip().upper()
    for item in committees():
        if item.code == wanted:
            return item
    raise KeyError(code)


@cache
def states() -> tuple[str, ...]:
    """UN Member States and observer States under their UN short names, alphabetical."""
    lines = _data("states.txt").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def find_states(query: str, limit: int = 100) -> list[str]:
    """States whose name contains the query (case- and accent-insensitive), prefix matches first."""
    needle = _fold(query)
    if not needle:
        return list(states()[:limit])
    prefix = [s for s in states() if _fold(s).startswith(needle)]
    inner = [s for s in states() if needle in _fold(s) and s not in prefix]
    return (prefix + inner)[:limit]


def canonical_state(name: str) -> str | None:
    """The State's UN short name if the text names one exactly (ignoring case and accents)."""
    folded = _fold(name)
    for state in states():
        if _fold(state) == folded:
            return state
    return None


# Typographic apostrophes (phones and chat clients "smarten" the ASCII one) fold to "'".
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().strip().translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
