"""The directory: who holds which role, which Slack channels to use, and the time zone (TOML)."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.schedules.settings import Schedules, parse_schedules
from commands.roles import Role, RoleKind
from storage.reference import CommitteeCode

DEFAULT_TIMEZONE = "Europe/Zurich"
DEFAULT_REPLY_DUE_DAYS = 60
SLACK_USER_RE = re.compile(r"^[UW][A-Z0-9]{2,}$")
SLACK_CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{2,}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Slack sends a mention typed in a command as <@U0123ABCD> or <@U0123ABCD|name>.
_MENTION_RE = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")

_TOP_KEYS = ("timezone", "reply_due_days", "slack", "digest", "reminders", "people")
_SLACK_KEYS = ("coordination_channel", "chairs_channel")
_PERSON_KEYS = ("name", "slack_user", "email", "roles")
# A key in the wrong table is usually a TOML ordering slip: every key after a [table] header
# belongs to that table, so say where the key should go.
_HOME = {
    "timezone": "at the top of the file, before [slack] and [[people]]",
    "reply_due_days": "at the top of the file, before [slack] and [[people]]",
    **{key: "under [slack]" for key in _SLACK_KEYS},
    **{key: "in a [[people]] entry" for key in _PERSON_KEYS},
}
_ONE_ENTRY = "each person has one entry, with all their roles in its roles list"


class DirectoryError(Exception):
    """The directory cannot be used; `problems` holds one polite, precise line per problem."""

    def __init__(self, problems: Iterable[str], *, source: str = "<directory>") -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the directory; `key` is "slack:<user id>", or else "email:<lowercased email>"."""

    key: str
    name: str
    slack_user: str | None
    email: str | None
    roles: frozenset[Role]

    def holds(self, kind: RoleKind, committee: CommitteeCode | None = None) -> bool:
        """Whether this person holds a role of this kind (for this committee, if one is given)."""
        return any(
            r.kind == kind and (committee is None or r.committee in (None, committee))
            for r in self.roles
        )


@dataclass(frozen=True, slots=True)
class Directory:
    """The validated directory: time zone, Slack channels, letter due days and people."""

    timezone: str
    coordination_channel: str
    chairs_channel: str
    reply_due_days: int
    people: tuple[Person, ...]
    schedules: Schedules = dataclasses.field(default_factory=Schedules)

    def find(self, name_or_email: str) -> Person | None:
        """The person with this email, Slack id (or <@mention>) or exact name, ignoring case."""
        text = name_or_email.strip()
        if mention := _MENTION_RE.match(text):
            return self.by_slack_user(mention.group(1))
        folded = text.casefold()
        for person in self.people:
            if person.email is not None and person.email.casefold() == folded:
                return person
        if found := self.by_slack_user(text):
            return found
        wanted = fold_name(text)
        return next((p for p in self.people if fold_name(p.name) == wanted), None)

    def by_slack_user(self, user_id: str) -> Person | None:
        """The person with this Slack user id, if any."""
        return next((p for p in self.people if p.slack_user == user_id), None)

    def holders(self, kind: RoleKind, committee: CommitteeCode | None = None) -> tuple[Person, ...]:
        """People holding a role of this kind, in file order.

        `committee` narrows focal points, alternates and Chairs to one committee; the ASG office
        and the secretariat serve every committee, so for them it changes nothing.
        """
        return tuple(p for p in self.people if p.holds(kind, committee))

    def committees_without_focal_point(self) -> tuple[CommitteeCode, ...]:
        """Committees nobody serves as focal point (an alternate alone does not count)."""
        return tuple(c for c in CommitteeCode if not self.holders(RoleKind.FOCAL_POINT, c))


def load_directory(path: str | os.PathLike[str]) -> Directory:
    """Read and validate a directory file; DirectoryError lists every problem found."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        problem = "the file does not exist (copy directory.example.toml to start one)"
    except OSError as exc:
        problem = f"the file cannot be read ({exc.strerror})"
    else:
        return read_directory(raw, source=source)
    raise DirectoryError([problem], source=source)


def read_directory(raw: bytes, *, source: str = "<directory>") -> Directory:
    """Decode and validate a directory file's bytes; DirectoryError lists every problem found."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problem = f"the file is not UTF-8 text (byte {exc.start}); please save it as UTF-8"
    except tomllib.TOMLDecodeError as exc:
        # tomllib ends its message with "(at line N, column M)".
        problem = f"the file is not valid TOML: {exc}"
    else:
        return parse_directory(data, source=source)
    raise DirectoryError([problem], source=source)


def parse_directory(data: Mapping[str, Any], *, source: str = "<directory>") -> Directory:
    """Validate an already-parsed directory; DirectoryError lists every problem found."""
    if not isinstance(data, Mapping):
        raise DirectoryError(["the directory must be a TOML table of keys"], source=source)
    problems = _unknown_keys(data, _TOP_KEYS, "top level")
    timezone = _timezone(data.get("timezone", DEFAULT_TIMEZONE), problems)
    due = _reply_due_days(data.get("reply_due_days", DEFAULT_REPLY_DUE_DAYS), problems)
    coordination, chairs = _channels(data.get("slack"), problems)
    schedules = parse_schedules(data.get("digest"), data.get("reminders"), timezone, problems)
    people = _people(data.get("people", []), problems)
    if problems:
        raise DirectoryError(problems, source=source)
    return Directory(timezone, coordination, chairs, due, people, schedules)


def fold_name(name: str) -> str:
    """A name as compared: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def _unknown_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> list[str]:
    problems = []
    for key in table:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = (
            f"; it belongs {_HOME[key]}"
            if key in _HOME
            else f"; did you mean {close[0]!r}?"
            if close
            else ""
        )
        problems.append(f"{where}: unknown key {key!r}{hint} (known here: {', '.join(known)})")
    return problems


def _timezone(value: object, problems: list[str]) -> str:
    if not isinstance(value, str):
        problems.append('timezone: must be a time zone name in quotes, e.g. "Europe/Zurich"')
        return DEFAULT_TIMEZONE
    try:
        ZoneInfo(value)
        return value
    except (ZoneInfoNotFoundError, ValueError, OSError):  # ValueError: "", "/x", "../x"
        pass
    if "geneva" in value.casefold():
        hint = '; Geneva\'s time zone is "Europe/Zurich" (the tz database has no Europe/Geneva)'
    else:
        zones = available_timezones()
        same = [z for z in zones if z.casefold() == value.strip().casefold()]
        close = same or difflib.get_close_matches(value, zones, n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ', e.g. "Europe/Zurich"'
    problems.append(f"timezone: {value!r} is not a time zone of the tz database{hint}")
    return DEFAULT_TIMEZONE


def _reply_due_days(value: object, problems: list[str]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 365:
        return value
    problems.append(f"reply_due_days: must be a whole number of days from 1 to 365, not {value!r}")
    return DEFAULT_REPLY_DUE_DAYS


def _channels(table: object, problems: list[str]) -> tuple[str, str]:
    if not isinstance(table, Mapping):
        problems.append(
            "slack: the [slack] table is missing; it needs " + " and ".join(_SLACK_KEYS)
        )
        return "", ""
    problems += _unknown_keys(table, _SLACK_KEYS, "slack")
    coordination, chairs = (_channel(table, key, problems) for key in _SLACK_KEYS)
    if coordination and coordination == chairs:
        problems.append(
            "slack: coordination_channel and chairs_channel are the same channel; please use two,"
            " since Chairs see less than focal points (no victims' names)"
        )
    return coordination, chairs


def _channel(table: Mapping[str, Any], key: str, problems: list[str]) -> str:
    value = table.get(key)
    example = 'a channel id such as "C0123ABCD" (channel details in Slack, at the bottom)'
    if value is None:
        problems.append(f"slack.{key}: is missing; please give {example}")
    elif not isinstance(value, str) or not SLACK_CHANNEL_RE.match(value):
        what = "a channel name" if str(value).startswith("#") else "not a Slack channel id"
        problems.append(f"slack.{key}: {value!r} is {what}; please give {example}")
    else:
        return value
    return ""


def _people(entries: object, problems: list[str]) -> tuple[Person, ...]:
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        problems.append("people: write each person as a [[people]] table (see the example file)")
        return ()
    people: list[Person] = []
    seen: dict[tuple[str, str], str] = {}
    for index, entry in enumerate(entries, start=1):
        name = entry.get("name")
        label = f"people[{index}] ({name.strip() if _text(name) else 'no name'})"
        person = _person(entry, label, problems)
        for field, value in _identities(entry):
            earlier = seen.setdefault((field, value), label)
            if earlier != label:
                problems.append(f"{label}: same {field} as {earlier}; {_ONE_ENTRY}")
        if person is not None:
            people.append(person)
    return tuple(people)


def _person(entry: Mapping[str, Any], label: str, problems: list[str]) -> Person | None:
    before = len(problems)
    problems += _unknown_keys(entry, _PERSON_KEYS, label)
    name, slack_user, email = (entry.get(key) for key in ("name", "slack_user", "email"))
    if not _text(name):
        problems.append(f'{label}: name is missing; please add name = "..." to this entry')
    if slack_user is None and email is None:
        problems.append(f"{label}: needs slack_user or email (at least one) to be reachable")
    if slack_user is not None and not (_text(slack_user) and SLACK_USER_RE.match(slack_user)):
        problems.append(
            f"{label}: slack_user {slack_user!r} is not a Slack member id; it looks like "
            '"U0123ABCD" (profile in Slack, then More, then Copy member ID)'
        )
    if email is not None and not (_text(email) and EMAIL_RE.match(email)):
        problems.append(f"{label}: email {email!r} is not an email address")
    roles = _roles(entry.get("roles"), label, problems)
    if len(problems) > before or not _text(name):
        return None
    # Checked above: a person without a Slack id has an email address.
    key = f"slack:{slack_user}" if slack_user else f"email:{cast(str, email).lower()}"
    return Person(key, " ".join(name.split()), slack_user, email, roles)


def _roles(texts: object, label: str, problems: list[str]) -> frozenset[Role]:
    example = 'e.g. roles = ["focal_point:CAT"]'
    if texts is None or texts == []:
        problems.append(f"{label}: roles is {'missing' if texts is None else 'empty'}; {example}")
        return frozenset()
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        problems.append(
            f"{label}: roles must be a list in square brackets, even for one role, {example}"
        )
        return frozenset()
    roles: set[Role] = set()
    for text in texts:
        try:
            role = Role.parse(text)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
            continue
        if role in roles:
            problems.append(f"{label}: role '{role}' is listed twice; please keep one")
        roles.add(role)
    for code in CommitteeCode:
        if {Role(RoleKind.FOCAL_POINT, code), Role(RoleKind.ALTERNATE, code)} <= roles:
            problems.append(f"{label}: is both focal point and alternate for {code}; keep one")
    return frozenset(roles)


def _identities(entry: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What must be unique across entries, normalised: Slack id, email, name."""
    found = []
    if _text(slack := entry.get("slack_user")):
        found.append(("slack_user", slack.strip()))
    if _text(email := entry.get("email")):
        found.append(("email", email.strip().casefold()))
    if _text(name := entry.get("name")):
        found.append(("name", fold_name(name)))
    return found


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())
