from django.contrib import admin
from django.urls import include, path, re_path

from wireroom.api import stream
from wireroom.api import urls as api_urls
from wireroom.trust import views as trust_views
from wireroom.web import health, metrics

urlpatterns = [
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("admin/", admin.site.urls),
    path(".well-known/jwks.json", trust_views.jwks, name="jwks"),
    path("metrics", metrics.metrics, name="metrics"),
    # Before the API: django-ninja cannot stream, so the stream is a plain async view (docs/api.md).
    path("api/v1/stream", stream.stream),
    path("api/v1/", api_urls.urls()),
    re_path(r"^api/", api_urls.not_found),
    path("accounts/", include("wireroom.accounts.urls")),
    path("workspace/", include("wireroom.workspace.urls")),
    path("desk/", include("wireroom.desk.urls")),
    path("translate/", include("wireroom.translators.urls")),
    path("media/", include("wireroom.media.urls")),
    path("console/", include("wireroom.console.urls")),
    path("connect/", include("wireroom.connect.urls")),
    path("", include("wireroom.distribution.channels.email.urls")),
    path("", include("wireroom.distribution.urls")),
    path("", include("wireroom.feeds.urls")),
    path("", include("wireroom.newsroom.urls")),
]
