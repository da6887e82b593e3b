from django.urls import path

from wireroom.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("releases/<uuid:release_id>/", views.review, name="review"),
    path("releases/<uuid:release_id>/claim/", views.claim, name="claim"),
    path("releases/<uuid:release_id>/unclaim/", views.unclaim, name="unclaim"),
    path("releases/<uuid:release_id>/approve/", views.approve, name="approve"),
    path("releases/<uuid:release_id>/request-changes/", views.request_changes, name="request-changes"),
    path("releases/<uuid:release_id>/edit/", views.edit, name="edit"),
    path("releases/<uuid:release_id>/correct/", views.correct, name="correct"),
    path("releases/<uuid:release_id>/withdraw/", views.withdraw, name="withdraw"),
]
