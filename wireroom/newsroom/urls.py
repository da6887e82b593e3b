from django.urls import path

from wireroom.newsroom import views

app_name = "newsroom"
urlpatterns = [
    path("", views.home, name="home"),
    path("releases/<uuid:release_id>/", views.release_original, name="release-original"),
    path("releases/<uuid:release_id>/<str:language>/", views.release_page, name="release"),
]
