from __future__ import annotations

from ninja import NinjaAPI

from wireroom.api import errors
from wireroom.api.auth import ApiKeyAuth
from wireroom.api.endpoints import router as endpoints_router
from wireroom.api.releases import router as releases_router
from wireroom.api.taxonomy import router as taxonomy_router
from wireroom.api.translations import router as translations_router

api = NinjaAPI(
    title="Wireroom API",
    version="1",
    description="Submit, review and distribute press releases. Items are ninjs 3.1.",
    auth=ApiKeyAuth(),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/releases", releases_router)
api.add_router("/outlets", endpoints_router)
api.add_router("", translations_router)
api.add_router("", taxonomy_router)
