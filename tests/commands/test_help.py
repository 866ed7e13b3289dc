"""commands.help: every verb a person can type is explained, and a notice comes first."""

from __future__ import annotations

from commands import help as help_command

VERBS = (
    "report", "status", "list", "home", "action", "link", "share", "digest", "erase", "audit",
    "channel-check", "help",
)  # fmt: skip


async def test_help_explains_every_verb_in_a_sentence() -> None:
    shown = await help_command.handle()
    verbs = {usage.split()[0] for usage, _ in shown.commands}
    assert verbs == set(VERBS)
    assert all(sentence.endswith(".") for _, sentence in shown.commands)
    assert shown.notice is None


async def test_help_after_an_unknown_command_says_so() -> None:
    shown = await help_command.handle(notice="I don't know the command `frobnicate`.")
    assert shown.notice == "I don't know the command `frobnicate`."
    assert shown.commands == help_command.COMMANDS
