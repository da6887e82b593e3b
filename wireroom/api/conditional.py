"""Conditional GET for the API's reads: a strong `ETag` from the answer's bytes (so it differs per format and
language) and a `Last-Modified`; Django's `get_conditional_response` answers `If-None-Match` (which wins) and
`If-Modified-Since` with 304."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag


def conditional(request: HttpRequest, response: HttpResponse, *,
                last_modified: dt.datetime | None) -> HttpResponse:
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
    response["ETag"] = etag
    stamp = None
    if last_modified is not None:
        stamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(stamp)
    answer = get_conditional_response(request, etag=etag, last_modified=stamp, response=response)
    assert isinstance(answer, HttpResponse)
    return answer
