from __future__ import annotations

import logging

from django.conf import settings
from django.utils.functional import empty


class SignedInOnly404(logging.Filter):
    """Drops the "Not Found" warning of a request that nobody was signed in for.

    The user is read only if the view read it already (the log is written from another thread, where loading
    it would open a database connection of its own); otherwise a session cookie counts as signed in.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 404:
            return True
        request = getattr(record, "request", None)
        if request is None:
            return True
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "_wrapped", None) is not empty:
            return bool(user.is_authenticated)
        return settings.SESSION_COOKIE_NAME in request.COOKIES


class NotHealthProbes(logging.Filter):
    """Drops the request log of /healthz and /readyz: a probe every few seconds would log each 503 while the wire
    is unready, and the answer's JSON (which the prober keeps) already says what is wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return getattr(request, "path", None) not in {"/healthz", "/readyz"}
