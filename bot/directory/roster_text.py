"""The directory as a plain-text roster: per committee, then the ASG office and the secretariat."""

from __future__ import annotations

from bot.directory.load import Directory, Person
from commands.roles import Role, RoleKind
from storage.reference import CommitteeCode, committees

ROLE_LABELS = {
    RoleKind.FOCAL_POINT: "focal point",
    RoleKind.ALTERNATE: "alternate",
    RoleKind.CHAIR: "Chair",
    RoleKind.ASG_OFFICE: "ASG office",
    RoleKind.SECRETARIAT: "secretariat",
}
_RANK = {kind: rank for rank, kind in enumerate(RoleKind)}
_HEADINGS = {
    RoleKind.ASG_OFFICE: "ASG office - Office of the Assistant Secretary-General for Human Rights",
    RoleKind.SECRETARIAT: "Secretariat - OHCHR staff serving the committees",
}


def format_roster(directory: Directory) -> str:
    """Who holds which role, grouped by committee in the reference order, then a coverage line."""
    lines = [
        f"Directory: {len(directory.people)} people; time zone {directory.timezone}; "
        f"States are asked to reply within {directory.reply_due_days} days",
        f"Slack channels: coordination {directory.coordination_channel}, "
        f"Chairs {directory.chairs_channel}",
    ]
    for committee in committees():
        lines += ["", f"{committee.code} - {committee.name}"]
        lines += _members(directory, committee.code)
    for kind, heading in _HEADINGS.items():
        lines += ["", heading]
        lines += _members(directory, None, kind)
    lines += ["", _coverage(directory)]
    return "\n".join(lines)


def _members(
    directory: Directory, committee: CommitteeCode | None, kind: RoleKind | None = None
) -> list[str]:
    """One line per person holding a role of this committee (or of this kind), by role then name."""
    rows: list[tuple[int, str, str]] = []
    for person in directory.people:
        roles = sorted(
            (r for r in person.roles if r.committee == committee and kind in (None, r.kind)),
            key=lambda r: _RANK[r.kind],
        )
        if roles:
            rows.append((_RANK[roles[0].kind], person.name.casefold(), _line(person, roles)))
    return [line for *_, line in sorted(rows)] or ["  (nobody)"]


def _line(person: Person, roles: list[Role]) -> str:
    labels = ", ".join(ROLE_LABELS[r.kind] for r in roles)
    contact = [f"Slack {person.slack_user}"] if person.slack_user else []
    contact += [person.email] if person.email else []
    return f"  {person.name} - {labels} - {', '.join(contact)}"


def _coverage(directory: Directory) -> str:
    missing = directory.committees_without_focal_point()
    if not missing:
        return f"Every committee has a focal point ({len(CommitteeCode)} of {len(CommitteeCode)})."
    return (
        f"Warning: no focal point for {', '.join(missing)}; please add one to the directory,"
        f' e.g. roles = ["focal_point:{missing[0]}"].'
    )
