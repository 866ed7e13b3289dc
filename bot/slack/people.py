"""Match the directory with Slack: e-mail entries get their user id (users.lookupByEmail), and
accounts Slack reports as deactivated (users.info) are left out."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import Directory, Person
from bot.roster import Unreachable

log = logging.getLogger(__name__)

AT_ONCE = 4  # Slack's users.* methods allow about 100 calls a minute


async def resolve_people(directory: Directory, client: AsyncWebClient) -> Directory:
    """The directory as Slack knows it now. Failures are logged by entry number, never by name.
    If Slack cannot be reached, Unreachable carries the directory as written."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def check(number: int, person: Person) -> Person | None:
        async with gate:
            return await _check(number, person, client)

    try:
        checked = await asyncio.gather(
            *(check(n, p) for n, p in enumerate(directory.people, start=1))
        )
    except (aiohttp.ClientError, TimeoutError) as failure:
        raise Unreachable(directory, type(failure).__name__) from None
    return replace(directory, people=tuple(p for p in checked if p is not None))


async def _check(number: int, person: Person, client: AsyncWebClient) -> Person | None:
    try:
        if person.slack_user:
            found = dict((await client.users_info(user=person.slack_user))["user"])
        else:
            found = dict((await client.users_lookupByEmail(email=person.email or ""))["user"])
    except SlackApiError as failure:
        log.warning(
            "directory entry people[%d] could not be checked in Slack (%s)%s",
            number,
            failure.response.get("error"),
            "; they cannot use the bot until it is fixed" if not person.slack_user else "",
        )
        return person
    if found.get("deleted"):
        log.warning("directory entry people[%d] is deactivated in Slack: left out", number)
        return None
    return replace(person, slack_user=str(found["id"]))
