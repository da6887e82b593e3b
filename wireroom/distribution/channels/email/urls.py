from django.urls import path

from wireroom.distribution.channels.email import bounces, console, unsubscribe

app_name = "email"
urlpatterns = [
    path("u/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", unsubscribe.preferences, name="preferences"),
    path("hooks/email-events", bounces.email_events, name="events"),
    path("console/outbox/", console.outbox_list, name="outbox"),
    path("console/outbox/<str:name>/", console.outbox_message, name="outbox-message"),
    path("console/outbox/<str:name>/raw", console.outbox_raw, name="outbox-raw"),
    path("console/outbox/<str:name>/html", console.outbox_html, name="outbox-html"),
]
