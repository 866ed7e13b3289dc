"""The report form: its questions (one list for Slack and the console) and their validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from commands import vocabulary as v
from commands.errors import FormInvalid
from storage.records import Consents, NewCase
from storage.reference import CommitteeCode, canonical_state, committee

Raw = str | Sequence[str] | None

SUMMARY_MAX = 3000
NAMES_MAX = 2000
SHORT_MAX = 300
COUNT_MAX = 10_000


class Kind(StrEnum):
    STATE = "state"
    CHOICE = "choice"
    MULTI = "multi"
    DATE = "date"
    INTEGER = "integer"
    TEXT = "text"
    LONGTEXT = "longtext"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    kind: Kind
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()
    max_length: int = SHORT_MAX
    hint: str = ""
    sensitive: bool = False
    future: bool = False  # a date that may lie ahead, or behind (a due date)


def _opts(labels: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(labels.items())


COMMITTEE_OPTIONS = tuple((str(c), str(c)) for c in CommitteeCode)

FIELDS: tuple[Field, ...] = (
    Field("state_party", "State party", Kind.STATE, hint="Type to search the UN short names."),
    Field("lead_committee", "Lead committee", Kind.CHOICE, options=COMMITTEE_OPTIONS),
    Field("other_committees", "Other committees concerned", Kind.MULTI, False, COMMITTEE_OPTIONS),
    Field("received_on", "Date received", Kind.DATE, hint="YYYY-MM-DD"),
    Field("source", "How the allegation was received", Kind.CHOICE, options=_opts(v.SOURCES)),
    Field("cooperation", "How the person cooperated", Kind.CHOICE, options=_opts(v.COOPERATION)),
    Field("timing", "When the act happened", Kind.CHOICE, options=_opts(v.TIMING)),
    Field("target_type", "Who was targeted", Kind.CHOICE, options=_opts(v.TARGET_TYPES)),
    Field("target_count", "Number of persons targeted", Kind.INTEGER, hint="1 or more"),
    Field(
        "target_names",
        "Names of persons targeted (sensitive)",
        Kind.LONGTEXT,
        required=False,
        max_length=NAMES_MAX,
        hint="Optional. One per line. Never shown in a channel.",
        sensitive=True,
    ),
    Field("organisation", "Organisation targeted", Kind.TEXT, required=False),
    Field("acts", "Acts alleged", Kind.MULTI, options=_opts(v.ACTS)),
    Field("acts_other", "Other acts (describe)", Kind.TEXT, required=False, max_length=500),
    Field(
        "summary",
        "Summary of the allegation",
        Kind.LONGTEXT,
        max_length=SUMMARY_MAX,
        hint="Shown only to those who may see the case in full.",
        sensitive=True,
    ),
    Field("urgency", "Urgency", Kind.CHOICE, options=_opts(v.URGENCY)),
    Field("confidentiality", "Confidentiality", Kind.CHOICE, options=_opts(v.CONFIDENTIALITY)),
    Field("consents", "Consents given", Kind.MULTI, required=False, options=_opts(v.CONSENTS)),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def validate_field(field: Field, raw: Raw, *, today: dt.date) -> object:
    """The field's clean value, or ValueError with a message for the person."""
    values = _as_list(raw)
    if not values:
        if field.required:
            raise ValueError("This is required.")
        return () if field.kind is Kind.MULTI else None
    if field.kind is Kind.MULTI:
        return _choices(field, values)
    text = values[0]
    if len(values) > 1:
        raise ValueError("Choose only one.")
    return _single(field, text, today=today)


def _single(field: Field, text: str, *, today: dt.date) -> object:
    match field.kind:
        case Kind.STATE:
            state = canonical_state(text)
            if state is None:
                raise ValueError(f"{text!r} is not a UN Member or observer State's short name.")
            return state
        case Kind.CHOICE:
            return _choices(field, [text])[0]
        case Kind.DATE:
            return _date(text, today=today, future=field.future)
        case Kind.INTEGER:
            return _count(text)
        case _:
            if len(text) > field.max_length:
                raise ValueError(
                    f"Please keep this to {field.max_length:,} characters at most "
                    f"(it has {len(text):,})."
                )
            return text


def _choices(field: Field, values: Sequence[str]) -> tuple[str, ...]:
    known = {code.casefold(): code for code, _ in field.options}
    chosen: list[str] = []
    for value in values:
        code = known.get(value.strip().casefold())
        if code is None:
            raise ValueError(f"{value!r} is not one of: {', '.join(c for c, _ in field.options)}.")
        if code not in chosen:
            chosen.append(code)
    return tuple(chosen)


def _date(text: str, *, today: dt.date, future: bool = False) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Please give the date as YYYY-MM-DD.") from None
    # A due date may lie ahead, or behind (a letter logged after the fact): its form checks it
    # against the date it follows.
    if day > today and not future:
        raise ValueError("This date cannot be in the future.")
    if day.year < 2000:
        raise ValueError("Please check the year.")
    return day


def _count(text: str) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise ValueError("Please give a whole number.") from None
    if not 1 <= number <= COUNT_MAX:
        raise ValueError(f"Please give a number from 1 to {COUNT_MAX:,}.")
    return number


def _as_list(raw: Raw) -> list[str]:
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [item for item in (i.strip() for i in items) if item]


def validate_report(raw: Mapping[str, Raw], *, today: dt.date) -> NewCase:
    """A NewCase from the form's raw answers, or FormInvalid naming every field to fix."""
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        try:
            clean[field.name] = validate_field(field, raw.get(field.name), today=today)
        except ValueError as problem:
            errors[field.name] = str(problem)
    errors.update(_cross_checks(clean, errors))
    if errors:
        raise FormInvalid(errors)
    return _new_case(clean)


def _cross_checks(clean: Mapping[str, object], errors: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    consents = set(_codes(clean.get("consents")))
    if clean.get("confidentiality") == "shared" and "share_committees" not in consents:
        found["confidentiality"] = (
            "A shared case needs consent to share with other committees: tick that consent, "
            "or choose Restricted."
        )
    acts = _codes(clean.get("acts"))
    if "other" in acts and not clean.get("acts_other") and "acts_other" not in errors:
        found["acts_other"] = "You chose Other: please describe the acts."
    return found


def _codes(value: object) -> tuple[str, ...]:
    """A multi-choice answer's codes (validate_field gives a tuple, or None when empty)."""
    return tuple(str(code) for code in value) if isinstance(value, tuple) else ()


def _new_case(clean: Mapping[str, object]) -> NewCase:
    lead = committee(str(clean["lead_committee"])).code
    others = tuple(c for c in clean["other_committees"] if c != lead)  # type: ignore[attr-defined]
    consents = set(clean["consents"])  # type: ignore[call-overload]
    names = str(clean["target_names"] or "").splitlines()
    organisation = clean["organisation"]
    return NewCase(
        state_party=str(clean["state_party"]),
        lead_committee=str(lead),
        other_committees=tuple(sorted(others)),
        received_on=clean["received_on"],  # type: ignore[arg-type]
        source=str(clean["source"]),
        cooperation=str(clean["cooperation"]),
        timing=str(clean["timing"]),
        target_type=str(clean["target_type"]),
        target_count=int(clean["target_count"]),  # type: ignore[call-overload]
        target_names=tuple(n.strip() for n in names if n.strip()),
        organisations=(str(organisation),) if organisation else (),
        acts=tuple(sorted(clean["acts"])),  # type: ignore[call-overload]
        acts_other=str(clean["acts_other"]) if clean["acts_other"] else None,
        summary=str(clean["summary"]),
        urgent=clean["urgency"] == "urgent",
        confidentiality=str(clean["confidentiality"]),
        consents=Consents(
            share_committees="share_committees" in consents,
            share_asg="share_asg" in consents,
            name_to_state="name_to_state" in consents,
            publish="publish" in consents,
        ),
    )
