"""Exports for the annual reports: every case at the level the policy gives exports (facts,
never names or summaries), for the secretariat only."""

from __future__ import annotations

import functools

from commands import policy
from commands.errors import NotAllowed
from commands.invocation import Dependencies
from commands.roles import Actor
from commands.trail import record
from commands.views import CaseView, view_case

COLUMNS = (
    "reference",
    "received_on",
    "state_party",
    "lead_committee",
    "committees",
    "source",
    "cooperation",
    "timing",
    "target_type",
    "target_count",
    "acts",
    "urgent",
    "stage",
    "confidentiality",
)


async def cases(*, actor: Actor, core: Dependencies) -> list[dict[str, str]]:
    """One row per case the export may show; each case exported, and the export, is audited."""
    exported = functools.partial(
        record, actor=actor, action="export", surface=policy.Surface.EXPORT, clock=core.clock
    )
    async with core.uow() as uow:
        if not policy.may_administer(actor):
            await exported(uow, case_id=None, allowed=False)
            await uow.commit()
            raise NotAllowed("Only the secretariat can export cases.")
        rows = []
        for case in reversed(await uow.cases.find(limit=1_000_000)):
            level = policy.level_for(actor, case, policy.Surface.EXPORT)
            if level > policy.Visibility.NONE:
                rows.append(_row(view_case(case, level)))
                # One entry per case exported: its own trail shows that it left in a file.
                await exported(uow, case_id=case.id, allowed=True)
        await exported(uow, case_id=None, allowed=True, detail={"cases": len(rows)})
        await uow.commit()
    return rows


def _row(view: CaseView) -> dict[str, str]:
    return {
        "reference": view.reference,
        "received_on": str(view.received_on or ""),
        "state_party": view.state_party or "",
        "lead_committee": view.lead_committee,
        "committees": "; ".join(view.committees),
        "source": view.source or "",
        "cooperation": view.cooperation or "",
        "timing": view.timing or "",
        "target_type": view.target_type or "",
        "target_count": str(view.target_count or ""),
        "acts": "; ".join(view.acts),
        "urgent": "yes" if view.urgent else "no",
        "stage": view.stage,
        "confidentiality": view.confidentiality,
    }
