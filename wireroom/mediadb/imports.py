"""Importing contacts and outlets from a spreadsheet (columns in docs/media-database.md).

Every row is checked before anything is written, and a file with any bad row writes nothing. A clean file is
written in one transaction, with bulk statements and no query per row. A contact is the same contact whatever
the case of its address or the spelling of its domain; an address that is suppressed (unsubscribed, bounced,
complained) stays so whatever the file says, since an import never touches a contact's status. A row that
changes nothing writes nothing, so importing the same file twice leaves the second run with nothing to do.
A column the file does not have leaves that field of existing records as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from wireroom.audit.services import audit_record_many
from wireroom.lib.errors import InvalidInput
from wireroom.mediadb.addresses import BadAddress, address_key, parse_address
from wireroom.mediadb.models import (
    ConsentBasis,
    Contact,
    ContactLanguage,
    ContactRole,
    Outlet,
    OutletType,
)
from wireroom.mediadb.reports import ImportReport, Progress, RowProblem
from wireroom.mediadb.tables import Table
from wireroom.taxonomy.models import Country, Language, Region, Sector

if TYPE_CHECKING:
    from wireroom.accounts.models import User

CONTACT_COLUMNS = ("email", "name", "outlet", "role", "country", "regions", "languages", "beats", "consent_basis",
                   "consent_at")
CONTACT_REQUIRED = ("email", "name", "consent_basis")
OUTLET_COLUMNS = ("id", "name", "type", "country", "languages", "sectors", "website", "desktops", "active")
OUTLET_REQUIRED = ("name", "type", "country")
# Written by the exports and ignored by the imports, so an exported file imports as it is.
EXPORT_ONLY = ("status",)
SEPARATOR = ";"
BATCH = 2000
PROGRESS_EVERY = 1000

T = TypeVar("T")


class _Bad(ValueError):
    pass


def _chunks(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(SEPARATOR) if part.strip()]


@dataclass(frozen=True)
class _Taxonomy:
    """The reference data every row is checked against, read once per import."""

    countries: frozenset[str]
    regions: dict[str, str]  # case-folded slug or English name -> slug
    languages: dict[str, str]  # lower-cased BCP 47 tag -> tag as stored
    sectors: dict[str, str]  # case-folded slug or label in any language -> slug

    @classmethod
    def load(cls) -> _Taxonomy:
        sectors: dict[str, str] = {}
        for slug, labels in Sector.objects.values_list("slug", "labels"):
            sectors[slug.casefold()] = slug
            for label in labels.values():
                sectors.setdefault(label.strip().casefold(), slug)
        regions: dict[str, str] = {}
        for slug, name in Region.objects.values_list("slug", "name"):
            regions[slug.casefold()] = slug
            regions.setdefault(name.strip().casefold(), slug)
        return cls(
            countries=frozenset(Country.objects.values_list("code", flat=True)),
            regions=regions,
            languages={code.lower(): code for code in Language.objects.values_list("code", flat=True)},
            sectors=sectors,
        )

    def country(self, value: str) -> str:
        code = value.strip().upper()
        if code not in self.countries:
            raise _Bad(f"unknown country code {value!r}; use ISO 3166-1 alpha-2, e.g. AE")
        return code

    def country_set(self, value: str) -> frozenset[str]:
        return frozenset(self.country(part) for part in _split(value))

    def region_set(self, value: str) -> frozenset[str]:
        slugs = set()
        for part in _split(value):
            slug = self.regions.get(part.casefold())
            if slug is None:
                raise _Bad(f"unknown region {part!r}; the wire's regions are " + ", ".join(sorted(set(
                    self.regions.values()))))
            slugs.add(slug)
        return frozenset(slugs)

    def language_list(self, value: str) -> tuple[str, ...]:
        tags: list[str] = []
        for part in _split(value):
            tag = self.languages.get(part.replace("_", "-").lower())
            if tag is None:
                raise _Bad(f"unknown language tag {part!r}; the wire's languages are "
                           + ", ".join(sorted(self.languages.values())))
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    def sector_set(self, value: str) -> frozenset[str]:
        slugs = set()
        for part in _split(value):
            slug = self.sectors.get(part.casefold())
            if slug is None:
                raise _Bad(f"unknown beat {part!r}; give a sector's slug or its name in one of the wire's languages")
            slugs.add(slug)
        return frozenset(slugs)


def _choice(value: str, choices: type[models.TextChoices], what: str) -> str:
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for choice in choices:
        if wanted in (choice.value, str(choice.label).lower().replace(" ", "_")):
            return str(choice.value)
    raise _Bad(f"unknown {what} {value!r}; one of " + ", ".join(str(c.value) for c in choices))


def _moment(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _Bad(f"not an ISO 8601 date or time: {value!r}") from None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    if parsed > timezone.now():
        raise _Bad("consent cannot be given in the future")
    return parsed


def _header_problems(table: Table, known: tuple[str, ...], required: tuple[str, ...]) -> list[RowProblem]:
    problems = []
    seen: set[str] = set()
    for header in table.headers:
        if not header:
            continue  # spreadsheets often save a trailing empty column; its cells are ignored
        if header not in known and header not in EXPORT_ONLY:
            problems.append(RowProblem(1, header, header, "unknown column; the columns are " + ", ".join(known)))
        elif header in seen:
            problems.append(RowProblem(1, header, header, "this column appears twice"))
        seen.add(header)
    problems += [RowProblem(1, name, "", "missing column") for name in required if name not in seen]
    return problems


def _records(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    for number, cells in table.rows:
        yield number, dict(zip(table.headers, cells, strict=False))


def _tick(progress: Progress | None, phase: str, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(phase, done, total)


# --- contacts -------------------------------------------------------------------------------------------------


@dataclass
class _ContactRow:
    row: int
    email: str
    key: str
    fields: dict[str, Any] = field(default_factory=dict)  # scalar fields the file sets
    relations: dict[str, Any] = field(default_factory=dict)  # beats, countries, regions (sets); languages (ordered)


_CONTACT_SCALARS = ("name", "outlet_id", "role", "consent", "consent_basis", "consent_at", "consent_source", "status")
_CONSENT_FIELDS = frozenset({"consent", "consent_basis", "consent_at"})


class _Outlets:
    """Outlets by id or by exact name, read once per contacts import."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.by_name: dict[str, list[int]] = {}
        for pk, name in Outlet.objects.values_list("pk", "name"):
            self.ids.add(pk)
            self.by_name.setdefault(name.strip().casefold(), []).append(pk)

    def find(self, value: str) -> int:
        if value.isdigit() and int(value) in self.ids:
            return int(value)
        found = self.by_name.get(value.casefold(), [])
        if not found:
            raise _Bad(f"unknown outlet {value!r}; give the outlet's id or its exact name")
        if len(found) > 1:
            raise _Bad(f"{len(found)} outlets are named {value!r}; give the outlet's id")
        return found[0]


def _contact_row(number: int, record: dict[str, str], taxonomy: _Taxonomy, outlets: _Outlets,
                 problems: list[RowProblem]) -> _ContactRow | None:
    before = len(problems)

    def check(column: str, parse: Callable[[str], Any]) -> Any:
        value = record.get(column, "")
        try:
            return parse(value)
        except (_Bad, BadAddress) as exc:
            problems.append(RowProblem(number, column, value, str(exc)))
            return None

    def required(what: str) -> Callable[[str], str]:
        def parse(value: str) -> str:
            if not value:
                raise _Bad(f"missing {what}")
            return value
        return parse

    address = check("email", lambda v: parse_address(required("e-mail address")(v)))
    name = check("name", lambda v: required("name")(v)[:200])
    basis = check("consent_basis", lambda v: _choice(required("consent basis")(v), ConsentBasis, "consent basis"))
    row = _ContactRow(number, address.stored if address else "", address.key if address else "")
    row.fields.update(name=name, consent=True, consent_basis=basis)
    if "outlet" in record:
        row.fields["outlet_id"] = check("outlet", lambda v: outlets.find(v) if v else None)
    if "role" in record:
        row.fields["role"] = check("role", lambda v: _choice(v, ContactRole, "role") if v else ContactRole.JOURNALIST)
    if record.get("consent_at"):
        row.fields["consent_at"] = check("consent_at", _moment)
    if "country" in record:
        row.relations["countries"] = check("country", taxonomy.country_set)
    if "regions" in record:
        row.relations["regions"] = check("regions", taxonomy.region_set)
    if "languages" in record:
        row.relations["languages"] = check("languages", taxonomy.language_list)
    if "beats" in record:
        row.relations["beats"] = check("beats", taxonomy.sector_set)
    return row if len(problems) == before else None


def _check_contacts(table: Table, progress: Progress | None) -> tuple[list[_ContactRow], list[RowProblem]]:
    problems = _header_problems(table, CONTACT_COLUMNS, CONTACT_REQUIRED)
    if problems:
        return [], problems
    taxonomy, outlets = _Taxonomy.load(), _Outlets()
    rows: list[_ContactRow] = []
    first_row_of: dict[str, int] = {}
    total = len(table.rows)
    for done, (number, record) in enumerate(_records(table), start=1):
        row = _contact_row(number, record, taxonomy, outlets, problems)
        if row is not None:
            if row.key in first_row_of:
                problems.append(RowProblem(number, "email", record.get("email", ""),
                                           f"the same address as row {first_row_of[row.key]}"))
            else:
                first_row_of[row.key] = number
                rows.append(row)
        _tick(progress, "checking", done, total)
    return rows, problems


_RELATIONS: dict[str, tuple[type[models.Model], str]] = {
    "beats": (Contact.beats.through, "sector_id"),
    "countries": (Contact.countries.through, "country_id"),
    "regions": (Contact.regions.through, "region_id"),
    "languages": (ContactLanguage, "language_id"),
}


def _current_relations(names: set[str], ids: list[int]) -> dict[str, dict[int, Any]]:
    current: dict[str, dict[int, Any]] = {}
    for name in names:
        through, column = _RELATIONS[name]
        values: dict[int, list[str]] = {pk: [] for pk in ids}
        order = ("contact_id", "rank", "pk") if name == "languages" else ("contact_id",)
        for chunk in _chunks(ids, 10 * BATCH):
            rows = through.objects.filter(contact_id__in=chunk).order_by(*order)  # type: ignore[attr-defined]
            for contact_id, value in rows.values_list("contact_id", column):
                values[contact_id].append(value)
        current[name] = {pk: tuple(v) if name == "languages" else frozenset(v) for pk, v in values.items()}
    return current


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs: link rows are many (several per contact) and have no behaviour, and building a
    model instance for each costs more than the database does."""
    quote = connection.ops.quote_name
    names = []
    for name in columns:
        found = model._meta.get_field(name)
        assert isinstance(found, models.Field)
        names.append(quote(found.column))
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, 900 // len(columns))  # under SQLite's oldest limit on parameters per statement
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, per_statement):
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])


def _through_rows(name: str, contact_id: int, value: Any) -> list[tuple[Any, ...]]:
    if name == "languages":
        return [(contact_id, tag, rank) for rank, tag in enumerate(value, start=1)]
    return [(contact_id, item) for item in sorted(value)]


def contacts_import(*, table: Table, source: str, by: User | None = None, dry_run: bool = False,
                    progress: Progress | None = None) -> ImportReport:
    """Check every row of `table`; when all are good (and not `dry_run`), write them in one transaction."""
    report = ImportReport(kind="contacts", rows=len(table.rows), dry_run=dry_run)
    rows, report.problems = _check_contacts(table, progress)
    if report.problems:
        return report

    wanted = {row.key: row for row in rows}
    existing: dict[str, dict[str, Any]] = {}
    for values in Contact.objects.order_by("pk").values("pk", "email", *_CONTACT_SCALARS).iterator(chunk_size=5000):
        key = address_key(values["email"])
        if key in wanted and key not in existing:
            existing[key] = values
    relation_names = {name for row in rows for name in row.relations}
    current = _current_relations(relation_names, [values["pk"] for values in existing.values()])

    now = timezone.now()
    consent_source = f"import: {source}"[:100]
    new: list[tuple[Contact, _ContactRow]] = []
    changed: list[tuple[Contact, set[str], dict[str, Any]]] = []
    relinks: dict[str, list[tuple[int | None, _ContactRow]]] = {name: [] for name in _RELATIONS}
    for done, row in enumerate(rows, start=1):
        _tick(progress, "comparing", done, len(rows))
        old = existing.get(row.key)
        if old is None:
            contact = Contact(email=row.email, consent_source=consent_source, **({"consent_at": now} | row.fields))
            new.append((contact, row))
            for name in row.relations:
                relinks[name].append((None, row))
            continue
        if old["status"] != "active":
            report.suppressed += 1
        fields = {name for name, value in row.fields.items() if old[name] != value}
        if fields & _CONSENT_FIELDS:
            fields.add("consent_source")
        relations = {name for name, value in row.relations.items() if current[name][old["pk"]] != value}
        if not fields and not relations:
            report.unchanged += 1
            continue
        values = {name: old[name] for name in _CONTACT_SCALARS} | row.fields
        if "consent_source" in fields:
            values["consent_source"] = consent_source
        changed.append((Contact(pk=old["pk"], email=old["email"], **values), fields, row.relations))
        for name in relations:
            relinks[name].append((old["pk"], row))
    report.created, report.updated = len(new), len(changed)
    if dry_run or not (new or changed):
        return report
    try:
        with transaction.atomic():
            _write_contacts(new, changed, relinks, by=by, source=source, progress=progress)
    except IntegrityError:
        raise InvalidInput("Contacts changed while the file was being imported; nothing was written. "
                           "Import it again.") from None
    report.written = True
    return report


def _write_contacts(new: list[tuple[Contact, _ContactRow]], changed: list[tuple[Contact, set[str], dict[str, Any]]],
                    relinks: dict[str, list[tuple[int | None, _ContactRow]]], *, by: User | None, source: str,
                    progress: Progress | None) -> None:
    steps = 2 + len(_RELATIONS)
    _tick(progress, "writing", 0, steps)
    created = Contact.objects.bulk_create([contact for contact, _row in new], batch_size=BATCH)
    pk_of = {row.key: contact.pk for contact, (_c, row) in zip(created, new, strict=True)}
    fields = sorted({name for _contact, names, _relations in changed for name in names})
    if fields:
        Contact.objects.bulk_update([contact for contact, _names, _r in changed], fields, batch_size=BATCH)
    _tick(progress, "writing", 1, steps)
    for step, (name, pairs) in enumerate(relinks.items(), start=2):
        through, column = _RELATIONS[name]
        stale = [pk for pk, _row in pairs if pk is not None]
        for chunk in _chunks(stale, 10 * BATCH):
            through.objects.filter(contact_id__in=chunk).delete()  # type: ignore[attr-defined]
        links = [link for pk, row in pairs
                 for link in _through_rows(name, pk if pk is not None else pk_of[row.key], row.relations[name])]
        columns = ("contact", column.removesuffix("_id"), "rank") if name == "languages" else (
            "contact", column.removesuffix("_id"))
        _insert(through, columns, links)
        _tick(progress, "writing", step, steps)
    audit_record_many(actor=by, action="contact.import", targets=_audit_targets(created, changed, relinks, source))
    _tick(progress, "writing", steps, steps)


def _audit_targets(created: list[Contact], changed: list[tuple[Contact, set[str], dict[str, Any]]],
                   relinks: dict[str, list[tuple[int | None, _ContactRow]]],
                   source: str) -> Iterable[tuple[models.Model, dict[str, Any]]]:
    for contact in created:
        yield contact, {"source": source, "created": True}
    relinked: dict[int, list[str]] = {}
    for name, pairs in relinks.items():
        for pk, _row in pairs:
            if pk is not None:
                relinked.setdefault(pk, []).append(name)
    for contact, names, _relations in changed:
        yield contact, {"source": source, "fields": sorted(names | set(relinked.get(contact.pk, [])))}


# --- outlets --------------------------------------------------------------------------------------------------


@dataclass
class _OutletRow:
    row: int
    pk: int | None
    key: tuple[str, str]
    fields: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, frozenset[str]] = field(default_factory=dict)


_OUTLET_SCALARS = ("name", "type", "country_id", "website", "desktops", "active")
_OUTLET_RELATIONS: dict[str, tuple[type[models.Model], str]] = {
    "languages": (Outlet.languages.through, "language_id"),
    "sectors": (Outlet.sectors.through, "sector_id"),
}
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


def _flag(value: str) -> bool:
    if not value or value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise _Bad(f"not true or false: {value!r}")


def _count(value: str) -> int:
    if not value:
        return 0
    if not value.isdigit():
        raise _Bad(f"not a whole number of desktops: {value!r}")
    return int(value)


def _website(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise _Bad(f"not a web address: {value!r}") from None
    return value[:200]


def _outlet_key(name: str, country: str) -> tuple[str, str]:
    return name.strip().casefold(), country.upper()


def _check_outlets(table: Table, progress: Progress | None) -> tuple[list[_OutletRow], list[RowProblem]]:
    problems = _header_problems(table, OUTLET_COLUMNS, OUTLET_REQUIRED)
    if problems:
        return [], problems
    taxonomy = _Taxonomy.load()
    ids = set(Outlet.objects.values_list("pk", flat=True))
    rows: list[_OutletRow] = []
    first_row_of: dict[Any, int] = {}
    for done, (number, record) in enumerate(_records(table), start=1):
        before = len(problems)

        def check(column: str, parse: Callable[[str], Any], record: dict[str, str] = record,
                  number: int = number) -> Any:
            value = record.get(column, "")
            try:
                return parse(value)
            except _Bad as exc:
                problems.append(RowProblem(number, column, value, str(exc)))
                return None

        def known_id(value: str) -> int | None:
            if not value:
                return None
            if not value.isdigit() or int(value) not in ids:
                raise _Bad(f"no outlet has the id {value!r}; leave it empty to add an outlet")
            return int(value)

        def named(value: str) -> str:
            if not value:
                raise _Bad("missing name")
            return value[:200]

        pk = check("id", known_id)
        fields: dict[str, Any] = {
            "name": check("name", named),
            "type": check("type", lambda v: _choice(v, OutletType, "outlet type")),
            "country_id": check("country", taxonomy.country),
        }
        if "website" in record:
            fields["website"] = check("website", _website)
        if "desktops" in record:
            fields["desktops"] = check("desktops", _count)
        if "active" in record:
            fields["active"] = check("active", _flag)
        relations = {}
        if "languages" in record:
            relations["languages"] = check("languages", lambda v: frozenset(taxonomy.language_list(v)))
        if "sectors" in record:
            relations["sectors"] = check("sectors", taxonomy.sector_set)
        if len(problems) == before:
            key = _outlet_key(fields["name"], fields["country_id"])
            identity: Any = pk if pk is not None else key
            if identity in first_row_of:
                problems.append(RowProblem(number, "id" if pk is not None else "name", record.get("name", ""),
                                           f"the same outlet as row {first_row_of[identity]}"))
            else:
                first_row_of[identity] = number
                rows.append(_OutletRow(number, pk, key, fields, relations))
        _tick(progress, "checking", done, len(table.rows))
    return rows, problems


def outlets_import(*, table: Table, source: str, by: User | None = None, dry_run: bool = False,
                   progress: Progress | None = None) -> ImportReport:
    """As `contacts_import`, for outlets and terminal partners: a row with an `id` updates that outlet, a row
    without one updates the outlet of that name in that country, or adds it."""
    report = ImportReport(kind="outlets", rows=len(table.rows), dry_run=dry_run)
    rows, report.problems = _check_outlets(table, progress)
    if report.problems:
        return report
    existing: dict[int, dict[str, Any]] = {}
    by_key: dict[tuple[str, str], list[int]] = {}
    for values in Outlet.objects.order_by("pk").values("pk", *_OUTLET_SCALARS).iterator(chunk_size=5000):
        existing[values["pk"]] = values
        by_key.setdefault(_outlet_key(values["name"], values["country_id"]), []).append(values["pk"])
    for row in rows:
        if row.pk is None:
            matches = by_key.get(row.key, [])
            if len(matches) > 1:
                report.problems.append(RowProblem(row.row, "name", row.fields["name"],
                                                  f"{len(matches)} outlets have this name in this country; "
                                                  "give the outlet's id"))
            row.pk = matches[0] if matches else None
    if report.problems:
        return report
    current: dict[str, dict[int, frozenset[str]]] = {}
    for name, (through, column) in _OUTLET_RELATIONS.items():
        current[name] = {}
        for outlet_id, value in through.objects.values_list("outlet_id", column):  # type: ignore[attr-defined]
            current[name].setdefault(outlet_id, frozenset())
            current[name][outlet_id] |= {value}

    new: list[tuple[Outlet, _OutletRow]] = []
    changed: list[tuple[Outlet, set[str]]] = []
    relinks: list[tuple[int | None, _OutletRow, set[str]]] = []
    for row in rows:
        if row.pk is None:
            new.append((Outlet(**row.fields), row))
            relinks.append((None, row, set(row.relations)))
            continue
        old = existing[row.pk]
        fields = {name for name, value in row.fields.items() if old[name] != value}
        relations = {name for name, value in row.relations.items()
                     if current[name].get(row.pk, frozenset()) != value}
        if not fields and not relations:
            report.unchanged += 1
            continue
        if fields:
            changed.append((Outlet(pk=row.pk, **({name: old[name] for name in _OUTLET_SCALARS} | row.fields)),
                            fields))
        if relations:
            relinks.append((row.pk, row, relations))
        report.updated += 1
    report.created = len(new)
    if dry_run or not (new or report.updated):
        return report
    with transaction.atomic():
        created = Outlet.objects.bulk_create([outlet for outlet, _row in new], batch_size=BATCH)
        pk_of = {id(row): outlet.pk for outlet, (_o, row) in zip(created, new, strict=True)}
        fields_changed = sorted({name for _outlet, names in changed for name in names})
        if fields_changed:
            Outlet.objects.bulk_update([outlet for outlet, _names in changed], fields_changed, batch_size=BATCH)
        for name, (through, column) in _OUTLET_RELATIONS.items():
            pairs = [(pk, row) for pk, row, names in relinks if name in names]
            stale = [pk for pk, _row in pairs if pk is not None]
            for chunk in _chunks(stale, 10 * BATCH):
                through.objects.filter(outlet_id__in=chunk).delete()  # type: ignore[attr-defined]
            _insert(through, ("outlet", column.removesuffix("_id")),
                    [(pk if pk is not None else pk_of[id(row)], value)
                     for pk, row in pairs for value in sorted(row.relations[name])])
        touched = {pk for pk, _row, _names in relinks if pk is not None} | {o.pk for o, _names in changed}
        audit_record_many(actor=by, action="outlet.import", targets=[
            *((outlet, {"source": source, "created": True}) for outlet in created),
            *((Outlet(pk=pk), {"source": source}) for pk in sorted(touched)),
        ])
    report.written = True
    return report
