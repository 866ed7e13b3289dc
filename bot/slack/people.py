"""Match the directory with Slack: e-mail entries get their user id (users.lookupByEmail), and
accounts Slack reports as deactivated (users.info) are left out. A rate-limited look-up waits and
is tried again; whoever is still unmatched is asked about again later (bot/directory/roster.py)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory.load import Directory, Person
from bot.directory.roster import Unreachable
from bot.settings import Settings
from bot.slack.bolt import web_client

log = logging.getLogger(__name__)

AT_ONCE = 4  # Slack's users.* methods allow about 100 calls a minute
RATE_LIMIT_RETRIES = 3  # each waits Slack's Retry-After


def lookups(settings: Settings) -> AsyncWebClient:
    """The client the directory is checked with: rate-limited calls wait and are tried again."""
    return web_client(settings, retries=True, rate_limit_retries=RATE_LIMIT_RETRIES)


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
            "; they cannot use the bot until it is, asked again in a minute"
            if not person.slack_user
            else "",
        )
        return person
    if found.get("deleted"):
        log.warning("directory entry people[%d] is deactivated in Slack: left out", number)
        return None
    return replace(person, slack_user=str(found["id"]))
