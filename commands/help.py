"""`/reprisal help`: every command, in a sentence each."""

from __future__ import annotations

from commands.results import HelpResult

COMMANDS: tuple[tuple[str, str], ...] = (
    ("report", "Log a new allegation of reprisal (opens the form)."),
    ("status RPR-YYYY-NNNN", "Show one case, as far as you may see it."),
    ("status <State>", "Cases concerning a State party, e.g. `status Viet Nam`."),
    ("status <COMMITTEE>", "Cases led by or concerning a committee, e.g. `status CAT`."),
    ("list open", "Open cases you may see."),
    ("list mine", "Cases you reported or that your committee leads."),
    ("list overdue", "Open cases whose State reply is overdue."),
    ("home", "Your committee's open cases, what is due, and what is shared with you."),
    (
        "action RPR-YYYY-NNNN [reply|refer|share|stage|close]",
        "Record what was done on a case (a letter, the State's reply, a meeting...), or change "
        "its stage, or close it with its outcome.",
    ),
    ("link RPR-YYYY-NNNN RPR-YYYY-NNNN", "Link two related cases (both must be yours to act on)."),
    (
        "share RPR-YYYY-NNNN <COMMITTEE>|asg",
        "Share a case with another committee or the ASG office (needs the person's consent).",
    ),
    (
        "digest preview [YYYY-MM]",
        "Chairs and secretariat: the monthly digest (last month unless you give one), "
        "as far as you may see it.",
    ),
    ("erase RPR-YYYY-NNNN", "Secretariat: destroy a case's names and summary for good."),
    ("audit RPR-YYYY-NNNN", "Secretariat: who read or changed a case, and when."),
    (
        "channel-check",
        "Secretariat, in Slack: check who is in the coordination channel and, if "
        "all is well, release the case messages held while it was not safe.",
    ),
    ("help", "This help."),
)


async def handle(notice: str | None = None) -> HelpResult:
    return HelpResult(commands=COMMANDS, notice=notice)
