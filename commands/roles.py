"""Who someone is to the bot: roles from the directory, and the acting person."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from storage.records import PersonRecord
from storage.reference import CommitteeCode


class RoleKind(StrEnum):
    FOCAL_POINT = "focal_point"
    ALTERNATE = "alternate"
    CHAIR = "chair"
    ASG_OFFICE = "asg_office"
    SECRETARIAT = "secretariat"


COMMITTEE_ROLES = frozenset({RoleKind.FOCAL_POINT, RoleKind.ALTERNATE, RoleKind.CHAIR})


@dataclass(frozen=True, slots=True)
class Role:
    """A role, with its committee for focal points, alternates and Chairs."""

    kind: RoleKind
    committee: CommitteeCode | None = None

    @classmethod
    def parse(cls, text: str) -> Role:
        """`focal_point:CAT`, `alternate:CAT`, `chair:CAT`, `asg_office` or `secretariat`."""
        kind_text, _, code_text = text.strip().partition(":")
        try:
            kind = RoleKind(kind_text.strip().lower())
        except ValueError:
            known = ", ".join(k.value for k in RoleKind)
            raise ValueError(f"unknown role {text!r} (known: {known})") from None
        if kind in COMMITTEE_ROLES:
            try:
                return cls(kind, CommitteeCode(code_text.strip().upper()))
            except ValueError:
                codes = ", ".join(c.value for c in CommitteeCode)
                raise ValueError(
                    f"role {text!r} needs a committee code after ':' (one of {codes})"
                ) from None
        if code_text:
            raise ValueError(f"role {text!r} takes no committee")
        return cls(kind)

    def __str__(self) -> str:
        return f"{self.kind}:{self.committee}" if self.committee else str(self.kind)


@dataclass(frozen=True, slots=True)
class Actor:
    """The person acting, as the directory knows them."""

    person_id: int
    name: str
    roles: frozenset[Role]
    slack_user: str | None = None

    def committees_as(self, *kinds: RoleKind) -> frozenset[CommitteeCode]:
        return frozenset(
            r.committee for r in self.roles if r.kind in kinds and r.committee is not None
        )

    def has(self, kind: RoleKind) -> bool:
        return any(r.kind == kind for r in self.roles)


def actor_of(person: PersonRecord) -> Actor:
    """The person as stored (the outbox's recipients) as an actor the policy can judge."""
    roles = frozenset(
        Role(RoleKind(kind), CommitteeCode(code) if code else None) for kind, code in person.roles
    )
    return Actor(person_id=person.id, name=person.name, roles=roles, slack_user=person.slack_user)


def focal_points(people: Iterable[PersonRecord], committees: Collection[str]) -> list[PersonRecord]:
    """The people serving any of `committees` as focal point or alternate."""
    serving = (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE)
    return [
        p for p in people if any(kind in serving and code in committees for kind, code in p.roles)
    ]
