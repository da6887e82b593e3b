"""Encrypted pre-positioning for SFTP endpoints that opted in (docs/trust.md).

When a version is scheduled, staging asks `seal` for the sealed files of the opted-in endpoints among its SFTP
rows: per format, one envelope whose plaintext is `{"files": {name: text}}`, every file (one per language) the
endpoint will get at the embargo, under the names it will get them, so the partner writes each text's UTF-8
bytes to its name and has exactly the files dropped then. The envelope file's own name and content say only
which release and version it is and that it is embargoed until T.
"""

from __future__ import annotations

import datetime as dt
import json

from wireroom.distribution.channels.sftp.files import file_name, stored_format
from wireroom.distribution.models import Delivery, RenderedItem
from wireroom.distribution.prepositioning import PREPOSITIONED_EVENT
from wireroom.formats.item import iso
from wireroom.formats.registry import UnknownFormat, get_format
from wireroom.releases.models import Action, Release
from wireroom.trust import contentkeys

Recipient = tuple[str, int, str]  # the plain row's recipient key, the endpoint, the language
LANGUAGE = "*"


def sealed_key(format_name: str) -> str:
    """The RenderedItem format under which a format's sealed file is kept."""
    return f"sealed:{format_name}"


def seal(*, release: Release, version: int, key: bytes, embargo: dt.datetime, now: dt.datetime,
         also: frozenset[str] = frozenset()) -> tuple[list[RenderedItem], list[Recipient]]:
    """The sealed files to store (one per format the opted-in endpoints take) and the endpoints to send them to;
    `also` is for the webhooks' (the stream takes their envelopes)."""
    opted = list(Delivery.objects.filter(
        release=release, version=version, channel="sftp", action=Action.PUBLISH, sftp_endpoint__prepositioned=True,
    ).values_list("recipient_key", "sftp_endpoint_id", "sftp_endpoint__format", "language"))
    if not opted:
        return [], []
    envelopes = []
    for format_name in sorted({format_name for _key, _endpoint, format_name, _language in opted}):
        try:
            stored, extension = stored_format(format_name), get_format(format_name).extension
        except UnknownFormat:
            continue  # the plain row fails, saying so
        texts = dict(RenderedItem.objects.filter(release=release, version=version, format=stored).exclude(
            language=LANGUAGE).values_list("language", "payload"))
        if not texts:
            continue
        files = {file_name(release_id=release.pk, language=language, version=version, action=Action.PUBLISH,
                           extension=extension): str(payload["value"]) for language, payload in sorted(texts.items())}
        plaintext = json.dumps({"files": files}, ensure_ascii=False, separators=(",", ":")).encode()
        envelope = contentkeys.seal(key=key, release=release.pk, version=version, embargo=embargo,
                                    plaintext=plaintext)
        envelopes.append(RenderedItem(release=release, version=version, format=sealed_key(format_name),
                                      language=LANGUAGE, payload={"type": PREPOSITIONED_EVENT, "timestamp": iso(now),
                                                                  "data": envelope}))
    return envelopes, [(recipient_key, endpoint_id, language) for recipient_key, endpoint_id, _format, language
                       in opted]
