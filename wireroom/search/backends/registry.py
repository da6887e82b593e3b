"""The one registry of search backends. Each backend package registers itself on import.

`WIREROOM_SEARCH_BACKEND` names the backend (`fts5` for SQLite, `postgres` for PostgreSQL); `auto`, the
default, takes the one made for the database in use. A backend stores its terms in its database's own full-text
index, so it must match the database: a mismatch is refused when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from wireroom.lib.registry import Registry
from wireroom.search.backends.base import Backend


@dataclass(frozen=True)
class BackendSpec:
    name: str
    vendor: str
    factory: Callable[[], Backend]


_BACKENDS: Registry[BackendSpec] = Registry("search backend")
register = _BACKENDS.register
backend_names = _BACKENDS.names


def spec_for(name: str, vendor: str) -> BackendSpec:
    """The backend `name` names (`auto`: the database's own), checked against the database's vendor."""
    if name == "auto":
        for spec in _BACKENDS:
            if spec.vendor == vendor:
                return spec
        raise ImproperlyConfigured(f"No search backend works on {vendor}; known: {', '.join(backend_names())}.")
    if name not in _BACKENDS:
        raise ImproperlyConfigured(f"WIREROOM_SEARCH_BACKEND names no backend {name!r}; known: auto, "
                                   f"{', '.join(backend_names())}.")
    named = _BACKENDS.get(name)
    if named.vendor != vendor:
        raise ImproperlyConfigured(f"The search backend {name!r} needs {named.vendor}, and the database is {vendor}.")
    return named


def configured_backend() -> Backend:
    """The backend in use, for the default database."""
    return spec_for(settings.ENV["WIREROOM_SEARCH_BACKEND"], connection.vendor).factory()
