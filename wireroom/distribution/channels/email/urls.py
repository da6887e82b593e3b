from django.urls import path, re_path

from wireroom.distribution.channels.email import bounces, console, signup, unsubscribe
from wireroom.taxonomy.loader import FIRST_CLASS

app_name = "email"
urlpatterns = [
    path("u/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", unsubscribe.preferences, name="preferences"),
    path("subscribe/", signup.subscribe, name="subscribe"),
    re_path(rf"^(?P<language>{'|'.join(FIRST_CLASS)})/subscribe/$", signup.subscribe, name="subscribe-in"),
    path("subscribe/confirm/<str:token>/", signup.confirm, name="subscribe-confirm"),
    path("hooks/email-events", bounces.email_events, name="events"),
    path("console/outbox/", console.outbox_list, name="outbox"),
    path("console/outbox/<str:name>/", console.outbox_message, name="outbox-message"),
    path("console/outbox/<str:name>/raw", console.outbox_raw, name="outbox-raw"),
    path("console/outbox/<str:name>/html", console.outbox_html, name="outbox-html"),
]
