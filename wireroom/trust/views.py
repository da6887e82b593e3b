from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from wireroom.trust import wirekeys


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The wire's public keys, current and retired (RFC 7517), to check its `Wire-Signature`s."""
    response = JsonResponse(wirekeys.jwks(), content_type="application/jwk-set+json")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
