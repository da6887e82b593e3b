from django.contrib import admin
from django.urls import include, path, re_path

from wireroom.api import urls as api_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api_urls.urls()),
    re_path(r"^api/", api_urls.not_found),
    path("", include("wireroom.distribution.channels.email.urls")),
    path("", include("wireroom.distribution.urls")),
    path("", include("wireroom.feeds.urls")),
    path("", include("wireroom.newsroom.urls")),
]
