"""All SMTP goes through here: a pool of persistent aiosmtplib connections to WIREROOM_SMTP_URL.

smtp://host[:port] upgrades with STARTTLS when the server offers it (`?tls=off` never does, `?tls=required`
insists); smtps:// speaks TLS from the start; user:password@ logs in. A 2xx DATA reply is a delivery (its queue
id becomes the receiver reference), 4xx or a dropped connection a retry, 5xx a failure of that recipient.
Where the server offers PIPELINING, each message takes two round trips instead of four (`pipelining`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from wireroom.distribution.channels.base import Outcome
from wireroom.distribution.channels.email.pipelining import Follower, Pipeline

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30.0
STOPPED = "not sent: the worker stopped"
_QUEUE_ID = (
    re.compile(r"queued as\s+([A-Za-z0-9._@-]+)", re.IGNORECASE),  # Postfix, aiosmtpd-style sinks
    re.compile(r"\bid=([A-Za-z0-9._@-]+)", re.IGNORECASE),  # Exim, many providers
)
_DISCONNECTS = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, ConnectionError, OSError,
                asyncio.TimeoutError)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    use_tls: bool  # smtps://: TLS from the first byte
    start_tls: bool | None  # None: when offered; True: required; False: never
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("expected smtp://[user:password@]host[:port] or smtps://…")
        tls = parse_qs(parts.query).get("tls", [""])[-1].lower()
        if tls not in ("", "off", "required"):
            raise ValueError("tls= takes off or required")
        use_tls = parts.scheme == "smtps"
        if use_tls and tls:
            raise ValueError("smtps:// is TLS from the start; tls= is for smtp://")
        start_tls: bool | None = False if use_tls or tls == "off" else (True if tls == "required" else None)
        return cls(
            host=parts.hostname, port=parts.port or (465 if use_tls else 25), use_tls=use_tls, start_tls=start_tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
        )

    def describe(self) -> str:
        return f"{'smtps' if self.use_tls else 'smtp'}://{self.host}:{self.port}"


@dataclass(frozen=True)
class SendOutcome:
    outcome: Outcome
    receiver_ref: str = ""
    error: str = ""


def queue_id(reply: str) -> str:
    """The MTA's queue id from a DATA reply ("2.0.0 Ok: queued as 4ABC123" → "4ABC123"), else the reply."""
    for pattern in _QUEUE_ID:
        match = pattern.search(reply)
        if match:
            return match.group(1)[:200]
    return reply.strip()[:200]


def _reply(exc: aiosmtplib.SMTPResponseException) -> str:
    return f"{exc.code} {exc.message}".strip()[:1000]


class _Connection:
    """One SMTP session: aiosmtplib opens it; `Pipeline` carries its messages when the server offers PIPELINING."""

    def __init__(self, config: SmtpConfig, local_hostname: str) -> None:
        self.config = config
        self.local_hostname = local_hostname
        self.smtp = self._client()
        self.pipeline: Pipeline | None = None

    def _client(self) -> aiosmtplib.SMTP:
        config = self.config
        # Certificates are checked whenever a password goes over the connection or TLS is asked for; a
        # STARTTLS that is merely offered is taken as opportunistic encryption, the way MTAs relay to each other.
        validate = config.use_tls or config.start_tls is True or config.username is not None
        return aiosmtplib.SMTP(
            hostname=config.host, port=config.port, username=config.username, password=config.password,
            use_tls=config.use_tls, start_tls=config.start_tls, validate_certs=validate,
            local_hostname=self.local_hostname, timeout=TIMEOUT_SECONDS,
        )

    @property
    def is_connected(self) -> bool:
        return self.pipeline.is_connected if self.pipeline is not None else self.smtp.is_connected

    async def connect(self) -> None:
        self.smtp, self.pipeline = self._client(), None
        await self.smtp.connect()
        if self.smtp.is_ehlo_or_helo_needed:
            # Without TLS or a login aiosmtplib has not greeted yet; the EHLO reply says what the server offers.
            try:
                await self.smtp.ehlo()
            except aiosmtplib.SMTPHeloError:
                await self.smtp.helo()
        if self.smtp.supports_extension("pipelining") and self.smtp.transport is not None:
            self.pipeline = Pipeline(self.smtp.transport)

    async def transact(self, sender: str, recipient: str, data: bytes, *, token: object,
                       follow: Callable[[], Follower | None] | None) -> str:
        if self.pipeline is not None:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                return await self.pipeline.transact(sender, recipient, data, token=token, follow=follow)
        await self.smtp.mail(sender)
        await self.smtp.rcpt(recipient)
        response = await self.smtp.data(data)
        return response.message

    async def reset(self) -> None:
        try:
            if self.pipeline is not None:
                if self.pipeline.announced is not None:
                    return  # the failed transaction is over, and the next one's envelope is on the wire
                async with asyncio.timeout(TIMEOUT_SECONDS):
                    if (await self.pipeline.command(b"RSET")).code != 250:
                        self.close()
            else:
                await self.smtp.rset()
        except (aiosmtplib.SMTPException, *_DISCONNECTS):
            self.close()

    def close(self) -> None:
        if self.pipeline is not None:
            self.pipeline.close()
        self.smtp.close()

    async def quit(self) -> None:
        if not self.is_connected:
            return
        try:
            if self.pipeline is not None:
                async with asyncio.timeout(TIMEOUT_SECONDS):
                    await self.pipeline.command(b"QUIT")
                self.pipeline.close()
            else:
                await self.smtp.quit()
        except (aiosmtplib.SMTPException, *_DISCONNECTS):
            self.close()


@dataclass(frozen=True)
class _Queued:
    sender: str
    recipient: str
    data: bytes
    outcome: asyncio.Future[SendOutcome]


class SmtpPool:
    """At most `size` connections, opened on first use and kept open between batches.

    Messages wait in one queue; each connection takes the next as it finishes one. Over a pipelining server a
    connection also takes the message after, so that message's envelope goes out with this one's data.
    """

    def __init__(self, config: SmtpConfig, size: int, local_hostname: str) -> None:
        self.config = config
        self.size = size
        self.local_hostname = local_hostname
        self._idle: list[_Connection] = []
        self._queue: deque[_Queued] = deque()
        self._runners: set[asyncio.Task[None]] = set()

    def submit(self, sender: str, recipient: str, data: bytes) -> asyncio.Future[SendOutcome]:
        """Queues one message; the future gets its outcome. Cancelling the future withdraws the message while it
        waits in the queue, not once a connection has taken it (or sent its envelope ahead)."""
        item = _Queued(sender, recipient, data, asyncio.get_running_loop().create_future())
        self._queue.append(item)
        if len(self._runners) < self.size:
            self._runners.add(asyncio.create_task(self._run()))
        return item.outcome

    async def send(self, sender: str, recipient: str, data: bytes) -> SendOutcome:
        return await self.submit(sender, recipient, data)

    def _next(self) -> _Queued | None:
        while self._queue:
            item = self._queue.popleft()
            if not item.outcome.done():  # else its sender gave up on it
                return item
        return None

    async def _run(self) -> None:
        # Taken from the queue for this connection, in order: a message whose envelope is already on the wire
        # must go next on it.
        claimed: deque[_Queued] = deque()

        def follow() -> Follower | None:
            item = self._next()
            if item is None:
                return None
            claimed.append(item)
            return item, item.sender, item.recipient

        item: _Queued | None = None
        connection: _Connection | None = None
        try:
            connection = self._idle.pop() if self._idle else _Connection(self.config, self.local_hostname)
            while (item := claimed.popleft() if claimed else self._next()) is not None:
                try:
                    outcome = await self._send(connection, item, follow)
                except Exception as exc:
                    # Every message gets its outcome: an unforeseen error is a retry, explained, never a lost batch.
                    log.exception("sending to %s failed unexpectedly", item.recipient)
                    connection.close()
                    outcome = SendOutcome("retry", error=f"unexpected error while sending: {exc!r}")
                if not item.outcome.done():
                    item.outcome.set_result(outcome)
        except BaseException:
            if connection is not None:
                connection.close()  # cancelled mid-transaction: its session state is unknown
            if item is not None and not item.outcome.done():
                item.outcome.set_result(SendOutcome("retry", error="interrupted: the worker stopped while sending"))
            for waiting in claimed:
                if not waiting.outcome.done():  # its sender may have given up on it
                    waiting.outcome.set_result(SendOutcome("retry", error=STOPPED))
            raise
        finally:
            if connection is not None:
                self._idle.append(connection)
            # Here, not in a done callback: a message queued between this runner's last look at the queue and
            # such a callback would find the pool full and wait for a runner that never comes.
            self._runners.discard(asyncio.current_task())

    async def _send(self, connection: _Connection, item: _Queued,
                    follow: Callable[[], Follower | None]) -> SendOutcome:
        for attempt in (1, 2):
            reused = connection.is_connected
            if not reused:
                try:
                    await connection.connect()
                except aiosmtplib.SMTPResponseException as exc:
                    connection.close()
                    return SendOutcome("retry", error=f"{self.config.describe()} refused the connection: {_reply(exc)}")
                except (aiosmtplib.SMTPException, *_DISCONNECTS) as exc:
                    connection.close()
                    return SendOutcome("retry", error=f"cannot connect to {self.config.describe()}: {exc}")
            try:
                # No look-ahead on the second try: the message announced on the lost connection, already
                # claimed, goes next on the new one with its own envelope.
                reply = await connection.transact(item.sender, item.recipient, item.data, token=item,
                                                  follow=follow if attempt == 1 else None)
            except aiosmtplib.SMTPResponseException as exc:
                if exc.code == 421:
                    connection.close()
                else:
                    await connection.reset()
                if 500 <= exc.code < 600:
                    return SendOutcome("failed", error=_reply(exc))
                return SendOutcome("retry", error=_reply(exc))
            except ValueError as exc:
                # An address that cannot go on an SMTP command line is refused before anything is sent.
                await connection.reset()
                return SendOutcome("failed", error=f"not a deliverable address: {exc}")
            except (aiosmtplib.SMTPException, *_DISCONNECTS) as exc:
                connection.close()
                if attempt == 1 and reused:
                    # A pooled connection the server closed while it sat idle: open a new one, once.
                    log.debug("SMTP connection to %s dropped (%s); reconnecting", self.config.describe(), exc)
                    continue
                return SendOutcome("retry", error=f"connection to {self.config.describe()} lost: {exc}")
            return SendOutcome("delivered", receiver_ref=queue_id(reply))
        raise AssertionError("unreachable")

    async def close(self) -> None:
        runners = list(self._runners)
        for runner in runners:
            runner.cancel()
        await asyncio.gather(*runners, return_exceptions=True)
        while (item := self._next()) is not None:
            item.outcome.set_result(SendOutcome("retry", error=STOPPED))
        idle, self._idle = self._idle, []
        await asyncio.gather(*(connection.quit() for connection in idle))
