"""`wireroom bench pages`: how many newsroom pages the real server answers per second, fresh and conditional.

`--releases` releases are published through the lifecycle (each the wire's sample in 15 languages, so the
search index holds them as publishing keeps it), then `wireroom serve` (uvicorn, the web server only) is started
on a loopback port against the same database, and `--clients` clients (aiohttp, in this process, apart from the
server's) ask it at once for three pages: the English home page, the English page of the newest release, and
the English search page for a query every release matches. For each, `PAGE_rps` is full answers (200) and
`PAGE_304_rps` the same request with the page's `ETag` in `If-None-Match` (304). Their limit, `static_rps`, is
measured by the same clients against the same server in the same run: a static file, which the server answers
without a view or a query.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.formats import published_release
from wireroom.bench.measure import STATIC_FILE, request_rate, serving
from wireroom.bench.registry import Bench, Figures, Option, register

PAGES = ("home", "release", "search")


def _paths(release_id: object) -> dict[str, str]:
    return {"home": "/en/", "release": f"/releases/{release_id}/en/", "search": "/en/search/?q=Jebel+Ali"}


def run_pages(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    count, clients, seconds = options["releases"], options["clients"], options["seconds"]
    newest = None
    for index in range(count):
        newest = published_release(log, quiet=index > 0)
    figures: Figures = {"releases": count, "clients": clients, "seconds_per_figure": seconds}
    with serving() as base:
        log(f"pages: {clients} clients against {base}")
        for page, path in _paths(newest.pk if newest else None).items():
            url = base + path
            with urllib.request.urlopen(url, timeout=30) as response:
                etag = response.headers["ETag"]
                figures[f"{page}_bytes"] = len(response.read())
            figures[f"{page}_rps"] = round(request_rate(url, {}, 200, clients, seconds), 1)
            figures[f"{page}_304_rps"] = round(request_rate(url, {"If-None-Match": etag}, 304, clients, seconds), 1)
        figures["static_rps"] = round(request_rate(base + STATIC_FILE, {}, 200, clients, seconds), 1)
    return figures


register(Bench(
    name="pages",
    summary=("newsroom pages (home, a release, a search) answered per second by the real server, in full and as "
             "304 to a conditional GET, beside a static file's rate"),
    run=run_pages,
    options=(Option("--releases", int, 50, "Releases (each in 15 languages) published before the pages are asked."),
             Option("--clients", int, 8, "Clients asking at once."),
             Option("--seconds", float, 5.0, "How long each figure is measured.")),
    limits={f"{page}{kind}_rps": "static_rps" for page in PAGES for kind in ("", "_304")},
))
