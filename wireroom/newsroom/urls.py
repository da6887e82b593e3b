from django.urls import path, re_path

from wireroom.newsroom import views
from wireroom.taxonomy.loader import FIRST_CLASS

app_name = "newsroom"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^(?P<language>{'|'.join(FIRST_CLASS)})/$", views.home, name="home-in"),
    path("releases/<uuid:release_id>/", views.release_original, name="release-original"),
    path("releases/<uuid:release_id>/<str:language>/", views.release_page, name="release"),
]
