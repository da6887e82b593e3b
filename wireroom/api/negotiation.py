"""Which format an item is served in: the `format` parameter if given, else the client's `Accept` header."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from wireroom.formats.registry import (
    Format,
    UnknownFormat,
    format_names,
    get_format,
    negotiate,
    offered_media_types,
)
from wireroom.lib.errors import InvalidInput, NotAcceptable
from wireroom.releases.models import Release
from wireroom.trust import wirekeys

FORMAT_HELP = "ninjs (ninjs 3.1, the default), ninjs-2.2, newsml-g2 or nitf; takes precedence over Accept"


def requested_format(request: HttpRequest, name: str | None) -> Format:
    """An unknown `format` is a 422; an `Accept` header no format satisfies is a 406. Never a silent default."""
    if name is not None:
        try:
            return get_format(name)
        except UnknownFormat as exc:
            raise InvalidInput(str(exc), details={"format": name, "known": format_names()}) from None
    fmt = negotiate(request.get_preferred_type)
    if fmt is None:
        raise NotAcceptable(f"No format matches Accept: {request.headers.get('Accept', '')!r}.",
                            details={"accept": [media_type for media_type, _fmt in offered_media_types()],
                                     "formats": format_names()})
    return fmt


def _language(release: Release, language: str | None) -> str | None:
    if language is None:
        return None
    known = sorted(loc.language_id for loc in release.localizations.all())
    if language not in known:
        raise InvalidInput(f"This release has no text in {language!r}.", details={"languages": known})
    return language


def item_response(release: Release, fmt: Format, language: str | None, *, version: int | None = None,
                  action: str | None = None) -> HttpResponse:
    """The release as it stands (no version), or as one distributed version described it."""
    body = fmt.render(release=release, version=version, language=_language(release, language), action=action)
    response = HttpResponse(body, content_type=fmt.content_type)
    response["Vary"] = "Accept"
    # The wire's signature over exactly these bytes, checkable against /.well-known/jwks.json (docs/trust.md).
    response[wirekeys.HEADER] = wirekeys.sign(body)
    return response


def item_in_page(release: Release, fmt: Format) -> Any:
    """A listed item: a JSON format as itself, an XML one as text with its media type."""
    body = fmt.render(release=release, version=None, language=None, action=None)
    if fmt.is_json:
        return json.loads(body)
    return {"format": fmt.name, "contentType": fmt.content_type, "value": body.decode()}
