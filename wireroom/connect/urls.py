from django.urls import path

from wireroom.connect import views

app_name = "connect"
urlpatterns = [
    path("", views.home, name="home"),
    path("endpoints/", views.endpoint_add, name="endpoint-add"),
    path("endpoints/webhook/<int:endpoint_id>/test/", views.endpoint_test, name="endpoint-test"),
    path("endpoints/webhook/<int:endpoint_id>/rotate/", views.endpoint_rotate, name="endpoint-rotate"),
    path("endpoints/<str:kind>/<int:endpoint_id>/filters/", views.endpoint_filters, name="endpoint-filters"),
    path("keys/", views.key_create, name="key-create"),
    path("keys/<int:key_id>/revoke/", views.key_revoke, name="key-revoke"),
]
