"""One case for the policy tests, built in memory: led by CAT, concerning CERD (CED is not
concerned), with the confidentiality, consents and stage a test names."""

from __future__ import annotations

import datetime as dt

from storage.records import CaseRecord, Consents, NewCase

AT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def sample_case(
    *,
    confidentiality: str = "restricted",
    share_committees: bool = False,
    share_asg: bool = False,
    publish: bool = False,
    stage: str = "received",
    shared_with: tuple[str, ...] = (),
    urgent: bool = False,
    acts: tuple[str, ...] = ("threats",),
    target_type: str = "defender",
    target_count: int = 1,
    names: tuple[str, ...] = ("X Y",),
    organisations: tuple[str, ...] = (),
    acts_other: str | None = None,
    summary: str = "S",
) -> CaseRecord:
    facts = NewCase(
        state_party="Viet Nam",
        lead_committee="CAT",
        other_committees=("CERD",),
        received_on=AT.date(),
        source="email",
        cooperation="session_geneva",
        timing="after",
        target_type=target_type,
        target_count=target_count,
        target_names=names,
        organisations=organisations,
        acts=acts,
        acts_other=acts_other,
        summary=summary,
        urgent=urgent,
        confidentiality=confidentiality,
        consents=Consents(share_committees=share_committees, share_asg=share_asg, publish=publish),
    )
    return CaseRecord(
        1, "RPR-2026-0001", 11, "Ana Reporter", stage, AT, AT, facts, shared_with=shared_with
    )
