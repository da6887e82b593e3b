"""SMTP PIPELINING (RFC 2920): the envelope in one write, and the same outcomes as one command at a time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import pytest

from tests.support.email import RecordingHandler, smtp_server
from wireroom.distribution.channels.email.pipelining import envelope_path, wire_form
from wireroom.distribution.channels.email.smtp import SendOutcome, SmtpConfig, SmtpPool

MESSAGE = b"From: desk@wire.example\r\nTo: reader@example.com\r\nSubject: Test\r\n\r\nHello.\r\n"
# One conversation with a scripted server: it gets the reader and writer of one connection and its number.
Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter, int], Awaitable[None]]


async def _send_all(url: str, messages: list[tuple[str, bytes]], *, at_once: bool = False) -> list[SendOutcome]:
    """Through a pool of one connection: one message after another, or all queued at once (`at_once`)."""
    pool = SmtpPool(SmtpConfig.from_url(url), 1, local_hostname="wire.example")
    try:
        if at_once:
            return list(await asyncio.gather(*(pool.submit("bounces@wire.example", recipient, data)
                                               for recipient, data in messages)))
        return [await pool.send("bounces@wire.example", recipient, data) for recipient, data in messages]
    finally:
        await pool.close()


def send_all(url: str, messages: list[tuple[str, bytes]], *, at_once: bool = False) -> list[SendOutcome]:
    return asyncio.run(_send_all(url, messages, at_once=at_once))


async def _with_script(script: Script, messages: list[tuple[str, bytes]], at_once: bool) -> list[SendOutcome]:
    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            await script(reader, writer, connections)
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        # A client that waited for a reply the script never sends would hang: fail instead.
        return await asyncio.wait_for(_send_all(f"smtp://127.0.0.1:{port}?tls=off", messages, at_once=at_once),
                                      timeout=20)
    finally:
        server.close()
        await server.wait_closed()


def with_script(script: Script, messages: list[tuple[str, bytes]], *, at_once: bool = False) -> list[SendOutcome]:
    return asyncio.run(_with_script(script, messages, at_once))


async def _greet(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 scripted ESMTP\r\n")
    assert (await reader.readline()).startswith(b"EHLO ")
    writer.write(b"250-scripted\r\n250-PIPELINING\r\n250 8BITMIME\r\n")


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n.\r\n")


def test_with_pipelining_the_envelope_and_data_go_out_before_the_first_reply() -> None:
    commands: list[bytes] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _number: int) -> None:
        await _greet(reader, writer)
        # Nothing is answered until all three commands are in: a client waiting for MAIL's reply never gets one.
        commands.extend([await reader.readline() for _ in range(3)])
        writer.write(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n")
        await _read_message(reader)
        writer.write(b"250 2.0.0 Ok: queued as 7F3A21\r\n")
        assert await reader.readline() == b"QUIT\r\n"
        writer.write(b"221 2.0.0 Bye\r\n")

    outcomes = with_script(script, [("reader@example.com", MESSAGE)])
    assert outcomes == [SendOutcome("delivered", receiver_ref="7F3A21")]
    assert commands == [b"MAIL FROM:<bounces@wire.example>\r\n", b"RCPT TO:<reader@example.com>\r\n", b"DATA\r\n"]


def test_a_server_that_accepts_data_after_refusing_the_recipient_gets_an_empty_message_and_a_reset() -> None:
    seen: list[bytes] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _number: int) -> None:
        await _greet(reader, writer)
        [await reader.readline() for _ in range(3)]
        writer.write(b"250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n354 Go ahead\r\n")
        seen.append(await reader.readline())
        writer.write(b"554 5.5.1 No valid recipients\r\n")
        seen.append(await reader.readline())
        writer.write(b"250 2.0.0 Ok\r\n")
        [await reader.readline() for _ in range(3)]
        writer.write(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 Go ahead\r\n")
        await _read_message(reader)
        writer.write(b"250 2.0.0 Ok: queued as 5B2C\r\n")
        await reader.readline()
        writer.write(b"221 Bye\r\n")

    outcomes = with_script(script, [("nobody@example.com", MESSAGE), ("reader@example.com", MESSAGE)])
    assert outcomes == [SendOutcome("failed", error="550 5.1.1 No such user"),
                        SendOutcome("delivered", receiver_ref="5B2C")]
    # The dot ends the accepted but empty message; RSET clears the envelope before the next one.
    assert seen == [b".\r\n", b"RSET\r\n"]


def test_a_reply_the_server_sent_out_of_turn_makes_the_next_message_go_on_a_new_connection() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, number: int) -> None:
        await _greet(reader, writer)
        [await reader.readline() for _ in range(3)]
        writer.write(b"250 Ok\r\n250 Ok\r\n354 Go ahead\r\n")
        await _read_message(reader)
        if number == 1:
            # The reply and, in the same write, a 421 nobody asked for; the connection stays open a while.
            writer.write(b"250 Ok: queued as Q1\r\n421 4.4.2 Idle for too long\r\n")
            await writer.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(), timeout=1)
            return
        writer.write(f"250 Ok: queued as Q{number}\r\n".encode())
        await reader.readline()
        writer.write(b"221 Bye\r\n")

    outcomes = with_script(script, [("a@example.com", MESSAGE), ("b@example.com", MESSAGE)])
    assert outcomes == [SendOutcome("delivered", receiver_ref="Q1"), SendOutcome("delivered", receiver_ref="Q2")]


def test_queued_messages_take_one_round_trip_each_the_next_envelope_riding_with_the_data() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _number: int) -> None:
        await _greet(reader, writer)
        [await reader.readline() for _ in range(3)]
        writer.write(b"250 Ok\r\n250 Ok\r\n354 Go ahead\r\n")
        for number in (1, 2):
            await _read_message(reader)
            # The next envelope is read before this message is answered: a client that waited would hang here.
            assert [await reader.readline() for _ in range(3)] == [
                b"MAIL FROM:<bounces@wire.example>\r\n", f"RCPT TO:<r{number + 1}@example.com>\r\n".encode(),
                b"DATA\r\n"]
            writer.write(f"250 Ok: queued as Q{number}\r\n250 Ok\r\n250 Ok\r\n354 Go ahead\r\n".encode())
        await _read_message(reader)
        writer.write(b"250 Ok: queued as Q3\r\n")
        assert await reader.readline() == b"QUIT\r\n"
        writer.write(b"221 Bye\r\n")

    outcomes = with_script(script, [(f"r{n}@example.com", MESSAGE) for n in (1, 2, 3)], at_once=True)
    assert outcomes == [SendOutcome("delivered", receiver_ref=f"Q{n}") for n in (1, 2, 3)]


@pytest.mark.parametrize("pipelining", [True, False], ids=["pipelined", "one command at a time"])
@pytest.mark.parametrize("at_once", [True, False], ids=["queued at once", "one after another"])
def test_refusals_and_deliveries_come_out_the_same_with_and_without_pipelining(pipelining: bool,
                                                                               at_once: bool) -> None:
    handler = RecordingHandler(pipelining=pipelining, rcpt_replies={"full@example.com": "452 4.2.2 Mailbox full",
                                                                    "gone@example.com": "550 5.1.1 Unknown user"},
                               drop_at_data={"dropped@example.com"})
    messages = [("first@example.com", MESSAGE), ("full@example.com", MESSAGE), ("gone@example.com", MESSAGE),
                ("reader@example.com", MESSAGE), ("bad address@example.com", MESSAGE), ("dropped@example.com", MESSAGE),
                ("last@example.com", MESSAGE)]
    with smtp_server(handler) as (url, _):
        outcomes = send_all(url, messages, at_once=at_once)
    assert [outcome.outcome for outcome in outcomes] == [
        "delivered", "retry", "failed", "delivered", "failed", "retry", "delivered"]
    assert outcomes[1].error == "452 4.2.2 Mailbox full"
    assert outcomes[2].error == "550 5.1.1 Unknown user"
    assert [outcome.receiver_ref for outcome in outcomes if outcome.outcome == "delivered"] == [
        "Q00001", "Q00002", "Q00003"]
    assert outcomes[4].error.startswith("not a deliverable address")
    assert "lost" in outcomes[5].error
    assert [envelope.rcpt_tos for envelope in handler.envelopes] == [
        ["first@example.com"], ["reader@example.com"], ["last@example.com"]]


def test_a_message_refused_after_its_data_does_not_hold_up_the_one_whose_envelope_went_with_it() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _number: int) -> None:
        await _greet(reader, writer)
        [await reader.readline() for _ in range(3)]
        writer.write(b"250 Ok\r\n250 Ok\r\n354 Go ahead\r\n")
        await _read_message(reader)
        [await reader.readline() for _ in range(3)]
        writer.write(b"554 5.7.1 Rejected by content filter\r\n250 Ok\r\n250 Ok\r\n354 Go ahead\r\n")
        # No RSET between them: it would land inside the second message.
        assert (await _read_message(reader)).startswith(b"From: ")
        writer.write(b"250 Ok: queued as Q2\r\n")
        assert await reader.readline() == b"QUIT\r\n"
        writer.write(b"221 Bye\r\n")

    outcomes = with_script(script, [("a@example.com", MESSAGE), ("b@example.com", MESSAGE)], at_once=True)
    assert outcomes == [SendOutcome("failed", error="554 5.7.1 Rejected by content filter"),
                        SendOutcome("delivered", receiver_ref="Q2")]


def test_messages_still_queued_when_the_pool_closes_come_back_as_retries() -> None:
    async def scenario(url: str, handler: RecordingHandler) -> list[SendOutcome]:
        pool = SmtpPool(SmtpConfig.from_url(url), 1, local_hostname="wire.example")
        handler.hold.set()
        futures = [pool.submit("bounces@wire.example", f"r{n}@example.com", MESSAGE) for n in range(3)]
        await asyncio.sleep(0.3)  # the first is in the server's hands, held at DATA
        await pool.close()
        handler.hold.clear()
        return [future.result() for future in futures]

    with smtp_server() as (url, handler):
        outcomes = asyncio.run(scenario(url, handler))
    assert [outcome.error for outcome in outcomes] == [
        "interrupted: the worker stopped while sending", "not sent: the worker stopped", "not sent: the worker stopped"]
    assert {outcome.outcome for outcome in outcomes} == {"retry"}


def test_lines_starting_with_a_dot_and_lone_line_ends_arrive_as_written_with_crlf() -> None:
    body = b"Subject: Dots\r\n\r\n.first line\n..second\r\nthird\rlast"
    with smtp_server() as (url, handler):
        [outcome] = send_all(url, [("reader@example.com", body)])
    assert outcome.outcome == "delivered"
    assert handler.envelopes[0].content == b"Subject: Dots\r\n\r\n.first line\r\n..second\r\nthird\r\nlast\r\n"


def test_the_wire_form_doubles_leading_dots_and_ends_with_the_closing_dot() -> None:
    assert wire_form(b".a\r\nb\r\n.c") == b"..a\r\nb\r\n..c\r\n.\r\n"
    assert wire_form(b"a\nb") == b"a\r\nb\r\n.\r\n"


@pytest.mark.parametrize("address", ["a b@example.com", "<a@example.com>", "a@example.com\r\nRCPT TO:<b@x>",
                                     "josé@example.com", "a@example.com\x00"])
def test_an_address_that_cannot_be_an_envelope_path_is_refused_before_anything_is_sent(address: str) -> None:
    with pytest.raises(ValueError):
        envelope_path(address)


def test_after_a_dropped_connection_every_message_still_goes_under_its_own_envelope() -> None:
    # The second message's connection drops at its data, with the third's envelope sent ahead: the second is
    # sent again on a new connection, and the third must not go under an envelope announced for another.
    handler = RecordingHandler(drop_once_at_data={"r1@example.com"})
    recipients = [f"r{n}@example.com" for n in range(6)]
    messages = [(address, f"To: {address}\r\nSubject: For {address}\r\n\r\nHello.\r\n".encode())
                for address in recipients]
    with smtp_server(handler) as (url, _):
        outcomes = send_all(url, messages, at_once=True)
    assert {outcome.outcome for outcome in outcomes} == {"delivered"}
    assert sorted(envelope.rcpt_tos[0] for envelope in handler.envelopes) == recipients
    for envelope in handler.envelopes:
        assert envelope.content.startswith(f"To: {envelope.rcpt_tos[0]}\r\n".encode())
