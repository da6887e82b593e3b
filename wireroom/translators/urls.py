from django.urls import path

from wireroom.translators import views

app_name = "translators"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:release_id>/<str:language>/", views.editor, name="editor"),
    path("<uuid:release_id>/<str:language>/claim/", views.claim, name="claim"),
]
