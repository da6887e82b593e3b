"""The SFTP channel: each version's files uploaded to the partner's server, one connection per endpoint and batch.

Every connection authenticates with the wire's key and accepts only the host key pinned at registration. A file is
written under a temporary dot-name and renamed into place, so a partner never sees a partial file under its final
name, whatever happens to the connection or the worker in between. Beside each file lies `<name>.jws`, the wire's
detached JWS over the file's exact bytes (docs/trust.md), renamed into place before the file itself: whoever sees
a file finds its signature.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Literal

import asyncssh
from asgiref.sync import sync_to_async
from django.utils import timezone

from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.channels.gate import hold_back_withdrawn
from wireroom.distribution.channels.health import EndpointHealth, Signal
from wireroom.distribution.channels.sftp import endpoints
from wireroom.distribution.channels.sftp.endpoints import Endpoint
from wireroom.distribution.channels.sftp.files import extra_file_name, file_name, stored_format
from wireroom.distribution.prepositioning import EXTRA_ACTIONS, KEY, KEY_RETRY_CEILING, key_id_of, key_retry_after
from wireroom.formats.registry import UnknownFormat, get_format
from wireroom.lib import ssh
from wireroom.lib.outbound import OutboundRefused
from wireroom.trust import wirekeys

log = logging.getLogger(__name__)

# After the first attempt: 1 min, 5 min, 30 min, 2 h, 5 h, 10 h.
SCHEDULE = (60.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0)
CONNECT_TIMEOUT = 15.0
HOST_KEY_CHANGED = ("the server's host key is not the one pinned when the endpoint was registered; delivery "
                    "stopped. If the partner changed it on purpose, register the endpoint again")

Kind = Literal["ok", "failure", "refused", "skipped"]
SIGNATURE_SUFFIX = ".jws"
SIGNATURES_KEPT = 2000


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


class SftpChannel:
    name = "sftp"
    max_attempts = len(SCHEDULE) + 1

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._health: dict[int, EndpointHealth] = {}
        self._signatures: dict[bytes, str] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def retry_delay(self, attempts: int) -> float:
        return SCHEDULE[min(max(attempts, 1), len(SCHEDULE)) - 1]

    async def send(self, jobs: list[Job]) -> list[Result]:
        jobs, held_back = await hold_back_withdrawn(jobs)
        if not jobs:
            return held_back
        found = await sync_to_async(endpoints.load_endpoints)({job.endpoint_id for job in jobs if job.endpoint_id})
        by_endpoint: dict[int, list[Job]] = defaultdict(list)
        results: list[Result] = []
        for job in jobs:
            if job.endpoint_id in found:
                by_endpoint[job.endpoint_id].append(job)
            else:
                results.append(Result(job.delivery_id, "failed", error="no such SFTP endpoint"))
        outcomes = await asyncio.gather(*(self._endpoint_batch(found[pk], batch) for pk, batch in by_endpoint.items()))
        succeeded: set[int] = set()
        failed: set[int] = set()
        refused: dict[int, str] = {}
        for (pk, _batch), (batch_results, kind, reason) in zip(by_endpoint.items(), outcomes, strict=True):
            results += batch_results
            if kind == "ok":
                succeeded.add(pk)
            elif kind == "failure":
                failed.add(pk)
            elif kind == "refused":
                refused[pk] = reason
        if succeeded or failed or refused:
            try:
                disabled = await sync_to_async(endpoints.record_health)(succeeded=succeeded, failed=failed,
                                                                        refused=refused)
            except Exception:
                # The results stand: failing here must not make the dispatcher send the whole batch again.
                log.exception("could not record the health of %d SFTP endpoints", len(succeeded | failed))
                disabled = []
            for pk in disabled:
                self._health[pk].disabled = "disabled"
        return results + held_back

    def _health_of(self, endpoint: Endpoint) -> EndpointHealth:
        health = self._health.get(endpoint.id)
        if health is None:
            health = self._health[endpoint.id] = EndpointHealth(endpoint.max_concurrency, self._clock)
        health.disabled = "" if endpoint.active else (endpoint.disabled_reason or "disabled")
        return health

    async def _endpoint_batch(self, endpoint: Endpoint, jobs: list[Job]) -> tuple[list[Result], Kind, str]:
        health = self._health_of(endpoint)
        if health.disabled:
            return [Result(job.delivery_id, "failed", error=f"endpoint disabled: {health.disabled}")
                    for job in jobs], "skipped", ""
        try:
            stored = stored_format(endpoint.format)
            extension = get_format(endpoint.format).extension
        except UnknownFormat:
            return [Result(job.delivery_id, "failed", error=f"unknown format {endpoint.format!r}")
                    for job in jobs], "skipped", ""
        documents = await sync_to_async(endpoints.load_documents)(
            {(job.release_id, job.version, stored) for job in jobs if job.action not in EXTRA_ACTIONS})
        extra = await sync_to_async(endpoints.load_extra_files)(
            [(job.release_id, job.version, job.action, job.recipient_key, endpoint.format) for job in jobs
             if job.action in EXTRA_ACTIONS])
        # Due at the embargo second, but the embargo clock may not have published the version yet: no connection
        # for it, and the try does not count.
        waiting = {job.delivery_id for job in jobs if job.action == KEY
                   and (job.release_id, job.version, job.recipient_key) not in extra}
        waits = await sync_to_async(key_retry_after)(
            {(job.release_id, job.version) for job in jobs if job.delivery_id in waiting}, now=timezone.now())
        held = [Result(job.delivery_id, "retry", error="the key is not released yet", attempted=False,
                       retry_after=waits.get((job.release_id, job.version), KEY_RETRY_CEILING))
                for job in sorted(jobs, key=lambda job: job.delivery_id) if job.delivery_id in waiting]
        jobs = [job for job in jobs if job.delivery_id not in waiting]
        if not jobs:
            return held, "skipped", ""
        results, kind, reason = await self._endpoint_batch_ready(endpoint, health, jobs, documents, extra, stored,
                                                                 extension)
        return held + results, kind, reason

    async def _endpoint_batch_ready(self, endpoint: Endpoint, health: EndpointHealth, jobs: list[Job],
                                    documents: dict[endpoints.DocumentsKey, dict[str, str]],
                                    extra: dict[tuple[uuid.UUID, int, str], bytes], stored: str,
                                    extension: str) -> tuple[list[Result], Kind, str]:
        async with health.slot():
            wait, probe = health.admit()
            if wait is not None:
                error = (f"not attempted: the endpoint failed {health.failures} times in a row; "
                         f"the next probe is in {wait:.0f} s")
                return [Result(job.delivery_id, "retry", error=error, retry_after=wait, attempted=False)
                        for job in jobs], "skipped", ""
            signal: Signal | None = None
            try:
                results, kind, reason = await self._upload(endpoint, jobs, documents, extra, stored, extension)
                signal = "ok" if kind == "ok" else "failure"
            finally:
                health.record(signal, probe=probe)
            return results, kind, reason

    async def _upload(self, endpoint: Endpoint, jobs: list[Job],
                      documents: dict[endpoints.DocumentsKey, dict[str, str]],
                      extra: dict[tuple[uuid.UUID, int, str], bytes], stored: str,
                      extension: str) -> tuple[list[Result], Kind, str]:
        def every(outcome: Literal["retry", "failed"], error: str) -> list[Result]:
            return [Result(job.delivery_id, outcome, error=error) for job in jobs]

        try:
            address = await sync_to_async(ssh.resolve_checked)(endpoint.host, endpoint.port)
            pinned = ssh.parse_host_key(endpoint.host_key)
            key = await sync_to_async(ssh.wire_key)()
        except OutboundRefused as exc:
            return every("failed", exc.message), "failure", ""
        except Exception as exc:
            return every("failed", _error(exc)), "failure", ""
        results: list[Result] = []
        try:
            async with asyncssh.connect(
                address, endpoint.port, username=endpoint.username, client_keys=[key], known_hosts=([pinned], [], []),
                config=[], agent_path=None, preferred_auth="publickey", connect_timeout=CONNECT_TIMEOUT,
            ) as connection, connection.start_sftp_client() as sftp:
                for job in jobs:
                    if job.action in EXTRA_ACTIONS:
                        body = extra.get((job.release_id, job.version, job.recipient_key))
                        if body is None:
                            results.append(Result(job.delivery_id, "failed", error="nothing was sealed for this row"))
                            continue
                        name = extra_file_name(release_id=job.release_id, version=job.version, action=job.action,
                                               key_id=key_id_of(job.recipient_key))
                        results.append(Result(job.delivery_id, "delivered",
                                              receiver_ref=await self._put_bytes(sftp, endpoint.directory, name, body)))
                        continue
                    texts = documents.get((job.release_id, job.version, stored), {})
                    if not texts:
                        results.append(Result(job.delivery_id, "failed", error="nothing was rendered for this version"))
                        continue
                    names = [await self._put(sftp, endpoint.directory, file_name(
                        release_id=job.release_id, language=language, version=job.version, action=job.action,
                        extension=extension), text) for language, text in sorted(texts.items())]
                    results.append(Result(job.delivery_id, "delivered", receiver_ref=" ".join(names)[:200]))
        except asyncssh.HostKeyNotVerifiable:
            log.warning("SFTP endpoint %s presented another host key", endpoint.id)
            return every("failed", HOST_KEY_CHANGED), "refused", "host key changed"
        except (OSError, TimeoutError, asyncssh.Error) as exc:
            # Files already renamed into place count as delivered; the rest are tried again.
            done = {result.delivery_id for result in results}
            return results + [Result(job.delivery_id, "retry", error=_error(exc))
                              for job in jobs if job.delivery_id not in done], "failure", ""
        return results, "ok", ""

    def _wire_signature(self, body: bytes) -> str:
        """Signed once per file, however many endpoints take it."""
        signature = self._signatures.get(body)
        if signature is None:
            if len(self._signatures) >= SIGNATURES_KEPT:
                self._signatures.clear()
            signature = self._signatures[body] = wirekeys.sign(body)
        return signature

    async def _write(self, sftp: asyncssh.SFTPClient, prefix: str, name: str, data: bytes) -> str:
        """`data` under a temporary dot-name partners ignore; the random part keeps two workers apart."""
        temporary = f"{prefix}.{name}.{secrets.token_hex(4)}.part"
        async with sftp.open(temporary, "wb") as handle:
            await handle.write(data)
        return temporary

    async def _rename(self, sftp: asyncssh.SFTPClient, temporary: str, final: str, *, replace: bool = False) -> None:
        try:
            await sftp.posix_rename(temporary, final)
        except asyncssh.SFTPOpUnsupported:
            # A plain SFTP rename refuses an existing name. Only a signature is ever replaced: one left by an
            # upload that died before its file was renamed into place (the same bytes: Ed25519 is deterministic).
            if replace and await sftp.exists(final):
                await sftp.remove(final)
            await sftp.rename(temporary, final)

    async def _put(self, sftp: asyncssh.SFTPClient, directory: str, name: str, text: str) -> str:
        return await self._put_bytes(sftp, directory, name, text.encode())

    async def _put_bytes(self, sftp: asyncssh.SFTPClient, directory: str, name: str, body: bytes) -> str:
        prefix = f"{directory}/" if directory else ""
        temporary = await self._write(sftp, prefix, name, body)
        signature = await self._write(sftp, prefix, name + SIGNATURE_SUFFIX, self._wire_signature(body).encode())
        # The signature first: a partner that picks up a file as soon as its name appears finds the signature.
        await self._rename(sftp, signature, f"{prefix}{name}{SIGNATURE_SUFFIX}", replace=True)
        await self._rename(sftp, temporary, f"{prefix}{name}")
        return name
