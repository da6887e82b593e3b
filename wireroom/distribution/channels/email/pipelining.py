"""SMTP transactions in two round trips instead of four, over a server that offers PIPELINING (RFC 2920).

aiosmtplib opens the session (greeting, EHLO, STARTTLS, login) but waits for each reply before the next command,
and its protocol cannot keep a second reply that arrives in the same read as the first. Once the session is
open, `Pipeline` takes the connection over: MAIL FROM, RCPT TO and DATA go out in one write, and the message with
its closing dot in the next. On a busy worker the round trips were two thirds of the event loop's time
(docs/benchmarks.md, "Where the worker's time goes").
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import Callable
from typing import cast

from aiosmtplib import (
    SMTPDataError,
    SMTPRecipientRefused,
    SMTPResponse,
    SMTPResponseException,
    SMTPSenderRefused,
    SMTPServerDisconnected,
)

# A reply longer than this (all its lines together) is not an SMTP server talking.
MAX_REPLY_BYTES = 64 * 1024
# What may not appear in an envelope address: controls would inject commands, the rest breaks the <path>.
_NOT_IN_PATH = re.compile(r"[\x00-\x20\x7f<>]")
_LONE_LINE_ENDS = re.compile(rb"\r(?!\n)|(?<!\r)\n")


def envelope_path(address: str) -> bytes:
    """`address` as the <path> of MAIL FROM or RCPT TO; ValueError when it cannot be one."""
    if _NOT_IN_PATH.search(address):
        raise ValueError(f"{address!r} has a character an SMTP command cannot carry")
    return b"<" + address.encode("ascii") + b">"  # UnicodeEncodeError is a ValueError too


def wire_form(message: bytes) -> bytes:
    """The message as it goes after DATA: CRLF line ends, dots doubled at line starts, the closing dot added."""
    # Counting is a C loop; the pattern only runs for a message that has a lone CR or LF (ours never do).
    if message.count(b"\r\n") != message.count(b"\n") or message.count(b"\r") != message.count(b"\n"):
        message = _LONE_LINE_ENDS.sub(b"\r\n", message)
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    if message.startswith(b"."):
        message = b"." + message
    return message.replace(b"\r\n.", b"\r\n..") + b".\r\n"


# The next message, as `transact`'s `follow` gives it: a token naming it, its sender and its recipient.
Follower = tuple[object, str, str]


def _envelope(sender: str, recipient: str) -> bytes:
    return b"MAIL FROM:" + envelope_path(sender) + b"\r\nRCPT TO:" + envelope_path(recipient) + b"\r\nDATA\r\n"


class Pipeline(asyncio.Protocol):
    """The reading side of one SMTP connection after its session is open: replies queued in order as they come."""

    def __init__(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.WriteTransport, transport)
        self._buffer = bytearray()
        self._replies: deque[SMTPResponse] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._lost: Exception | None = None
        # The token of the message whose envelope is written ahead, its replies not yet read.
        self.announced: object | None = None
        transport.set_protocol(self)

    @property
    def is_connected(self) -> bool:
        return self._lost is None and not self.transport.is_closing()

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        try:
            while (reply := self._take_reply()) is not None:
                self._replies.append(reply)
        except SMTPResponseException as exc:
            self._fail(exc)
            self.transport.close()
            return
        if len(self._buffer) > MAX_REPLY_BYTES:
            self._fail(SMTPResponseException(-1, "the server's reply is too long"))
            self.transport.close()
            return
        self._wake()

    def eof_received(self) -> bool:
        self._fail(SMTPServerDisconnected("the server closed the connection"))
        return False  # and the transport closes

    def connection_lost(self, exc: Exception | None) -> None:
        error = SMTPServerDisconnected("connection lost" + (f": {exc}" if exc else ""))
        if exc is not None:
            error.__cause__ = exc
        self._fail(error)

    def _fail(self, exc: Exception) -> None:
        if self._lost is None:
            self._lost = exc
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _take_reply(self) -> SMTPResponse | None:
        """The first complete reply in the buffer, taken out of it; None while it is still arriving."""
        lines: list[bytes] = []
        start = 0
        while (end := self._buffer.find(b"\n", start)) != -1:
            line = bytes(self._buffer[start:end]).rstrip(b"\r")
            start = end + 1
            if len(line) < 3 or not line[:3].isdigit() or line[3:4] not in (b"", b" ", b"-"):
                raise SMTPResponseException(-1, f"not an SMTP reply: {line[:200]!r}")
            lines.append(line[4:])
            if line[3:4] != b"-":
                del self._buffer[:start]
                return SMTPResponse(int(line[:3]), b"\n".join(lines).decode("utf-8", "replace"))
        return None

    async def reply(self) -> SMTPResponse:
        """The server's next reply, in the order the commands went."""
        while not self._replies:
            if self._lost is not None:
                raise self._lost
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._replies.popleft()

    def _write(self, data: bytes) -> None:
        if not self.is_connected:
            raise self._lost or SMTPServerDisconnected("connection lost")
        self.transport.write(data)

    async def transact(self, sender: str, recipient: str, message: bytes, *, token: object = None,
                       follow: Callable[[], Follower | None] | None = None) -> str:
        """One message to one recipient; the DATA reply's text, or the first refusal raised as aiosmtplib's.

        `follow` gives the next message (its token, sender and recipient), if there is one: its envelope goes out
        in the same write as this message's data, so the server's reply to the one and its replies to the other
        come back together, and a message costs one round trip. That message, named by its `token`, must be
        this connection's next `transact`.
        """
        if self._replies and self.announced is None:
            # Left over from before: the server spoke out of turn (a 421 as it timed the idle session out).
            self.close()
            raise SMTPServerDisconnected(f"the server said {self._replies[0].code} {self._replies[0].message}")
        if self.announced is not None and (token is None or self.announced is not token):
            # The envelope on the wire is another message's: sending this one's data under it would deliver it
            # to the wrong recipient.
            self.close()
            raise SMTPServerDisconnected("the envelope sent ahead on this connection was another message's")
        if self.announced is None:
            self._write(_envelope(sender, recipient))
        self.announced = None
        content = wire_form(message)
        mail, rcpt, start = await self.reply(), await self.reply(), await self.reply()
        refusal: SMTPResponseException | None = None
        if mail.code != 250:
            refusal = SMTPSenderRefused(mail.code, mail.message, sender)
        elif rcpt.code not in (250, 251):
            refusal = SMTPRecipientRefused(rcpt.code, rcpt.message, recipient)
        if start.code != 354:
            raise refusal or SMTPDataError(start.code, start.message)
        if refusal is not None:
            # A server that took DATA though it refused the envelope gets an empty message (RFC 2920, 3.1).
            self._write(b".\r\n")
            await self.reply()
            raise refusal
        following = follow() if follow is not None else None
        if following is not None:
            next_token, next_sender, next_recipient = following
            try:
                content += _envelope(next_sender, next_recipient)
                self.announced = next_token
            except ValueError:
                pass  # that message fails on its own turn, when its envelope is refused before it is written
        self._write(content)
        done = await self.reply()
        if done.code != 250:
            raise SMTPDataError(done.code, done.message)
        return done.message

    async def command(self, line: bytes) -> SMTPResponse:
        """One command on its own (RSET, QUIT) and its reply."""
        self._write(line + b"\r\n")
        return await self.reply()

    def close(self) -> None:
        self.transport.close()
