"""Slack identifiers the bot owns: the command, the modal, and the actions."""

from enum import StrEnum


class SlackId(StrEnum):
    COMMAND = "/reprisal"
    REPORT_MODAL = "report"
    STATE_SEARCH = "state_party"
    ERASE_BUTTON = "erase_case"
