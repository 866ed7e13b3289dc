"""Prometheus metrics, in a registry of the app's own (no process-wide singleton)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.command_seconds = Histogram(
            "reprisal_bot_command_seconds",
            "Time from receiving a command or form to its answer, by command.",
            ["command"],
            registry=self.registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5),
        )
        self.outbox_backlog = Gauge(
            "reprisal_bot_outbox_backlog", "Messages waiting to be sent.", registry=self.registry
        )
        self.outbox_sent = Counter(
            "reprisal_bot_outbox_sent", "Messages sent, by kind.", ["kind"], registry=self.registry
        )
        self.outbox_failures = Counter(
            "reprisal_bot_outbox_failures",
            "Sending attempts that failed, by kind and outcome (retry, gave up, dropped).",
            ["kind", "outcome"],
            registry=self.registry,
        )

        self.digests_sent = Counter(
            "reprisal_bot_digests_sent",
            "Digests delivered (each Chair's DM, the Chairs' channel, the coordination channel).",
            ["audience"],
            registry=self.registry,
        )
        self.digests_queued = Counter(
            "reprisal_bot_digests_queued", "Digests queued by the schedule.", registry=self.registry
        )
        self.reminders_queued = Counter(
            "reprisal_bot_reminders_queued",
            "Reminders of State replies queued.",
            registry=self.registry,
        )
        self.scheduler_leader = Gauge(
            "reprisal_bot_scheduler_leader",
            "1 while this instance runs the schedules.",
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
