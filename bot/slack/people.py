"""Resolve directory entries given by e-mail to Slack user ids (users.lookupByEmail)."""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import Directory

log = logging.getLogger(__name__)


async def resolve_emails(directory: Directory, client: AsyncWebClient) -> Directory:
    """The directory with a Slack user id for everyone Slack knows by e-mail."""
    people = []
    for index, person in enumerate(directory.people):
        if person.slack_user is None and person.email:
            try:
                found = await client.users_lookupByEmail(email=person.email)
                person = replace(person, slack_user=str(found["user"]["id"]))
            except SlackApiError as failure:
                log.warning(
                    "directory entry people[%d] could not be found in Slack by e-mail (%s); "
                    "they cannot use the bot until it is fixed",
                    index + 1,
                    failure.response.get("error"),
                )
        people.append(person)
    return replace(directory, people=tuple(people))
