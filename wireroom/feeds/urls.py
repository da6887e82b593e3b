from django.urls import path, re_path

from wireroom.feeds import hub, views

app_name = "feeds"
KINDS = r"(?P<ext>rss|atom|json)"
urlpatterns = [
    re_path(rf"^feeds/all\.{KINDS}$", views.feed, name="all"),
    re_path(rf"^feeds/(?P<axis>language|sector|issuer|country|region)/(?P<value>[^/.]+)\.{KINDS}$", views.feed,
            name="facet"),
    path("websub/hub", hub.hub, name="hub"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", views.sitemap, name="sitemap"),
]
