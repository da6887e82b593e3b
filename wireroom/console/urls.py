from django.urls import path

from wireroom.console import brand, endpoints, members, suppression, transfer, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<int:contact_id>/", views.contact, name="contact"),
    path("outlets/", views.outlets, name="outlets"),
    path("outlets/<int:outlet_id>/", views.outlet, name="outlet"),
    path("outlets/<int:outlet_id>/active/", views.outlet_active, name="outlet-active"),
    path("outlets/<int:outlet_id>/invite/", members.outlet_invite, name="outlet-invite"),
    path("endpoints/<str:kind>/<int:endpoint_id>/active/", endpoints.endpoint_active, name="endpoint-active"),
    path("endpoints/<str:kind>/<int:endpoint_id>/prepositioned/", endpoints.endpoint_prepositioned,
         name="endpoint-prepositioned"),
    path("endpoints/<str:kind>/<int:endpoint_id>/replay/", endpoints.endpoint_replay, name="endpoint-replay"),
    path("partners/", views.partners, name="partners"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("import/", transfer.import_start, name="import"),
    path("import/<str:token>/problems.csv", transfer.import_problems, name="import-problems"),
    path("import/<str:token>/confirm/", transfer.import_confirm, name="import-confirm"),
    path("export/<str:kind>.<str:format>", transfer.export, name="export"),
    path("suppression/", suppression.suppression, name="suppression"),
    path("suppression/add/", suppression.suppression_added, name="suppression-add"),
    path("suppression/remove/", suppression.suppression_removed, name="suppression-remove"),
    path("brand/", brand.wording_list, name="brand"),
    path("brand/<str:tag>/", brand.wording_edit, name="brand-edit"),
]
