from django.contrib import admin
from django.urls import include, path

from wireroom.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("wireroom.distribution.channels.email.urls")),
    path("", include("wireroom.distribution.urls")),
    path("", include("wireroom.newsroom.urls")),
]
