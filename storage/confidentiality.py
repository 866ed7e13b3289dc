"""A case's effective confidentiality, defined once: as Python for a record, and as the matching
SQL for queries over many cases. Tests hold the two together on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, literal

from storage.models import CaseRow

RESTRICTED = "restricted"  # the lead committee's focal points and the secretariat
SHARED = "shared"  # every committee's focal points: chosen, with consent to share
PUBLIC = "public"  # shared, and with consent to publish


def effective(confidentiality: str, share_committees: bool, publish: bool) -> str:
    """`shared` counts only with consent to share with other committees; `public` is shared
    with consent to publish; anything else is `restricted`."""
    if confidentiality != SHARED or not share_committees:
        return RESTRICTED
    return PUBLIC if publish else SHARED


def effective_sql(row: type[CaseRow] = CaseRow) -> ColumnElement[str]:
    """`effective`, as SQL over the columns of the cases table."""
    shared = and_(row.confidentiality == SHARED, row.consent_share_committees.is_(True))
    return case(
        (and_(shared, row.consent_publish.is_(True)), literal(PUBLIC)),
        (shared, literal(SHARED)),
        else_=literal(RESTRICTED),
    )
