"""`wireroom bench search`: the full-text index of N releases in the 15 languages, built and queried.

Each release is published in one language (release i in the i-th language, round the fifteen), with text that
Faker generates in that language's locale: its lorem where it has one, and its names, companies and addresses
(Hangul, Indonesian, …) in every locale, so each script has words of its own. The index is built by the rebuild
`wireroom reindex` runs (`index_per_s`: releases per second; `index_bytes`: the index's size); then a query mix
in every script is timed through the selector as the search page calls it (hits with their issuers), one query
at a time (`p50_ms`, `p95_ms`): a word of the language, two words, two CJK characters, one CJK character, a Thai
word. The limit is the target of issue 10, p95 ≤ 100 ms.

`--postgres` runs it on a fresh database made for the run on the PostgreSQL server at WIREROOM_TEST_DATABASE_URL,
dropped afterwards; never on the wire's own database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wireroom.bench.registry import Bench, Figures, Option, register

# Faker's locale for each first-class language; Malay has none, and is written with the Indonesian one.
LOCALES = {
    "en": "en_US", "ko": "ko_KR", "ja": "ja_JP", "ar": "ar_AA", "zh-Hans": "zh_CN", "zh-Hant": "zh_TW",
    "vi": "vi_VN", "th": "th_TH", "id": "id_ID", "ms": "id_ID", "de": "de_DE", "ru": "ru_RU", "fr": "fr_FR",
    "es": "es_ES", "pt": "pt_BR",
}
QUERIES_PER_LANGUAGE = 20
P95_LIMIT_MS = 100.0
BATCH = 2_000


def _text(fake: Any) -> tuple[str, str]:
    headline = f"{fake.company()} {fake.sentence(nb_words=6)}"
    paragraphs = [fake.paragraph(nb_sentences=4), f"{fake.name()}, {fake.address()}", fake.paragraph(nb_sentences=4),
                  fake.catch_phrase() if hasattr(fake, "catch_phrase") else fake.sentence()]
    return headline[:300], "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _create(count: int, log: Callable[[str], object]) -> dict[str, list[str]]:
    """`count` published releases, bulk-written (the lifecycle is not what is measured); returns each language's
    texts, for the queries."""
    from django.db import transaction
    from faker import Faker

    from wireroom.demo.accounts import seed_accounts
    from wireroom.releases.models import Localization, Release, State

    issuer = seed_accounts()["nahr-energy"]
    fakers = {tag: Faker(locale) for tag, locale in LOCALES.items()}
    for seed, faker in enumerate(fakers.values()):
        faker.seed_instance(seed)
    tags = list(LOCALES)
    samples: dict[str, list[str]] = {tag: [] for tag in tags}
    now = dt.datetime.now(dt.UTC)
    for start in range(0, count, BATCH):
        releases, localizations = [], []
        for index in range(start, min(count, start + BATCH)):
            tag = tags[index % len(tags)]
            headline, body = _text(fakers[tag])
            release = Release(id=uuid.uuid4(), issuer=issuer.organization, created_by=issuer.user,
                              state=State.PUBLISHED, original_language_id=tag, version=1,
                              published_at=now - dt.timedelta(minutes=index * 5))
            releases.append(release)
            localizations.append(Localization(release=release, language_id=tag, headline=headline, body_html=body))
            if len(samples[tag]) < 50:
                samples[tag].append(headline + " " + body)
        with transaction.atomic():
            Release.objects.bulk_create(releases)
            Localization.objects.bulk_create(localizations)
        log(f"{min(count, start + BATCH)} releases written")
    return samples


def _queries(samples: dict[str, list[str]], rng: random.Random) -> list[str]:
    """A mix in every script, taken from the generated text: words, pairs of words, two and one CJK characters,
    Thai words as ICU segments them."""
    from wireroom.search.analysis import is_paired, tokens, words

    queries = []
    for tag, texts in samples.items():
        for _ in range(QUERIES_PER_LANGUAGE):
            text = rng.choice(texts)
            # Thai is indexed in pairs of characters, but read (and typed) in words.
            pieces = words(text) if tag == "th" else [text[token.start:token.end] for token in tokens(text, tag)]
            candidates = [piece for piece in pieces if len(piece) > 1 and "<" not in piece]
            if not candidates:
                continue
            word = rng.choice(candidates)
            if is_paired(word) and tag != "th":
                queries.append(word if rng.random() < 0.7 else word[0])
            elif rng.random() < 0.3:
                queries.append(f"{word} {rng.choice(candidates)}")
            else:
                queries.append(word)
    rng.shuffle(queries)
    return queries


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _index_bytes() -> int:
    """The full-text index's size on disk: the FTS5 table's shadow tables, or the tsvector table with its GIN
    index and TOAST."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
        else:
            cursor.execute("SELECT pg_total_relation_size('search_document')")
        return int(cursor.fetchone()[0] or 0)


def _measure(count: int, log: Callable[[str], object]) -> Figures:
    from django.db import connection

    from wireroom.search.selectors import search_releases
    from wireroom.search.services import search_rebuild

    samples = _create(count, log)
    started = time.perf_counter()
    indexed = search_rebuild(progress=lambda done, total: log(f"indexed {done} of {total}"))
    index_seconds = time.perf_counter() - started
    queries = _queries(samples, random.Random(7))
    for query in queries[:20]:
        # Warms the caches the timed queries will find warm in production too.
        search_releases(query=query, relations=False)
    timings, found = [], 0
    for query in queries:
        began = time.perf_counter()
        results = search_releases(query=query, relations=False)
        timings.append((time.perf_counter() - began) * 1000)
        found += bool(results.hits)
    return {
        "database": connection.vendor,
        "releases": count,
        "localizations_indexed": indexed,
        "index_per_s": round(count / index_seconds, 1),
        "index_bytes": _index_bytes(),
        "queries": len(queries),
        "queries_with_hits": found,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "p95_limit_ms": P95_LIMIT_MS,
    }


def _on_postgres(count: int, log: Callable[[str], object]) -> Figures:
    """The benchmark in a child process on a database of its own, made for it on the test server and dropped."""
    import psycopg
    from django.conf import settings

    server = settings.ENV["WIREROOM_TEST_DATABASE_URL"]
    if not server:
        raise SystemExit("--postgres needs WIREROOM_TEST_DATABASE_URL: a PostgreSQL server where it may create "
                         "(and then drop) a database of its own.")
    name = f"wireroom_bench_search_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.rsplit("/", 1)[0] + "/" + name
        env = {**os.environ, "WIREROOM_DATABASE_URL": url}
        command = [sys.executable, "-m", "wireroom", "bench", "search", "--in-process", "--releases", str(count)]
        log(f"on PostgreSQL, database {name}")
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
        figures: Figures = json.loads(result.stdout.strip().splitlines()[-1])
        return figures
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_search(*, options: Mapping[str, Any], workdir: Path, log: Callable[[str], object]) -> Figures:
    from django.core.management import call_command

    if options["postgres"]:
        return _on_postgres(options["releases"], log)
    call_command("migrate", verbosity=0)
    return _measure(options["releases"], log)


register(Bench(
    name="search",
    summary="the full-text index of N releases in the 15 languages: build rate, and query latency in every script",
    run=run_search,
    options=(Option("--releases", int, 100_000, "How many releases to index."),
             Option("--postgres", bool, False, "Run on a fresh database on the server at "
                                               "WIREROOM_TEST_DATABASE_URL instead of an embedded SQLite one.")),
    limits={"p95_ms": "p95_limit_ms"},
))
