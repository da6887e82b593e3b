from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from wireroom.audit.services import audit_record
from wireroom.brand.models import Wording
from wireroom.brand.selectors import cache_key
from wireroom.brand.templates import PLACEHOLDERS, TemplateProblem, check_template
from wireroom.lib.errors import InvalidInput, NotFound
from wireroom.taxonomy.models import Language, Sector

if TYPE_CHECKING:
    from wireroom.accounts.models import User

TEXT_FIELDS = ("wire_name", "wire_url", "sender", *PLACEHOLDERS)
LABEL_MAX = 80


def wording_problems(*, values: dict[str, Any]) -> dict[str, TemplateProblem]:
    """Field → what is wrong with it, for every field that cannot be saved as it is."""
    problems: dict[str, TemplateProblem] = {}
    for name in PLACEHOLDERS:
        try:
            check_template(name, str(values.get(name, "")))
        except TemplateProblem as exc:
            problems[name] = exc
    sender = str(values.get("sender", ""))
    if sender and sender.rpartition("@")[2].lower() != settings.MAIL_DOMAIN.lower():
        problems["sender"] = TemplateProblem(
            "sender_domain", f"the sender must be an address at {settings.MAIL_DOMAIN}: the wire's DKIM signature "
            "is for that domain", name=settings.MAIL_DOMAIN)
    labels = values.get("sector_labels") or {}
    unknown = sorted(set(labels) - set(Sector.objects.filter(slug__in=list(labels)).values_list("slug", flat=True)))
    if unknown:
        problems["sector_labels"] = TemplateProblem("unknown_sector", f"no such sector: {', '.join(unknown)}",
                                                    name=", ".join(unknown))
    elif any(not str(label).strip() or len(str(label)) > LABEL_MAX for label in labels.values()):
        problems["sector_labels"] = TemplateProblem("label_length", f"each label needs 1 to {LABEL_MAX} characters")
    return problems


@transaction.atomic
def wording_save(*, language: str, values: dict[str, Any], by: User | None) -> Wording:
    """Saves the wording of `language` whole, or nothing: every template is checked first. Audited with the
    fields that changed, before and after; the cached copy is dropped."""
    try:
        lang = Language.objects.get(code=language, first_class=True)
    except Language.DoesNotExist:
        raise NotFound(f"{language} is not one of the wire's languages.") from None
    problems = wording_problems(values=values)
    if problems:
        raise InvalidInput("Some of the wording cannot be used; nothing was saved.",
                           details={name: str(problem) for name, problem in problems.items()})
    row = Wording.objects.select_for_update().filter(language=lang).first() or Wording(language=lang)
    wanted: dict[str, Any] = {name: str(values.get(name, "")).strip() for name in TEXT_FIELDS}
    wanted["sector_labels"] = {slug: str(label).strip() for slug, label in (values.get("sector_labels") or {}).items()}
    changes = {name: {"from": getattr(row, name), "to": value} for name, value in wanted.items()
               if getattr(row, name) != value}
    if not changes and not row._state.adding:
        return row
    for name, value in wanted.items():
        setattr(row, name, value)
    row.save()
    audit_record(actor=by, action="brand.wording_save", target=row, data={"language": language, "changes": changes})
    # Dropped now for this transaction's own reads, and again once it commits, in case another request cached the
    # old wording meanwhile.
    cache.delete(cache_key(language))
    transaction.on_commit(lambda: cache.delete(cache_key(language)))
    return row
