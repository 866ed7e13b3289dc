"""Judging a walked audit chain against its head and the checkpoints kept outside the
database: which entry was touched, or whether the trail was wiped, truncated or rolled back."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.audit_chain import ChainKeys, head_mac
from storage.checkpoints import Checkpoint
from storage.models import AuditHeadRow


@dataclass(frozen=True, slots=True)
class Verdict:
    entries: int
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class Walk:
    """How far the chain verified, its last mac, the macs at the anchors' seqs, the problem."""

    count: int
    last_mac: str
    macs: dict[int, str] = field(default_factory=dict)
    problem: str | None = None


def judge(
    walk: Walk, head: AuditHeadRow | None, keys: ChainKeys, anchors: Sequence[Checkpoint]
) -> Verdict:
    """The first problem found, inside the chain first, then against the head, then against
    the latest checkpoint and every checkpoint made under the chain's current key."""
    count = walk.count
    if walk.problem is not None:
        return Verdict(count, walk.problem)
    latest = max(anchors, key=lambda anchor: anchor.seq, default=None)
    if latest is not None and latest.seq > count:
        recorded = f"the checkpoint of {latest.when} recorded {latest.seq}"
        if count == 0 and (head is None or head.seq == 0):
            return Verdict(0, f"wiped: the trail is empty, but {recorded} entries")
        if head is None or head.seq != count:
            return Verdict(count, f"truncated: entries after {count} are missing ({recorded})")
    if head is None or head.seq == 0:
        if count == 0:
            return Verdict(0)
        return Verdict(count, "the trail's head record was removed or reset")
    if not hmac.compare_digest(head.head_mac, head_mac(keys.for_seq(head.seq), head.seq, head.mac)):
        return Verdict(count, "the trail's head record was altered")
    if head.seq != count or head.mac != walk.last_mac:
        return Verdict(
            count, f"truncated: entries after {count} are missing (the trail had {head.seq})"
        )
    if latest is not None and latest.seq > count:
        return Verdict(
            count,
            f"rolled back: the trail ends at entry {count}, but the checkpoint of {latest.when} "
            f"recorded {latest.seq} entries (an older head or copy was put back)",
        )
    for anchor in anchors:
        if anchor.seq in walk.macs and walk.macs[anchor.seq] != anchor.mac:
            return Verdict(
                count,
                f"rolled back: entry {anchor.seq} differs from the checkpoint of {anchor.when} "
                "(an older copy was put back and written on)",
            )
    return Verdict(count)
