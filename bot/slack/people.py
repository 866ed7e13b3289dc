"""Match the directory with Slack: e-mail entries get their user id (users.lookupByEmail), and
accounts Slack reports as deactivated (users.info) are left out."""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import Directory, Person

log = logging.getLogger(__name__)


async def resolve_people(directory: Directory, client: AsyncWebClient) -> Directory:
    """The directory as Slack knows it now. Failures are logged by entry number, never by name."""
    people = []
    for number, person in enumerate(directory.people, start=1):
        try:
            found = await _lookup(person, client)
        except SlackApiError as failure:
            log.warning(
                "directory entry people[%d] could not be checked in Slack (%s)%s",
                number,
                failure.response.get("error"),
                "; they cannot use the bot until it is fixed" if not person.slack_user else "",
            )
            people.append(person)
            continue
        if found.get("deleted"):
            log.warning("directory entry people[%d] is deactivated in Slack: left out", number)
            continue
        people.append(replace(person, slack_user=str(found["id"])))
    return replace(directory, people=tuple(people))


async def _lookup(person: Person, client: AsyncWebClient) -> dict:
    if person.slack_user:
        return dict((await client.users_info(user=person.slack_user))["user"])
    return dict((await client.users_lookupByEmail(email=person.email or ""))["user"])
