"""docs/security.md and commands/policy.py say the same thing, row by row."""

from __future__ import annotations

import pytest

from commands import policy
from commands.policy import Surface, Visibility
from commands.roles import Actor, Role, RoleKind
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from tests.commands.sample_case import sample_case
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")

# The case in every row: led by CAT, concerning CERD too.
READERS: dict[str, frozenset[Role]] = {
    "focal point of the lead committee": frozenset({Role(RoleKind.FOCAL_POINT, CommitteeCode.CAT)}),
    "alternate of the lead committee": frozenset({Role(RoleKind.ALTERNATE, CommitteeCode.CAT)}),
    "focal point of another committee concerned": frozenset(
        {Role(RoleKind.FOCAL_POINT, CommitteeCode.CERD)}
    ),
    "focal point of a committee not concerned": frozenset(
        {Role(RoleKind.FOCAL_POINT, CommitteeCode.CED)}
    ),
    "alternate of a committee not concerned": frozenset(
        {Role(RoleKind.ALTERNATE, CommitteeCode.CED)}
    ),
    "Chair of the lead committee": frozenset({Role(RoleKind.CHAIR, CommitteeCode.CAT)}),
    "Chair of another committee concerned": frozenset({Role(RoleKind.CHAIR, CommitteeCode.CERD)}),
    "Chair of a committee not concerned": frozenset({Role(RoleKind.CHAIR, CommitteeCode.CED)}),
    "ASG office": frozenset({Role(RoleKind.ASG_OFFICE)}),
    "secretariat": frozenset({Role(RoleKind.SECRETARIAT)}),
    "anyone else": frozenset(),
}
COLUMNS: dict[str, tuple[Surface, ...]] = {
    "status, list, console": (Surface.STATUS, Surface.LIST, Surface.CONSOLE),
    "DM, reminder, App Home, digest": (
        Surface.DM,
        Surface.REMINDER,
        Surface.APP_HOME,
        Surface.DIGEST,
    ),
    "export": (Surface.EXPORT,),
}
CONFIDENTIALITY = {  # (form's choice, consent to share with committees, consent to publish)
    "restricted": ("restricted", False, False),
    "shared": ("shared", True, False),
    "public": ("shared", True, True),
}


def a_case(confidentiality: str, *, asg: bool) -> CaseRecord:
    chosen, share, publish = CONFIDENTIALITY[confidentiality]
    return sample_case(
        confidentiality=chosen, share_committees=share, share_asg=asg, publish=publish
    )


def table(header_start: str) -> list[list[str]]:
    lines = DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


MATRIX = table("| reader |")
HEADER = [
    c.strip()
    for c in DOC.splitlines()[
        next(i for i, line in enumerate(DOC.splitlines()) if line.startswith("| reader |"))
    ]
    .strip("|")
    .split("|")
]


def test_the_documented_matrix_is_complete() -> None:
    combinations = {(r[0], r[1], r[2]) for r in MATRIX}
    expected = {(r, c, a) for r in READERS for c in CONFIDENTIALITY for a in ("no", "yes")}
    assert combinations == expected and len(MATRIX) == len(expected)
    assert HEADER[3:] == list(COLUMNS)


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: " / ".join(r[:3]))
def test_policy_matches_the_documented_row(row: list[str]) -> None:
    reader, confidentiality, asg = row[:3]
    actor = Actor(person_id=7, name="reader", roles=READERS[reader])
    case = a_case(confidentiality, asg=asg == "yes")
    for column, documented in zip(HEADER[3:], row[3:], strict=True):
        for surface in COLUMNS[column]:
            assert policy.level_for(actor, case, surface) is Visibility[documented.upper()], (
                reader,
                confidentiality,
                asg,
                surface,
            )


@pytest.mark.parametrize("row", table("| channel surface |"), ids=lambda r: r[0])
def test_channels_match_the_documented_row(row: list[str]) -> None:
    surface = {"case card": Surface.CASE_CARD, "thread": Surface.THREAD}[row[0]]
    anyone = Actor(person_id=7, name="reader", roles=READERS["secretariat"])
    for confidentiality, documented in zip(
        ("restricted", "shared", "public"), row[1:], strict=True
    ):
        for asg in (False, True):
            case = a_case(confidentiality, asg=asg)
            assert policy.level_for(anyone, case, surface) is Visibility[documented.upper()]


def test_names_never_reach_a_channel_at_any_level() -> None:
    for confidentiality in CONFIDENTIALITY:
        case = a_case(confidentiality, asg=True)
        assert policy.channel_visibility(case) < Visibility.FULL
