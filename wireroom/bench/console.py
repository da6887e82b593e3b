"""`wireroom bench console`: the operator console's contacts table over 100,000 contacts.

The contacts are a generated file (`mediadb.samples.sample_contacts`, clean) imported through `contacts_import`.
Each figure is the median time of one page of the table, as a signed-in editor asks for it through Django's
test client: the first page, a page deep in the table, filters on links (language, country and beat), a search by
address, and a sort by address. The limit, measured in the same run: the sign-in page, a page that reads no
table at all."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.registry import Bench, Figures, Option, register
from wireroom.bench.report import HOST, _median_ms

PAGES = {
    "first_page_ms": "/console/contacts/",
    "deep_page_ms": "/console/contacts/?page={deep}",
    "filtered_ms": "/console/contacts/?language=ja&country=JP&beat=technology",
    "search_ms": "/console/contacts/?q=reporter.0500",
    "sorted_ms": "/console/contacts/?sort=-email&page=2",
}


def run_console(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command
    from django.test import Client

    from wireroom.demo.accounts import seed_accounts
    from wireroom.mediadb.imports import contacts_import
    from wireroom.mediadb.samples import sample_contacts
    from wireroom.mediadb.tables import read_table

    rows, repeat = options["contacts"], options["repeat"]
    call_command("migrate", verbosity=0)
    log(f"importing {rows:,} contacts")
    report = contacts_import(table=read_table(data=sample_contacts(rows=rows).data, format="csv"), source="bench")
    if report.created != rows:
        raise RuntimeError(f"the import created {report.created} contacts, not {rows}")
    editor = seed_accounts()["editor"]
    client = Client(HTTP_HOST=HOST)
    client.force_login(editor.user)
    anonymous = Client(HTTP_HOST=HOST)
    figures: Figures = {"contacts": rows, "repeat": repeat}
    for name, page in PAGES.items():
        url = page.format(deep=rows // 50 // 2)
        response = client.get(url)  # warm: templates, the taxonomy's choices
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        log(f"timing {url}")
        figures[name] = _median_ms(lambda url=url: client.get(url), repeat)  # type: ignore[misc]
    figures["trivial_page_ms"] = _median_ms(lambda: anonymous.get("/accounts/login/"), repeat)
    return figures


register(Bench(
    name="console",
    summary="the console's contacts table over 100,000 contacts: pages, filters, search and sort beside a trivial page",
    run=run_console,
    options=(
        Option("--contacts", int, 100_000, "Contacts in the media database."),
        Option("--repeat", int, 9, "Requests per figure (the median is kept)."),
    ),
    limits={name: "trivial_page_ms" for name in PAGES},
))
