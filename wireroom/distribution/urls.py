from django.urls import path

from wireroom.distribution import views

app_name = "distribution"
urlpatterns = [
    path("console/releases/<uuid:release_id>/deliveries/", views.release_deliveries, name="release-deliveries"),
]
