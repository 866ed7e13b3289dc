"""docs/security.md's "Who acts" table and commands/policy.py say the same thing, row by row:
reader x case (restricted, shared, public; open, closed) x action."""

from __future__ import annotations

import dataclasses

import pytest

from commands import policy
from commands.case_forms import Mode, action_of
from commands.policy import Action, Visibility
from commands.roles import Actor, Role, RoleKind
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from tests.commands.sample_case import sample_case
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
CAT, CERD, CCPR, CED = (
    CommitteeCode.CAT,
    CommitteeCode.CERD,
    CommitteeCode.CCPR,
    CommitteeCode.CED,
)

# Each reader's roles, and whether the person consented to share with the ASG office.
READERS: dict[str, tuple[frozenset[Role], bool]] = {
    "focal point of the lead committee": (frozenset({Role(RoleKind.FOCAL_POINT, CAT)}), True),
    "alternate of the lead committee": (frozenset({Role(RoleKind.ALTERNATE, CAT)}), True),
    "focal point of another committee concerned": (
        frozenset({Role(RoleKind.FOCAL_POINT, CERD)}),
        True,
    ),
    "alternate of another committee concerned": (
        frozenset({Role(RoleKind.ALTERNATE, CERD)}),
        True,
    ),
    "focal point of a committee it was shared with by hand": (
        frozenset({Role(RoleKind.FOCAL_POINT, CCPR)}),
        True,
    ),
    "focal point of a committee not concerned": (
        frozenset({Role(RoleKind.FOCAL_POINT, CED)}),
        True,
    ),
    "Chair of the lead committee": (frozenset({Role(RoleKind.CHAIR, CAT)}), True),
    "ASG office, with the consent to share with it": (frozenset({Role(RoleKind.ASG_OFFICE)}), True),
    "ASG office, without that consent": (frozenset({Role(RoleKind.ASG_OFFICE)}), False),
    "secretariat": (frozenset({Role(RoleKind.SECRETARIAT)}), True),
    "anyone else": (frozenset(), True),
}
CASES = {  # the form's choice, consent to publish; consent to share with committees is given
    "restricted": ("restricted", False),
    "shared": ("shared", False),
    "public": ("shared", True),
}
STATES = {"open": "action_taken", "closed": "closed"}


def a_case(kind: str, state: str, *, asg: bool) -> CaseRecord:
    """Led by CAT, concerning CERD, shared by hand with CCPR; CED is not concerned."""
    chosen, publish = CASES[kind]
    return sample_case(
        confidentiality=chosen,
        share_committees=True,
        share_asg=asg,
        publish=publish,
        stage=STATES[state],
        shared_with=("CCPR",),
    )


def who_acts_table() -> tuple[list[str], list[list[str]]]:
    lines = DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| reader | case | state |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return header, rows


HEADER, ROWS = who_acts_table()


def test_the_documented_table_covers_every_reader_case_and_action() -> None:
    assert HEADER[3:] == [a.value for a in Action]
    combinations = {(r[0], r[1], r[2]) for r in ROWS}
    assert combinations == {(r, c, s) for r in READERS for c in CASES for s in STATES}
    assert len(ROWS) == len(READERS) * len(CASES) * len(STATES)
    assert all(cell in ("yes", "no", "unseen") for row in ROWS for cell in row[3:])


@pytest.mark.parametrize("row", ROWS, ids=lambda r: " / ".join(r[:3]))
def test_policy_matches_the_documented_row(row: list[str]) -> None:
    reader, kind, state = row[:3]
    roles, asg = READERS[reader]
    actor = Actor(person_id=7, name="reader", roles=roles)
    case = a_case(kind, state, asg=asg)
    for action, documented in zip(Action, row[3:], strict=True):
        allowed = policy.may_do(actor, case, action)
        why = policy.refusal(actor, case, action)
        seen = policy.visibility(actor, case) > Visibility.NONE
        found = "yes" if allowed else ("no" if seen else "unseen")
        assert found == documented, (reader, kind, state, action)
        assert (why is None) is allowed  # a refusal always has its reason
        if allowed:
            assert policy.visibility(actor, case) is Visibility.FULL  # acting needs the full case


def test_a_committee_not_concerned_is_told_who_acts() -> None:
    case = a_case("shared", "open", asg=True)
    outsider = Actor(7, "CED", frozenset({Role(RoleKind.FOCAL_POINT, CED)}))
    assert policy.refusal(outsider, case, Action.CLOSE) == (
        "You may read RPR-2026-0001, but actions on it are recorded by its focal points"
        " (CAT, CERD, CCPR) and the secretariat."
    )


def test_a_committee_acting_for_itself_may_not_close_share_or_link() -> None:
    case = a_case("shared", "open", asg=True)
    concerned = Actor(7, "CERD", frozenset({Role(RoleKind.FOCAL_POINT, CERD)}))
    for action, verb in ((Action.CLOSE, "close"), (Action.SHARE, "share"), (Action.LINK, "link")):
        assert policy.refusal(concerned, case, action) == (
            f"Only the lead committee (CAT) or the secretariat may {verb} RPR-2026-0001."
        )


def test_a_closed_case_takes_notes_only_and_says_so() -> None:
    case = a_case("shared", "closed", asg=True)
    lead = Actor(7, "CAT", frozenset({Role(RoleKind.FOCAL_POINT, CAT)}))
    assert policy.may_do(lead, case, Action.NOTE)
    why = policy.refusal(lead, case, Action.SHARE)
    assert why is not None and why.startswith("RPR-2026-0001 is closed: only notes can be added.")
    assert policy.refusal(lead, case, Action.CLOSE) == "RPR-2026-0001 is closed already."
    opened = dataclasses.replace(case, stage="follow_up")
    assert policy.refusal(lead, opened, Action.REOPEN) == (
        "RPR-2026-0001 is open: there is nothing to reopen."
    )


def test_several_roles_may_do_what_any_of_them_allows() -> None:
    case = a_case("shared", "open", asg=True)
    both = Actor(7, "x", frozenset({Role(RoleKind.CHAIR, CAT), Role(RoleKind.FOCAL_POINT, CERD)}))
    assert policy.may_do(both, case, Action.LOG_ACTION)
    assert not policy.may_do(both, case, Action.CLOSE)


@pytest.mark.parametrize(
    ("mode", "kind", "closed", "action"),
    [
        (Mode.ACTION, None, False, Action.NOTE),  # opening the form asks the least
        (Mode.ACTION, "note", True, Action.NOTE),
        (Mode.ACTION, "letter_to_state", False, Action.LOG_ACTION),
        (Mode.REPLY, None, False, Action.REPLY),
        (Mode.REFER, None, False, Action.REFER),
        (Mode.SHARE, None, False, Action.SHARE),
        (Mode.STAGE, None, False, Action.STAGE),
        (Mode.STAGE, None, True, Action.REOPEN),
        (Mode.CLOSE, None, False, Action.CLOSE),
    ],
)
def test_each_form_asks_the_policy_for_what_it_does(
    mode: Mode, kind: str | None, closed: bool, action: Action
) -> None:
    assert action_of(mode, kind=kind, closed=closed) is action
