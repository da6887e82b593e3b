"""A release's fields, flattened from its snapshot (`release_snapshot`), and what changed between two of them:
the audit log's field-level before/after of an edit, and the desk's diffs, read the same names."""

from __future__ import annotations

from typing import Any

# Release-level fields, in the order the desk shows them; each localization adds `<language>.<field>`.
RELEASE_FIELDS = ("kind", "original_language", "dateline", "embargo_at", "sectors", "countries", "regions",
                  "languages", "contacts")
LOCALIZATION_FIELDS = ("headline", "summary", "body_html", "origin", "translated_from", "translator", "engine")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(" · ".join(str(v) for v in item.values() if v) for item in value)
        return ", ".join(str(item) for item in value)
    return str(value)


def flatten(snapshot: dict[str, Any] | None) -> dict[str, str]:
    """{"dateline": "Dubai", "ar.headline": "…", …}: every field as text, the absent ones left out."""
    if not snapshot:
        return {}
    fields = {name: _text(snapshot.get(name)) for name in RELEASE_FIELDS if name in snapshot}
    for localization in snapshot.get("localizations", []):
        for name in LOCALIZATION_FIELDS:
            fields[f"{localization['language']}.{name}"] = _text(localization.get(name))
    return fields


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{field: {"before": …, "after": …}} for every field whose text differs."""
    old, new = flatten(before), flatten(after)
    return {name: {"before": old.get(name, ""), "after": new.get(name, "")}
            for name in [*old, *(key for key in new if key not in old)]
            if old.get(name, "") != new.get(name, "")}
