"""Slack's end of a Socket Mode connection: sends envelopes to the app, collects its acks."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web


class SocketModeEnd:
    def __init__(self) -> None:
        self._sockets: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self.acks: dict[str, dict[str, Any]] = {}
        self._acked = asyncio.Condition()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=None)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "debug_info": {"host": "standin"},
                "connection_info": {"app_id": "A0TEST"},
            }
        )
        self._connected.set()
        async for message in socket:
            if message.type is WSMsgType.TEXT:
                data = json.loads(message.data)
                if "envelope_id" in data:
                    async with self._acked:
                        self.acks[data["envelope_id"]] = data
                        self._acked.notify_all()
        self._sockets.remove(socket)
        return socket

    async def connected(self, patience: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), patience)

    async def send(self, kind: str, payload: dict[str, Any]) -> str:
        """Deliver an envelope (e.g. kind "slash_commands") to the connected app; its id."""
        envelope_id = str(uuid.uuid4())
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return envelope_id

    async def ack_of(self, envelope_id: str, patience: float = 3.0) -> dict[str, Any]:
        """The app's acknowledgement; Slack gives up after 3 seconds."""
        async with self._acked:
            await asyncio.wait_for(self._acked.wait_for(lambda: envelope_id in self.acks), patience)
        return self.acks[envelope_id]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
