"""Who may see what: the only place that decides. Pure functions of roles, case and consent."""

from __future__ import annotations

from enum import IntEnum

from commands.roles import Actor, RoleKind
from storage.records import CaseRecord


class Visibility(IntEnum):
    """How much of a case a reader gets; each level includes the ones below it."""

    NONE = 0
    OUTLINE = 1  # reference, lead committee, urgency, stage: enough to know a case exists
    FACTS = 2  # plus State, committees, acts, cooperation, targets by type and number
    FULL = 3  # plus the summary and the names of persons and organisations targeted


def visibility(actor: Actor, case: CaseRecord) -> Visibility:
    """The most any of the actor's roles gives them on this case."""
    return max(
        (_for_role(kind, committee, case) for kind, committee in _roles(actor)),
        default=Visibility.NONE,
    )


def _roles(actor: Actor) -> list[tuple[RoleKind, str | None]]:
    return [(role.kind, role.committee) for role in actor.roles]


def _for_role(kind: RoleKind, committee: str | None, case: CaseRecord) -> Visibility:
    facts = case.facts
    shared = facts.confidentiality == "shared" and facts.consents.share_committees
    if kind is RoleKind.SECRETARIAT:
        return Visibility.FULL
    if kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE):
        if committee == facts.lead_committee or shared:
            return Visibility.FULL
        return Visibility.NONE
    if kind is RoleKind.ASG_OFFICE:
        return Visibility.FULL if facts.consents.share_asg else Visibility.NONE
    if kind is RoleKind.CHAIR:
        # Chairs are briefed on their own committee's cases, never with the victims' names.
        if committee == facts.lead_committee or (shared and committee in case.committees):
            return Visibility.FACTS
        return Visibility.NONE
    return Visibility.NONE


def channel_visibility(case: CaseRecord) -> Visibility:
    """What the coordination channel (and its threads) may show. Never names or summary."""
    shared = case.facts.confidentiality == "shared" and case.facts.consents.share_committees
    return Visibility.FACTS if shared else Visibility.OUTLINE


def may_use_bot(actor: Actor) -> bool:
    return bool(actor.roles)


def may_report(actor: Actor) -> bool:
    """Focal points, alternates and the secretariat log allegations."""
    return any(
        role.kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE, RoleKind.SECRETARIAT)
        for role in actor.roles
    )


def committees_to_alert(case: CaseRecord) -> tuple[str, ...]:
    """Committees whose focal points are mentioned in the thread: the others, if shared."""
    if channel_visibility(case) < Visibility.FACTS:
        return ()
    return case.facts.other_committees


def asg_alert_allowed(case: CaseRecord) -> bool:
    """An urgent case goes to the ASG office at once, if the person consented to it."""
    return case.facts.urgent and case.facts.consents.share_asg
