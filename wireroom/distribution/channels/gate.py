"""Checked by every channel just before it sends: nothing of a withdrawn release goes out but its kill notices
(the withdrawal's, and pre-positioning's for an envelope whose key will never come).

Staging suppresses a withdrawn release's unsent rows, but a row can be leased (or replayed) before the
withdrawal and sent after it; this check closes that gap at the last moment a channel can.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async

from wireroom.distribution.channels.base import Job, Result
from wireroom.distribution.prepositioning import KILL
from wireroom.distribution.selectors import staged_deliveries, withdrawn_releases
from wireroom.releases.models import Action

WITHDRAWN = "suppressed: the release was withdrawn before this copy was sent"
UNSCHEDULED = "suppressed: the release was unscheduled before this copy was sent"


def hold_back(jobs: list[Job]) -> tuple[list[Job], list[Result]]:
    """Splits a batch into the jobs that may go and `suppressed` results for those that must not (for a channel
    that does its database work in one call)."""
    notices = (Action.WITHDRAW, KILL)
    copies = {job.release_id for job in jobs if job.action not in notices}
    withdrawn = withdrawn_releases(release_ids=copies) if copies else set()
    if not withdrawn:
        return jobs, []
    sendable: list[Job] = []
    held: list[Result] = []
    for job in jobs:
        if job.action not in notices and job.release_id in withdrawn:
            held.append(Result(job.delivery_id, "suppressed", error=WITHDRAWN))
        else:
            sendable.append(job)
    return sendable, held


def hold_back_prepared(jobs: list[Job]) -> tuple[list[Job], list[Result]]:
    """`hold_back` for a batch whose bodies were read before its second (`Prepares`): it also holds back the rows
    that are gone since. Unscheduling a release drops its rows and its bodies, and a channel that reads its
    bodies at the second finds none and sends nothing; one that read them before must look for the rows."""
    jobs, held = hold_back(jobs)
    staged = staged_deliveries(delivery_ids=[job.delivery_id for job in jobs])
    held += [Result(job.delivery_id, "suppressed", error=UNSCHEDULED) for job in jobs if job.delivery_id not in staged]
    return [job for job in jobs if job.delivery_id in staged], held


async def hold_back_withdrawn(jobs: list[Job]) -> tuple[list[Job], list[Result]]:
    """`hold_back`, from the event loop."""
    if all(job.action in (Action.WITHDRAW, KILL) for job in jobs):
        return jobs, []
    return await sync_to_async(hold_back)(jobs)
