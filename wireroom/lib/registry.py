"""The one shape every plug-in kind shares (channels, formats, translation engines, search backends).

A plug-in package registers a spec (a frozen dataclass with a `name`) when it is imported; the setting that
turns it on names it, the way Django's `EMAIL_BACKEND` names a mail backend. Each kind keeps its own spec type
and its own selection rules; only the bookkeeping lives here, so a duplicate name or an unknown one reads the
same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Named(Protocol):
    @property
    def name(self) -> str: ...


Spec = TypeVar("Spec", bound=Named)


class Registry(Generic[Spec]):
    """The registered specs of one plug-in kind, by name.

    `kind` names the kind in messages ("channel", "search backend"); `missing` is the exception an unknown
    name raises, so each kind keeps the error its callers already catch.
    """

    def __init__(self, kind: str, *, missing: type[LookupError] = LookupError) -> None:
        self.kind = kind
        self.missing = missing
        self._specs: dict[str, Spec] = {}

    def register(self, spec: Spec) -> Spec:
        if spec.name in self._specs:
            raise ValueError(f"{self.kind} {spec.name!r} is registered twice")
        self._specs[spec.name] = spec
        return spec

    def get(self, name: str) -> Spec:
        try:
            return self._specs[name]
        except KeyError:
            raise self.missing(f"No {self.kind} named {name!r}; known: {', '.join(self.names())}.") from None

    def names(self) -> list[str]:
        return sorted(self._specs)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[Spec]:
        """The specs in name order."""
        return (self._specs[name] for name in self.names())
