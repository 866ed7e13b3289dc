"""The schema: SQLAlchemy 2 declarative models. Repositories are the only users."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CommitteeRow(Base):
    __tablename__ = "committees"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    slack_user: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Slack said the account is deactivated: kept here so every instance sees it at once.
    slack_deactivated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    roles: Mapped[list[RoleRow]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )


class RoleRow(Base):
    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "kind", "committee_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    committee_code: Mapped[str | None] = mapped_column(ForeignKey("committees.code"))
    person: Mapped[PersonRow] = relationship(back_populates="roles")


class ReferenceCounterRow(Base):
    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state_party: Mapped[str] = mapped_column(String(100), index=True)
    lead_committee: Mapped[str] = mapped_column(ForeignKey("committees.code"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(40))
    cooperation: Mapped[str] = mapped_column(String(40))
    timing: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(40))
    target_count: Mapped[int] = mapped_column(Integer)
    acts_other_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    summary_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    urgent: Mapped[bool] = mapped_column(Boolean)
    confidentiality: Mapped[str] = mapped_column(String(16))
    consent_share_committees: Mapped[bool] = mapped_column(Boolean)
    consent_share_asg: Mapped[bool] = mapped_column(Boolean)
    consent_name_to_state: Mapped[bool] = mapped_column(Boolean)
    consent_publish: Mapped[bool] = mapped_column(Boolean)
    stage: Mapped[str] = mapped_column(String(32), default="received", index=True)
    # Kept up to date by every action, so digests and reminders need no timeline scan.
    reply_due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    committees: Mapped[list[CaseCommitteeRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    acts: Mapped[list[CaseActRow]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    targets: Mapped[list[TargetRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="TargetRow.id"
    )
    reporter: Mapped[PersonRow] = relationship(lazy="selectin")
    key: Mapped[CaseKeyRow | None] = relationship(
        lazy="selectin", cascade="all, delete-orphan", uselist=False
    )


class CaseKeyRow(Base):
    """A case's data key, sealed by a master key. Deleting it erases the case's identifying data."""

    __tablename__ = "case_keys"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    master_key_id: Mapped[str] = mapped_column(String(64), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class SealedKeyRow(Base):
    """Other keys the bot keeps sealed by the master key (e.g. the audit chain's HMAC key)."""

    __tablename__ = "sealed_keys"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    master_key_id: Mapped[str] = mapped_column(String(64), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)


class CaseCommitteeRow(Base):
    """A committee concerned by a case besides the lead committee."""

    __tablename__ = "case_committees"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    committee_code: Mapped[str] = mapped_column(ForeignKey("committees.code"), primary_key=True)
    # Set when the case was shared with this committee by hand (with consent): its focal
    # points then see and act on the case, even if it is restricted.
    shared_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class CaseActRow(Base):
    __tablename__ = "case_acts"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    act: Mapped[str] = mapped_column(String(40), primary_key=True)


class TargetRow(Base):
    """A person or organisation targeted; the name is the most sensitive field we hold."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # A keyed hash of the normalised name: finds the same person across cases without the name.
    name_index: Mapped[str | None] = mapped_column(String(64), index=True)


class TimelineRow(Base):
    __tablename__ = "timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class CaseThreadRow(Base):
    """Where a case lives on a chat platform: the channel and the card that roots its thread."""

    __tablename__ = "case_threads"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    root_ref: Mapped[str] = mapped_column(String(64))


class NoticeRow(Base):
    """The outbox: a message to send, written with the change that causes it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str] = mapped_column(String(16))
    destination: Mapped[str] = mapped_column(String(16))
    ordering_key: Mapped[str] = mapped_column(String(64), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    payload: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sent_ref: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """One entry of the append-only audit trail; `mac` chains it to the entry before."""

    __tablename__ = "audit"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    decision: Mapped[str] = mapped_column(String(8))
    surface: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    mac: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The last entry's number and mac, sealed: a truncated trail no longer matches it."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str] = mapped_column(String(64))
    head_mac: Mapped[str] = mapped_column(String(64))


class ChannelSafetyRow(Base):
    """A channel the bot posts case details in, and whether it still may."""

    __tablename__ = "channel_safety"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    safe: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(200))
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CaseActionRow(Base):
    """Something done on a case (a letter, a reply, a meeting...): appended, never changed."""

    __tablename__ = "case_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    taken_on: Mapped[dt.date] = mapped_column(Date, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    committees: Mapped[list[str]] = mapped_column(JSON, default=list)
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class DigestSentRow(Base):
    """The ledger of digests: one row per period and recipient, written with its outbox rows.
    The primary key is what makes a digest go out once, whatever restarts or instances."""

    __tablename__ = "digests_sent"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64), primary_key=True)
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ReminderSentRow(Base):
    """The ledger of reminders: one per case, due date and kind (due soon, overdue)."""

    __tablename__ = "reminders_sent"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SlackEventRow(Base):
    """Events already handled, by Slack's event_id: a retried delivery has no second effect."""

    __tablename__ = "handled_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class CaseLinkRow(Base):
    """Two cases known to be related (the same person, the same events); stored once, with the
    lower case id first."""

    __tablename__ = "case_links"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    linked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CaseMessageRow(Base):
    """A message someone posted in a case's thread: kept with the case (sealed with its key),
    so the record is complete outside Slack."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))  # Slack's ts: the same message is kept once
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    text_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (UniqueConstraint("platform", "ref"),)


class DatabaseMarkRow(Base):
    """A fact about the database itself (e.g. `demo`: filled with synthetic cases)."""

    __tablename__ = "database_marks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
