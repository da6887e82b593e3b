from django.urls import path, re_path

from wireroom.newsroom import pages, search_page, views
from wireroom.taxonomy.loader import FIRST_CLASS

LANGUAGE = rf"(?P<language>{'|'.join(FIRST_CLASS)})"
SLUG = r"(?P<value>[-\w]+)"

app_name = "newsroom"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^{LANGUAGE}/$", views.home, name="home-in"),
    path("search/", search_page.search, name="search"),
    re_path(rf"^{LANGUAGE}/search/$", search_page.search, name="search-in"),
    re_path(rf"^{LANGUAGE}/browse/$", pages.directory, name="directory"),
    re_path(rf"^{LANGUAGE}/sectors/{SLUG}/$", pages.sector, name="sector"),
    re_path(rf"^{LANGUAGE}/countries/(?P<value>[A-Z]{{2}})/$", pages.country, name="country"),
    re_path(rf"^{LANGUAGE}/regions/{SLUG}/$", pages.region, name="region"),
    re_path(rf"^{LANGUAGE}/issuers/{SLUG}/$", pages.issuer, name="issuer"),
    re_path(rf"^{LANGUAGE}/archive/$", pages.archive, name="archive"),
    re_path(rf"^{LANGUAGE}/archive/(?P<year>\d{{4}})/$", pages.archive, name="archive-year"),
    re_path(rf"^{LANGUAGE}/archive/(?P<year>\d{{4}})/(?P<month>\d\d)/$", pages.archive, name="archive-month"),
    re_path(rf"^{LANGUAGE}/archive/(?P<year>\d{{4}})/(?P<month>\d\d)/(?P<day>\d\d)/$", pages.archive,
            name="archive-day"),
    # A listing's address without a language sends the visitor to theirs.
    re_path(r"^(?P<rest>(?:browse|sectors|countries|regions|issuers|archive)/.*)$", pages.negotiate,
            name="negotiate"),
    path("releases/<uuid:release_id>/", views.release_original, name="release-original"),
    path("releases/<uuid:release_id>/<str:language>/", views.release_page, name="release"),
]
