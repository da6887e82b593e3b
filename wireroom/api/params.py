"""Query parameters an operation does not declare are refused, so a client never believes a filter worked
when it was ignored."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from ninja.operation import Operation

from wireroom.lib.errors import InvalidInput

Run = Callable[..., HttpResponseBase]


def declared_query(operation: Operation) -> frozenset[str]:
    return frozenset(name for model in operation.models if model.__ninja_param_source__ == "query"
                     for name in getattr(model, "__ninja_flatten_map__", {}))


def refuse_unknown_query(run: Run) -> Run:
    """A view decorator for every operation (`api.add_decorator(..., mode="view")`): it wraps the bound
    `Operation.run`, so it knows the operation's declared query parameters and runs before they are read."""
    operation = getattr(run, "__self__", None)
    if not isinstance(operation, Operation):
        raise TypeError("refuse_unknown_query must be the first view decorator, around Operation.run")
    declared = declared_query(operation)

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        unknown = sorted(set(request.GET) - declared)
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            error = InvalidInput(f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {names}.",
                                 details={"unknown": unknown, "known": sorted(declared)})
            return operation.api.on_exception(request, error)
        return run(request, *args, **kwargs)

    return checked
