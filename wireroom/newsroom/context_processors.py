from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def wire(request: HttpRequest) -> dict[str, Any]:
    return {"wire_name": settings.WIRE_NAME}
