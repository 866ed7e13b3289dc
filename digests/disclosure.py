"""What an audience may be shown of a case: the level each audience reads at, and the case as
that level discloses it."""

from __future__ import annotations

from commands import policy
from commands import vocabulary as v
from commands.policy import Visibility
from commands.roles import Actor
from digests import breakdowns as bd
from digests.breakdowns import Level
from digests.model import Audience, DigestCase
from storage.digest_queries import CaseFacts


def level_for_audience(audience: Audience, actor: Actor | None) -> Level:
    """The policy's answer for each audience: a Chair or an asker as themselves; a channel as
    what every reader of it may see, and never a restricted case (it is only counted there)."""
    match audience:
        case Audience.CHAIRS_CHANNEL:
            return bd.without_restricted(policy.chairs_channel_visibility)
        case Audience.COORDINATION:
            return bd.without_restricted(policy.channel_visibility)
        case _:
            if actor is None:
                raise ValueError(f"a {audience} digest needs its reader")
            return lambda case: policy.level_for(actor, case, policy.Surface.DIGEST)


def breakdown_level(level: Level) -> Level:
    """What the figures, breakdowns and charts count beyond the totals: the cases `level`
    shows in facts, restricted ones never (a Chair's own section has its own rule)."""
    return bd.without_restricted(level)


class Disclosure:
    """Turns a case's facts into what the audience may read of it (None: counted only)."""

    def __init__(self, level: Level, asg: set[int]) -> None:
        self.level, self._asg = level, asg

    def __call__(self, facts: CaseFacts) -> DigestCase | None:
        case = facts.case
        level = self.level(case)
        if level <= Visibility.NONE or case.erased:
            return None
        outline = DigestCase(
            reference=case.reference,
            lead_committee=case.facts.lead_committee,
            urgent=case.facts.urgent,
            stage=v.STAGES.get(case.stage, case.stage),
            level="outline",
        )
        if level < Visibility.FACTS:
            return outline
        f = case.facts
        return DigestCase(
            reference=case.reference,
            lead_committee=f.lead_committee,
            urgent=f.urgent,
            stage=outline.stage,
            level="facts",
            committees=case.committees,
            state_party=f.state_party,
            acts=tuple(v.ACTS[a] for a in f.acts if a != "other"),
            target_type=v.TARGET_TYPES.get(f.target_type, f.target_type),
            target_count=f.target_count,
            received_on=f.received_on,
            due_on=facts.reply_due_on,
            outcome=v.OUTCOMES.get(facts.outcome) if facts.outcome else None,
            asg=case.id in self._asg,
        )
