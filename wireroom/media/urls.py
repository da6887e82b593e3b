from django.urls import path

from wireroom.media import views

app_name = "media"
urlpatterns = [
    path("images/<uuid:key>/<str:name>", views.image_file, name="image"),
]
