"""A fixed data set around October 2026: the digest's golden files and tests read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from commands.roles import Actor, Role, RoleKind
from storage.actions import FollowUp, NewAction
from storage.records import Consents, NewCase, PersonRecord
from storage.reference import CommitteeCode
from storage.uow import UnitOfWork

NOW = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
D = dt.date


@dataclass(frozen=True)
class Spec:
    received_on: dt.date
    lead: str
    state: str
    others: tuple[str, ...] = ()
    acts: tuple[str, ...] = ("threats",)
    names: tuple[str, ...] = ("Nobody Example",)
    urgent: bool = False
    count: int = 1
    confidentiality: str = "shared"
    consents: Consents = field(default_factory=lambda: Consents(share_committees=True))


CASES: dict[str, Spec] = {
    "sep_cat": Spec(D(2026, 9, 10), "CAT", "Viet Nam"),
    "sep_ccpr_restricted": Spec(
        D(2026, 9, 25),
        "CCPR",
        "Burundi",
        ("CAT",),
        ("arrest_detention",),
        confidentiality="restricted",
        consents=Consents(),
    ),
    "oct_joint_urgent": Spec(
        D(2026, 10, 1),
        "CAT",
        "Viet Nam",
        ("CCPR",),
        ("travel_ban", "arrest_detention"),
        ("Amina Diallo", "Kofi Example"),
        urgent=True,
        count=2,
        consents=Consents(share_committees=True, share_asg=True),
    ),
    "oct_cedaw_restricted": Spec(
        D(2026, 10, 15),
        "CEDAW",
        "Nicaragua",
        (),
        ("harassment",),
        ("Rosa Secret",),
        confidentiality="restricted",
        consents=Consents(),
    ),
    "oct_ccpr_same_person": Spec(D(2026, 10, 20), "CCPR", "Viet Nam", names=("AMINA  diallo",)),
    "oct_31_crc_public": Spec(
        D(2026, 10, 31),
        "CRC",
        "Viet Nam",
        (),
        ("online_smear",),
        count=3,
        consents=Consents(share_committees=True, publish=True),
    ),
    "nov_cat": Spec(D(2026, 11, 1), "CAT", "Egypt"),
}


def new_case(spec: Spec) -> NewCase:
    return NewCase(
        state_party=spec.state,
        lead_committee=spec.lead,
        other_committees=spec.others,
        received_on=spec.received_on,
        source="email",
        cooperation="session_geneva",
        timing="after",
        target_type="defender",
        target_count=spec.count,
        target_names=spec.names,
        organisations=(),
        acts=spec.acts,
        acts_other=None,
        summary=f"Confidential summary of {spec.state} case.",
        urgent=spec.urgent,
        confidentiality=spec.confidentiality,
        consents=spec.consents,
    )


def chair(code: str, person_id: int = 1) -> Actor:
    return Actor(
        person_id=person_id,
        name=f"Chair of {code}",
        roles=frozenset({Role(RoleKind.CHAIR, CommitteeCode(code))}),
    )


def secretariat(person_id: int = 1) -> Actor:
    return Actor(
        person_id=person_id, name="Secretariat", roles=frozenset({Role(RoleKind.SECRETARIAT)})
    )


# One restricted case among shared and public ones: the only case of its State, its lead
# committee, its act and the only urgent one, so any breakdown that counts it identifies it.
ONE_RESTRICTED: dict[str, Spec] = {
    "sep_cat": Spec(D(2026, 9, 10), "CAT", "Viet Nam"),
    "oct_cat_shared": Spec(D(2026, 10, 3), "CAT", "Viet Nam", ("CCPR",), ("intimidation",)),
    "oct_restricted": Spec(
        D(2026, 10, 12),
        "CMW",
        "Eritrea",
        (),
        ("deportation_order",),
        ("Yonas Hidden",),
        urgent=True,
        count=5,
        confidentiality="restricted",
        consents=Consents(),
    ),
    "oct_crc_public": Spec(
        D(2026, 10, 20),
        "CRC",
        "Egypt",
        (),
        ("online_smear",),
        count=2,
        consents=Consents(share_committees=True, publish=True),
    ),
}
RESTRICTED_TRACES = ("CMW", "Migrant Workers", "Eritrea", "Deportation order", "Yonas Hidden")


async def fill(
    uow: Callable[[], UnitOfWork],
    reporter: int | None = None,
    cases: dict[str, Spec] | None = None,
) -> dict[str, int]:
    """Store the cases (CASES unless given) and their actions (by `reporter`, or a focal point
    of its own); case key -> case id."""
    cases = CASES if cases is None else cases
    async with uow() as work:
        if reporter is None:
            focal = PersonRecord(
                0, "slack:UFP", "Focal Example", "UFP", None, (("focal_point", "CAT"),)
            )
            reporter = (await work.people.sync([focal]))["slack:UFP"]
        ids: dict[str, int] = {}
        for key, spec in cases.items():
            reference = await work.cases.next_reference(spec.received_on.year)
            case = await work.cases.add(
                new_case(spec),
                reference=reference,
                reporter_id=reporter,
                reporter_name="Focal Example",
                idempotency_key=None,
                now=NOW,
            )
            ids[key] = case.id
        await (_act if cases is CASES else _act_on_one_restricted)(work, ids, reporter)
        await work.commit()
    return ids


async def _act(work: UnitOfWork, ids: dict[str, int], actor: int) -> None:
    letter = {"signed_by": "both"}
    plan = [
        (
            "sep_cat",
            NewAction("letter_to_state", D(2026, 9, 12), actor, ("CAT",), letter, D(2026, 10, 12)),
            FollowUp("awaiting_reply", D(2026, 10, 12)),
        ),
        (
            "sep_ccpr_restricted",
            NewAction("letter_to_state", D(2026, 9, 28), actor, ("CCPR",), letter, D(2026, 11, 27)),
            None,
        ),
        (
            "sep_ccpr_restricted",
            NewAction("state_reply", D(2026, 10, 10), actor, ("CCPR",), {"substance": "denial"}),
            FollowUp("closed", None, D(2026, 10, 30), "denied"),
        ),
        (
            "oct_joint_urgent",
            NewAction(
                "letter_to_state", D(2026, 10, 2), actor, ("CAT", "CCPR"), letter, D(2026, 11, 20)
            ),
            None,
        ),
        (
            "oct_joint_urgent",
            NewAction("asg_referral", D(2026, 10, 3), actor, ("CAT", "CCPR")),
            FollowUp("awaiting_reply", D(2026, 11, 20)),
        ),
        (
            "oct_31_crc_public",
            NewAction("note", D(2026, 10, 31), actor, ("CRC",), note="A private note."),
            FollowUp("under_assessment", None),
        ),
    ]
    for key, action, follow in plan:
        await work.actions.add(ids[key], action, now=NOW)
        if follow is not None:
            await work.actions.follow_up(ids[key], follow, now=NOW)


async def _act_on_one_restricted(work: UnitOfWork, ids: dict[str, int], actor: int) -> None:
    """A letter and the State's reply on the restricted case (it closes), a letter on a shared
    one."""
    letter = {"signed_by": "both"}
    shared, restricted = ids["oct_cat_shared"], ids["oct_restricted"]
    await work.actions.add(
        shared,
        NewAction("letter_to_state", D(2026, 10, 4), actor, ("CAT",), letter, D(2026, 12, 4)),
        now=NOW,
    )
    await work.actions.follow_up(shared, FollowUp("awaiting_reply", D(2026, 12, 4)), now=NOW)
    await work.actions.add(
        restricted,
        NewAction("asg_referral", D(2026, 10, 13), actor, ("CMW",)),
        now=NOW,
    )
    await work.actions.add(
        restricted,
        NewAction("state_reply", D(2026, 10, 28), actor, ("CMW",), {"substance": "denial"}),
        now=NOW,
    )
    await work.actions.follow_up(
        restricted, FollowUp("closed", None, D(2026, 10, 30), "denied"), now=NOW
    )
