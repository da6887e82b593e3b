"""What a channel is: it turns a batch of leased deliveries into results. It never touches the lifecycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

# "suppressed": not sent, and never to be (the release was withdrawn or unscheduled); the error says why.
Outcome = Literal["delivered", "retry", "failed", "suppressed"]


@dataclass(frozen=True)
class Job:
    """One leased ledger row, as the channel sees it."""

    delivery_id: int
    release_id: uuid.UUID
    version: int
    action: str  # publish, correct or withdraw
    language: str
    contact_id: int | None
    endpoint_id: int | None
    attempts: int  # including this one
    channel: str = ""
    due_at: float = 0.0  # unix time before which it must not leave (its embargo second)
    recipient_key: str = ""  # the ledger row's; pre-positioning's rows name their content key in it


@dataclass(frozen=True)
class Result:
    delivery_id: int
    outcome: Outcome
    receiver_ref: str = ""
    error: str = ""
    retry_after: float | None = None  # seconds the receiver asked us to wait, if it said
    # False when the channel held the job back without trying (an open circuit): the try is not counted.
    attempted: bool = True


class Channel(Protocol):
    """A delivery channel. One instance lives for the life of a worker; `send` is called once per batch."""

    name: str
    # The most attempts before a row ends as `failed`.
    max_attempts: int

    async def start(self) -> None: ...

    async def send(self, jobs: list[Job]) -> list[Result]:
        """Deliver every job, returning exactly one result per job (in any order)."""
        ...

    def retry_delay(self, attempts: int) -> float:
        """Seconds to wait before the next attempt, after `attempts` attempts, before jitter."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class Prepares(Protocol):
    """A channel that can do a batch's database work while the batch waits for its embargo second, so that at the
    second only what must be checked then (a withdrawal, an unscheduling) is left before the first copy leaves."""

    async def prepare(self, jobs: list[Job]) -> None: ...
