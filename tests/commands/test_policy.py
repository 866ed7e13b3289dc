"""Who may see what of a case, and what each level of view shows."""

from __future__ import annotations

import dataclasses

import pytest

from commands.policy import (
    Visibility,
    asg_alert_allowed,
    channel_visibility,
    committees_to_alert,
    may_report,
    may_use_bot,
    visibility,
)
from commands.roles import Actor, Role, RoleKind
from commands.views import view_case
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from tests.commands.sample_case import sample_case

NONE, OUTLINE, FACTS, FULL = (
    Visibility.NONE,
    Visibility.OUTLINE,
    Visibility.FACTS,
    Visibility.FULL,
)
CAT, CERD, CED = CommitteeCode.CAT, CommitteeCode.CERD, CommitteeCode.CED


def a_case(
    *,
    confidentiality: str = "restricted",
    share_committees: bool | None = None,
    share_asg: bool = False,
    publish: bool = False,
    urgent: bool = False,
    acts: tuple[str, ...] = ("threats", "other"),
) -> CaseRecord:
    """A case led by CAT and concerning CERD; CED is not concerned."""
    return sample_case(
        confidentiality=confidentiality,
        share_committees=(
            confidentiality == "shared" if share_committees is None else share_committees
        ),
        share_asg=share_asg,
        publish=publish,
        urgent=urgent,
        acts=acts,
        target_type="journalist",
        target_count=3,
        names=("Nguyen Van A", "Tran Thi B"),
        organisations=("Hanoi Press Freedom Group",),
        acts_other="Smear leaflets at the airport",
        summary="Questioned for six hours on return from Geneva.",
    )


def actor(*roles: Role) -> Actor:
    return Actor(person_id=7, name="Reader", roles=frozenset(roles))


# The matrix: reader -> visibility for
#   (restricted, no ASG consent), (restricted, ASG consent),
#   (shared, no ASG consent),     (shared, ASG consent).
# "shared" means confidentiality "shared" with consent to share with other committees.
MATRIX: dict[str, tuple[frozenset[Role], tuple[Visibility, Visibility, Visibility, Visibility]]] = {
    "focal point of the lead committee": (
        frozenset({Role(RoleKind.FOCAL_POINT, CAT)}),
        (FULL, FULL, FULL, FULL),
    ),
    "alternate of the lead committee": (
        frozenset({Role(RoleKind.ALTERNATE, CAT)}),
        (FULL, FULL, FULL, FULL),
    ),
    "focal point of another committee concerned": (
        frozenset({Role(RoleKind.FOCAL_POINT, CERD)}),
        (NONE, NONE, FULL, FULL),
    ),
    "focal point of a committee not concerned": (
        frozenset({Role(RoleKind.FOCAL_POINT, CED)}),
        (NONE, NONE, FULL, FULL),
    ),
    "Chair of the lead committee": (
        frozenset({Role(RoleKind.CHAIR, CAT)}),
        (FACTS, FACTS, FACTS, FACTS),
    ),
    "Chair of another committee concerned": (
        frozenset({Role(RoleKind.CHAIR, CERD)}),
        (NONE, NONE, FACTS, FACTS),
    ),
    "Chair of a committee not concerned": (
        frozenset({Role(RoleKind.CHAIR, CED)}),
        (NONE, NONE, NONE, NONE),
    ),
    "ASG office": (
        frozenset({Role(RoleKind.ASG_OFFICE)}),
        (NONE, FULL, NONE, FULL),
    ),
    "secretariat": (
        frozenset({Role(RoleKind.SECRETARIAT)}),
        (FULL, FULL, FULL, FULL),
    ),
    "nobody (no roles)": (
        frozenset(),
        (NONE, NONE, NONE, NONE),
    ),
}
COLUMNS = (("restricted", False), ("restricted", True), ("shared", False), ("shared", True))

ROWS = [
    pytest.param(
        roles,
        confidentiality,
        share_asg,
        expected,
        id=f"{reader} / {confidentiality} / ASG consent {'yes' if share_asg else 'no'}",
    )
    for reader, (roles, levels) in MATRIX.items()
    for (confidentiality, share_asg), expected in zip(COLUMNS, levels, strict=True)
]


@pytest.mark.parametrize(("roles", "confidentiality", "share_asg", "expected"), ROWS)
def test_each_reader_sees_what_the_policy_allows(
    roles: frozenset[Role], confidentiality: str, share_asg: bool, expected: Visibility
) -> None:
    case = a_case(confidentiality=confidentiality, share_asg=share_asg)
    assert visibility(Actor(7, "Reader", roles), case) is expected


def test_the_matrix_covers_every_reader_and_case() -> None:
    assert len(ROWS) == 10 * 2 * 2


@pytest.mark.parametrize(
    "role",
    [Role(RoleKind.FOCAL_POINT, CERD), Role(RoleKind.ALTERNATE, CED), Role(RoleKind.CHAIR, CERD)],
    ids=str,
)
def test_shared_without_consent_to_share_is_treated_as_restricted(role: Role) -> None:
    case = a_case(confidentiality="shared", share_committees=False, share_asg=True)
    assert visibility(actor(role), case) is NONE
    assert channel_visibility(case) is OUTLINE
    assert committees_to_alert(case) == ()


def test_consent_to_share_does_not_open_a_case_marked_restricted() -> None:
    case = a_case(confidentiality="restricted", share_committees=True)
    assert visibility(actor(Role(RoleKind.FOCAL_POINT, CERD)), case) is NONE
    assert visibility(actor(Role(RoleKind.CHAIR, CERD)), case) is NONE
    assert channel_visibility(case) is OUTLINE


def test_alternate_of_another_committee_sees_a_shared_case_in_full() -> None:
    alternate = actor(Role(RoleKind.ALTERNATE, CED))
    assert visibility(alternate, a_case(confidentiality="shared")) is FULL
    assert visibility(alternate, a_case(confidentiality="restricted")) is NONE


# Several roles: the most any role gives


@pytest.mark.parametrize(
    ("roles", "confidentiality", "share_asg", "expected"),
    [
        ((Role(RoleKind.CHAIR, CAT), Role(RoleKind.FOCAL_POINT, CED)), "restricted", False, FACTS),
        ((Role(RoleKind.CHAIR, CAT), Role(RoleKind.FOCAL_POINT, CED)), "shared", False, FULL),
        ((Role(RoleKind.CHAIR, CAT), Role(RoleKind.SECRETARIAT)), "restricted", False, FULL),
        ((Role(RoleKind.CHAIR, CED), Role(RoleKind.ASG_OFFICE)), "restricted", True, FULL),
        ((Role(RoleKind.CHAIR, CED), Role(RoleKind.ASG_OFFICE)), "restricted", False, NONE),
        ((Role(RoleKind.CHAIR, CERD), Role(RoleKind.FOCAL_POINT, CAT)), "restricted", False, FULL),
    ],
    ids=[
        "Chair of lead + focal point elsewhere, restricted",
        "Chair of lead + focal point elsewhere, shared",
        "Chair of lead + secretariat",
        "Chair not concerned + ASG office, ASG consent",
        "Chair not concerned + ASG office, no ASG consent",
        "Chair of other + focal point of lead",
    ],
)
def test_a_person_with_several_roles_gets_the_most_any_role_gives(
    roles: tuple[Role, ...], confidentiality: str, share_asg: bool, expected: Visibility
) -> None:
    case = a_case(confidentiality=confidentiality, share_asg=share_asg)
    assert visibility(actor(*roles), case) is expected


# The coordination channel


@pytest.mark.parametrize("share_asg", [False, True])
def test_the_channel_shows_a_restricted_case_only_in_outline(share_asg: bool) -> None:
    assert channel_visibility(a_case(confidentiality="restricted", share_asg=share_asg)) is OUTLINE


@pytest.mark.parametrize("share_asg", [False, True])
def test_the_channel_shows_the_facts_of_a_shared_case(share_asg: bool) -> None:
    assert channel_visibility(a_case(confidentiality="shared", share_asg=share_asg)) is FACTS


@pytest.mark.parametrize("publish", [False, True])
def test_the_channel_never_shows_a_case_in_full(publish: bool) -> None:
    case = a_case(confidentiality="shared", share_asg=True, publish=publish)
    assert channel_visibility(case) < FULL


# What each level shows


def test_an_outline_shows_only_that_the_case_exists() -> None:
    view = view_case(a_case(confidentiality="shared", urgent=True), OUTLINE)
    assert view.reference == "RPR-2026-0001"
    assert view.lead_committee == "CAT"
    assert view.urgent is True
    assert view.stage == "Received"
    assert view.level == "outline"
    assert view.state_party is None
    assert view.committees == ()
    assert view.acts == ()
    assert view.target_type is None and view.target_count is None
    assert view.summary is None
    assert view.target_names == ()
    assert view.organisations == ()
    assert view.acts_other is None
    assert view.reporter is None


def test_the_facts_show_state_acts_and_targets_but_never_names_or_summary() -> None:
    view = view_case(a_case(confidentiality="shared"), FACTS)
    assert view.level == "facts"
    assert view.state_party == "Viet Nam"
    assert view.committees == ("CAT", "CERD")
    assert view.acts == ("Threats",)
    assert view.target_type == "Journalist"
    assert view.target_count == 3
    assert view.summary is None
    assert view.target_names == ()
    assert view.organisations == ()
    assert view.acts_other is None


def test_the_full_view_adds_summary_names_organisations_and_other_acts() -> None:
    view = view_case(a_case(confidentiality="shared"), FULL)
    assert view.level == "full"
    assert view.state_party == "Viet Nam"
    assert view.acts == ("Threats",)
    assert view.summary == "Questioned for six hours on return from Geneva."
    assert view.target_names == ("Nguyen Van A", "Tran Thi B")
    assert view.organisations == ("Hanoi Press Freedom Group",)
    assert view.acts_other == "Smear leaflets at the airport"


@pytest.mark.parametrize("level", [OUTLINE, FACTS])
def test_no_sensitive_text_appears_anywhere_below_full(level: Visibility) -> None:
    view = view_case(a_case(confidentiality="shared"), level)
    rendered = repr(dataclasses.astuple(view))
    for sensitive in ("Nguyen Van A", "Tran Thi B", "Hanoi Press", "Questioned", "Smear"):
        assert sensitive not in rendered


def test_a_reader_who_may_see_nothing_gets_no_view() -> None:
    with pytest.raises(PermissionError):
        view_case(a_case(), NONE)


# Alerts


def test_a_shared_case_alerts_the_other_committees_concerned() -> None:
    assert committees_to_alert(a_case(confidentiality="shared")) == ("CERD",)


def test_a_restricted_case_alerts_no_other_committee() -> None:
    assert committees_to_alert(a_case(confidentiality="restricted")) == ()


@pytest.mark.parametrize(
    ("urgent", "share_asg", "allowed"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
    ids=["urgent with ASG consent", "urgent without", "not urgent with", "not urgent without"],
)
def test_the_asg_office_is_alerted_only_of_an_urgent_case_with_consent(
    urgent: bool, share_asg: bool, allowed: bool
) -> None:
    assert asg_alert_allowed(a_case(urgent=urgent, share_asg=share_asg)) is allowed


# Who may report and use the bot


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((Role(RoleKind.FOCAL_POINT, CAT),), True),
        ((Role(RoleKind.ALTERNATE, CERD),), True),
        ((Role(RoleKind.SECRETARIAT),), True),
        ((Role(RoleKind.CHAIR, CAT),), False),
        ((Role(RoleKind.ASG_OFFICE),), False),
        ((), False),
        ((Role(RoleKind.CHAIR, CAT), Role(RoleKind.ALTERNATE, CAT)), True),
    ],
    ids=[
        "focal point",
        "alternate",
        "secretariat",
        "Chair",
        "ASG office",
        "nobody",
        "Chair and alternate",
    ],
)
def test_only_focal_points_alternates_and_the_secretariat_may_report(
    roles: tuple[Role, ...], allowed: bool
) -> None:
    assert may_report(actor(*roles)) is allowed


def test_anyone_with_a_role_may_use_the_bot_and_nobody_else() -> None:
    for kind, committee in [
        (RoleKind.FOCAL_POINT, CAT),
        (RoleKind.ALTERNATE, CAT),
        (RoleKind.CHAIR, CED),
        (RoleKind.ASG_OFFICE, None),
        (RoleKind.SECRETARIAT, None),
    ]:
        assert may_use_bot(actor(Role(kind, committee))) is True
    assert may_use_bot(actor()) is False
