"""The wording's templates: plain text with named placeholders in braces (`{wire}`, `{issuer}`), `{{` and `}}`
for a brace itself. Each field accepts its own placeholders; anything else is refused when it is saved, so a
stored template always fills."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

# Which placeholders each template field may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "sectors_line": frozenset({"sectors"}),
    "disclaimer_press_release": frozenset({"wire", "wire_url", "issuer"}),
    "disclaimer_media_advisory": frozenset({"wire", "wire_url", "issuer"}),
    "disclaimer_third_party_article": frozenset({"wire", "wire_url", "issuer"}),
    "boilerplate": frozenset({"wire", "wire_url", "outlets", "journalists", "desktops", "countries", "languages"}),
}


class TemplateProblem(ValueError):
    """Why a field cannot be saved: `code` (braces, format, unknown for templates; sender_domain, unknown_sector,
    label_length for the others) and what it concerns, so that a page can say it in its reader's language;
    str() says it in English."""

    def __init__(self, code: str, message: str, *, name: str = "", allowed: frozenset[str] = frozenset()) -> None:
        super().__init__(message)
        self.code = code
        self.name = name
        self.allowed = allowed


def _parts(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) in order; TemplateProblem when the braces don't parse."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:
        raise TemplateProblem("braces", f"unbalanced braces: {exc}; write {{{{ and }}}} for a brace itself") from None
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion or not name.isidentifier()):
            raise TemplateProblem("format", f"{{{name}}} is not a placeholder: write a name in braces, such as "
                                  "{wire}", name=name)
        parts.append((literal, name))
    return parts


def check_template(field: str, template: str) -> None:
    """Raises TemplateProblem naming the first unknown placeholder, or a brace that doesn't parse."""
    allowed = PLACEHOLDERS[field]
    for _literal, name in _parts(template):
        if name is None:
            continue
        if name not in allowed:
            known = ", ".join(f"{{{known}}}" for known in sorted(allowed))
            raise TemplateProblem("unknown", f"unknown placeholder {{{name}}}; this text may use {known}", name=name,
                                  allowed=allowed)


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders replaced (no attribute access, no format specs: only names)."""
    return "".join(literal + (values[name] if name is not None else "") for literal, name in _parts(template))
