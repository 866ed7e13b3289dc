"""The person behind a Slack user id, as the core sees them."""

from __future__ import annotations

from bot.services import Services
from commands.roles import Actor

NOBODY = Actor(person_id=0, name="", roles=frozenset())


async def actor_for(services: Services, user_id: str) -> Actor:
    """The directory's person; someone else acts with no role, and the core refuses them."""
    return await services.actor_for_slack_user(user_id) or NOBODY
