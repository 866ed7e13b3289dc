"""The directory file: loading, every validation rule, look-ups and the roster."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from bot.directory.load import (
    DEFAULT_REPLY_DUE_DAYS,
    DEFAULT_TIMEZONE,
    Directory,
    DirectoryError,
    load_directory,
    parse_directory,
)
from bot.directory.roster_text import format_roster
from commands.roles import Role, RoleKind
from storage.reference import CommitteeCode

EXAMPLE = Path(__file__).resolve().parents[2] / "directory.example.toml"

BASE: dict[str, Any] = {
    "timezone": "Europe/Zurich",
    "reply_due_days": 60,
    "slack": {"coordination_channel": "C0COORD01", "chairs_channel": "C0CHAIRS1"},
    "people": [
        {"name": "Ana Example", "slack_user": "U0CATFP01", "roles": ["focal_point:CAT"]},
        {"name": "Ben Example", "email": "Ben.Example@example.org", "roles": ["chair:CAT"]},
    ],
}


def data(**changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(BASE)
    result.update(changes)
    return result


def with_person(**entry: Any) -> dict[str, Any]:
    """BASE plus a third person (people[3])."""
    result = data()
    result["people"].append(entry)
    return result


def problems_of(raw: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(raw)
    return caught.value.problems


def only_problem(raw: dict[str, Any]) -> str:
    problems = problems_of(raw)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture
def example() -> Directory:
    return load_directory(EXAMPLE)


# The example file


def test_example_file_has_a_focal_point_for_every_committee(example: Directory) -> None:
    assert example.committees_without_focal_point() == ()
    for code in CommitteeCode:
        assert example.holders(RoleKind.FOCAL_POINT, code), code


def test_example_file_has_the_people_other_modules_rely_on(example: Directory) -> None:
    assert example.timezone == "Europe/Zurich"
    assert example.reply_due_days == 60
    assert example.coordination_channel != example.chairs_channel
    assert example.by_slack_user("U0CATFP01").name == "Ana Example"  # type: ignore[union-attr]
    assert example.by_slack_user("U0CATCH01") in example.holders(RoleKind.CHAIR, CommitteeCode.CAT)
    assert example.by_slack_user("U0CERDFP1") in example.holders(
        RoleKind.FOCAL_POINT, CommitteeCode.CERD
    )
    sam = example.by_slack_user("U0SECR001")
    assert sam is not None and sam.name == "Sam Secretariat"
    assert example.by_slack_user("U0ASG0001") in example.holders(RoleKind.ASG_OFFICE)
    assert len(example.holders(RoleKind.ASG_OFFICE)) == 2
    assert len(example.holders(RoleKind.SECRETARIAT)) == 2
    assert example.holders(RoleKind.ALTERNATE)
    assert example.holders(RoleKind.CHAIR, CommitteeCode.CCPR)
    assert any(p.slack_user is None and p.email for p in example.people)


def test_a_valid_directory_parses_with_keys_and_defaults() -> None:
    raw = data()
    del raw["timezone"], raw["reply_due_days"]
    directory = parse_directory(raw)
    assert directory.timezone == DEFAULT_TIMEZONE == "Europe/Zurich"
    assert directory.reply_due_days == DEFAULT_REPLY_DUE_DAYS == 60
    ana, ben = directory.people
    assert ana.key == "slack:U0CATFP01"
    assert ben.key == "email:ben.example@example.org"
    assert ana.roles == frozenset({Role(RoleKind.FOCAL_POINT, CommitteeCode.CAT)})


def test_a_person_may_hold_several_roles() -> None:
    raw = with_person(
        name="Cleo Example",
        slack_user="U0CLEO001",
        roles=["focal_point:CMW", "chair:CMW", "focal_point:CED"],
    )
    cleo = parse_directory(raw).people[2]
    assert {str(r) for r in cleo.roles} == {"focal_point:CMW", "chair:CMW", "focal_point:CED"}


# Loading a file


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError) as caught:
        load_directory(tmp_path / "nowhere.toml")
    assert "does not exist" in str(caught.value)
    assert str(tmp_path / "nowhere.toml") in str(caught.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "directory.toml"
    path.write_text('timezone = "Europe/Zurich"\n[slack\ncoordination_channel = "C1"\n')
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    (problem,) = caught.value.problems
    assert "not valid TOML" in problem
    assert "line 2" in problem


def test_each_line_of_the_error_starts_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "directory.toml"
    path.write_text('timezone = "Mars/Olympus"\nreply_due_days = 0\n')
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems) == 3
    assert all(line.startswith(f"{path}: ") for line in lines)


# Top level and [slack]


def test_unknown_top_level_key_is_named_with_a_suggestion() -> None:
    problem = only_problem(data(timezon="Europe/Zurich"))
    assert "unknown key 'timezon'" in problem
    assert "did you mean 'timezone'?" in problem


def test_key_in_the_wrong_table_says_where_it_belongs() -> None:
    raw = data()
    raw["slack"]["reply_due_days"] = 30
    problem = only_problem(raw)
    assert problem.startswith("slack: unknown key 'reply_due_days'")
    assert "at the top of the file" in problem


def test_europe_geneva_suggests_europe_zurich() -> None:
    problem = only_problem(data(timezone="Europe/Geneva"))
    assert problem.startswith("timezone: 'Europe/Geneva'")
    assert '"Europe/Zurich"' in problem


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [("europe/zurich", "'Europe/Zurich'"), ("America/New_Yrok", "'America/New_York'")],
)
def test_near_miss_time_zone_suggests_the_closest(value: str, suggestion: str) -> None:
    assert f"did you mean {suggestion}?" in only_problem(data(timezone=value))


@pytest.mark.parametrize("value", ["", "../etc/passwd", 3])
def test_malformed_time_zone_is_reported(value: object) -> None:
    assert only_problem(data(timezone=value)).startswith("timezone: ")


@pytest.mark.parametrize("value", [0, 366, "60", True, 6.5])
def test_reply_due_days_must_be_1_to_365(value: object) -> None:
    problem = only_problem(data(reply_due_days=value))
    assert problem.startswith("reply_due_days: ")
    assert "1 to 365" in problem


def test_reply_due_days_bounds_are_allowed() -> None:
    assert parse_directory(data(reply_due_days=1)).reply_due_days == 1
    assert parse_directory(data(reply_due_days=365)).reply_due_days == 365


def test_missing_slack_table_is_reported() -> None:
    raw = data()
    del raw["slack"]
    problem = only_problem(raw)
    assert "[slack] table is missing" in problem


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("#reprisals", "is a channel name"),
        ("c0coord01", "not a Slack channel id"),
        ("U0CATFP01", "not a Slack channel id"),
    ],
)
def test_malformed_channel_is_reported(value: str, words: str) -> None:
    raw = data()
    raw["slack"]["chairs_channel"] = value
    problem = only_problem(raw)
    assert problem.startswith(f"slack.chairs_channel: {value!r}")
    assert words in problem


def test_private_channel_ids_are_allowed() -> None:
    raw = data()
    raw["slack"]["chairs_channel"] = "G0CHAIRS1"
    assert parse_directory(raw).chairs_channel == "G0CHAIRS1"


def test_missing_channel_and_shared_channel_are_reported() -> None:
    raw = data()
    del raw["slack"]["chairs_channel"]
    assert only_problem(raw).startswith("slack.chairs_channel: is missing")
    raw["slack"]["chairs_channel"] = "C0COORD01"
    assert "same channel" in only_problem(raw)


# People


def test_unknown_role_names_the_entry_and_the_known_roles() -> None:
    problem = only_problem(
        with_person(name="Cleo Example", slack_user="U0CLEO001", roles=["focal:CAT"])
    )
    assert problem.startswith("people[3] (Cleo Example): unknown role 'focal:CAT' (known: ")
    assert "focal_point" in problem and "secretariat" in problem


@pytest.mark.parametrize(
    ("role", "words"),
    [
        ("focal_point:CATT", "needs a committee code"),
        ("chair", "needs a committee code"),
        ("secretariat:CAT", "takes no committee"),
        ("asg_office:CCPR", "takes no committee"),
    ],
)
def test_committee_errors_use_the_role_messages(role: str, words: str) -> None:
    problem = only_problem(with_person(name="Cleo Example", slack_user="U0CLEO001", roles=[role]))
    assert problem.startswith(f"people[3] (Cleo Example): role {role!r}")
    assert words in problem


def test_unknown_person_key_is_named_with_a_suggestion() -> None:
    problem = only_problem(
        with_person(
            name="Cleo Example",
            slack_id="U0CLEO001",
            email="cleo@example.org",
            roles=["secretariat"],
        )
    )
    assert problem.startswith("people[3] (Cleo Example): unknown key 'slack_id'")
    assert "did you mean 'slack_user'?" in problem


def test_missing_name_is_reported_by_index() -> None:
    problem = only_problem(with_person(slack_user="U0CLEO001", roles=["secretariat"]))
    assert problem.startswith("people[3] (no name): name is missing")


def test_person_needs_a_slack_user_or_an_email() -> None:
    problem = only_problem(with_person(name="Cleo Example", roles=["secretariat"]))
    assert problem.startswith("people[3] (Cleo Example): needs slack_user or email")


@pytest.mark.parametrize("value", ["u0cleo001", "@cleo", "C0CLEO001", "U", 42])
def test_malformed_slack_user_is_reported(value: object) -> None:
    problem = only_problem(
        with_person(name="Cleo Example", slack_user=value, roles=["secretariat"])
    )
    assert problem.startswith(f"people[3] (Cleo Example): slack_user {value!r} is not a Slack")


@pytest.mark.parametrize("value", ["cleo", "cleo@example", "cleo @example.org", "a@b@c.org"])
def test_malformed_email_is_reported(value: str) -> None:
    problem = only_problem(with_person(name="Cleo Example", email=value, roles=["secretariat"]))
    assert problem.startswith(f"people[3] (Cleo Example): email {value!r} is not an email")


@pytest.mark.parametrize(
    ("roles", "words"),
    [
        ([], "roles is empty"),
        (None, "roles is missing"),
        ("secretariat", "roles must be a list in square brackets"),
    ],
)
def test_roles_must_be_a_non_empty_list(roles: object, words: str) -> None:
    entry: dict[str, Any] = {"name": "Cleo Example", "slack_user": "U0CLEO001"}
    if roles is not None:
        entry["roles"] = roles
    problem = only_problem(with_person(**entry))
    assert problem.startswith(f"people[3] (Cleo Example): {words}")


def test_duplicate_role_within_a_person_is_reported() -> None:
    problem = only_problem(
        with_person(name="Cleo Example", slack_user="U0CLEO001", roles=["chair:CMW", "chair:cmw"])
    )
    assert problem == "people[3] (Cleo Example): role 'chair:CMW' is listed twice; please keep one"


def test_focal_point_and_alternate_of_one_committee_is_reported() -> None:
    problem = only_problem(
        with_person(
            name="Cleo Example", slack_user="U0CLEO001", roles=["focal_point:CED", "alternate:CED"]
        )
    )
    assert problem.startswith("people[3] (Cleo Example): is both focal point and alternate for CED")


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"name": "Cleo Example", "slack_user": "U0CATFP01"}, "slack_user"),
        ({"name": "Cleo Example", "email": "BEN.example@EXAMPLE.org"}, "email"),
        ({"name": "  ana   EXAMPLE ", "email": "ana2@example.org"}, "name"),
    ],
)
def test_duplicate_person_names_both_entries(entry: dict[str, Any], field: str) -> None:
    problem = only_problem(with_person(**entry, roles=["secretariat"]))
    assert problem.startswith("people[3] (")
    assert f"same {field} as people[" in problem
    earlier = "people[2] (Ben Example)" if field == "email" else "people[1] (Ana Example)"
    assert earlier in problem


def test_people_must_be_tables() -> None:
    assert only_problem(data(people=["Ana Example"])).startswith("people: ")


def test_all_problems_are_collected() -> None:
    raw = data(timezone="Europe/Geneva", reply_due_days=0, colour="blue")
    raw["slack"]["chairs_channel"] = "#chairs"
    raw["people"] += [
        {"name": "Cleo Example", "roles": ["focal:CAT"]},
        {"slack_user": "U0ANA", "roles": []},
        {"name": "Ana Example", "email": "ana@example", "roles": ["chair:XYZ"], "phone": "1"},
    ]
    problems = problems_of(raw)
    expected_starts = [
        "top level: unknown key 'colour'",
        "timezone: 'Europe/Geneva'",
        "reply_due_days: ",
        "slack.chairs_channel: '#chairs'",
        "people[3] (Cleo Example): needs slack_user or email",
        "people[3] (Cleo Example): unknown role 'focal:CAT'",
        "people[4] (no name): name is missing",
        "people[4] (no name): roles is empty",
        "people[5] (Ana Example): unknown key 'phone'",
        "people[5] (Ana Example): email 'ana@example'",
        "people[5] (Ana Example): role 'chair:XYZ'",
        "people[5] (Ana Example): same name as people[1] (Ana Example)",
    ]
    assert len(problems) == len(expected_starts), problems
    for problem, start in zip(problems, expected_starts, strict=True):
        assert problem.startswith(start), (problem, start)


# Look-ups


def test_find_by_email_slack_id_mention_or_name(example: Directory) -> None:
    ana = example.by_slack_user("U0CATFP01")
    assert ana is not None
    assert example.find("Ana.Example@EXAMPLE.org") is ana
    assert example.find("U0CATFP01") is ana
    assert example.find("<@U0CATFP01|ana>") is ana
    assert example.find("  ana example ") is ana
    assert example.find("Ana") is None
    assert example.find("nobody@example.org") is None
    jun = example.find("jun.example@example.org")
    assert jun is not None and jun.name == "Jun Example" and jun.slack_user is None


def test_by_slack_user_is_exact(example: Directory) -> None:
    assert example.by_slack_user("u0catfp01") is None
    assert example.by_slack_user("U0NOBODY1") is None


def test_holders_by_kind_and_committee(example: Directory) -> None:
    cat_fps = example.holders(RoleKind.FOCAL_POINT, CommitteeCode.CAT)
    assert [p.name for p in cat_fps] == ["Ana Example"]
    assert len(example.holders(RoleKind.FOCAL_POINT, CommitteeCode.CRPD)) == 2
    assert len(example.holders(RoleKind.FOCAL_POINT)) >= 10
    chairs = {p.slack_user for p in example.holders(RoleKind.CHAIR)}
    assert {"U0CATCH01", "U0CCPRCH1"} <= chairs
    # The ASG office and the secretariat serve every committee.
    assert example.holders(RoleKind.ASG_OFFICE, CommitteeCode.CAT) == example.holders(
        RoleKind.ASG_OFFICE
    )


# The roster


def test_roster_lists_committees_in_reference_order_with_people_and_roles(
    example: Directory,
) -> None:
    roster = format_roster(example)
    headings = [line.split(" - ")[0] for line in roster.splitlines() if line and line[0] != " "]
    codes = [h for h in headings if h in {c.value for c in CommitteeCode}]
    assert codes == [c.value for c in CommitteeCode]
    assert headings.index("CED") < headings.index("ASG office") < headings.index("Secretariat")
    assert "  Ana Example - focal point - Slack U0CATFP01" in roster
    assert "  Nour Example - focal point, Chair - Slack U0CMWFP01" in roster
    assert "  Jun Example - focal point - jun.example@example.org" in roster
    assert "  Sam Secretariat - secretariat - Slack U0SECR001" in roster
    assert roster.splitlines()[-1].startswith("Every committee has a focal point")


def test_roster_warns_about_committees_without_focal_point() -> None:
    directory = parse_directory(data())
    roster = format_roster(directory)
    last = roster.splitlines()[-1]
    assert last.startswith("Warning: no focal point for CCPR, CESCR, CERD,")
    assert "CAT," not in last
    assert "  Ben Example - Chair - ben.example@example.org".casefold() in roster.casefold()
    assert "  (nobody)" in roster


def test_schedules_default_to_the_first_working_day_and_daily_reminders() -> None:
    schedules = parse_directory(
        {"slack": {"coordination_channel": "C0A1", "chairs_channel": "C0B1"}}
    ).schedules
    assert schedules.digest == "0 9 1-3 * mon-fri" and schedules.reporting_year_starts == 5
    assert schedules.reminders == "0 8 * * *" and schedules.days_before == 7


def test_bad_schedules_are_each_named_with_an_example() -> None:
    with pytest.raises(DirectoryError) as raised:
        parse_directory(
            {
                "slack": {"coordination_channel": "C0A1", "chairs_channel": "C0B1"},
                "digest": {"schedule": "0 25 * * *", "reporting_year_starts": 13},
                "reminders": {"schedule": "monthly", "days_before": 0, "every": 1},
            }
        )
    problems = "\n".join(raised.value.problems)
    assert "digest: schedule '0 25 * * *' is not a valid crontab" in problems
    assert 'for example "0 9 1-3 * mon-fri"' in problems
    assert "reminders: schedule 'monthly' is not a crontab of 5 fields" in problems
    assert "reporting_year_starts: must be a month number" in problems
    assert "days_before: must be a whole number of days from 1 to 60, not 0" in problems
    assert "reminders: unknown key 'every'" in problems
