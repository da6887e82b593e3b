from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from wireroom.newsroom import views
from wireroom.taxonomy.loader import FIRST_CLASS

app_name = "newsroom"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^(?P<language>{'|'.join(FIRST_CLASS)})/$", views.home, name="home-in"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="newsroom/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("releases/<uuid:release_id>/", views.release_original, name="release-original"),
    path("releases/<uuid:release_id>/<str:language>/", views.release_page, name="release"),
]
