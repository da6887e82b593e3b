from django.urls import path

from wireroom.workspace import images, organization, signing, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("reach/", views.reach, name="reach"),
    path("organization/", organization.settings_page, name="organization"),
    path("organization/invite/", organization.invite, name="organization-invite"),
    path("organization/members/<int:membership_id>/role/", organization.member_role, name="organization-role"),
    path("organization/keys/", organization.key_create, name="organization-key-create"),
    path("organization/keys/<int:key_id>/revoke/", organization.key_revoke, name="organization-key-revoke"),
    path("organization/signing-keys/", signing.signing_key_create, name="organization-signing-key-create"),
    path("organization/signing-keys/<int:key_id>/revoke/", signing.signing_key_revoke,
         name="organization-signing-key-revoke"),
    path("organization/signing-policy/", signing.signing_policy, name="organization-signing-policy"),
    path("organization/logo/", images.logo_set, name="organization-logo"),
    path("organization/logo/remove/", images.logo_remove, name="organization-logo-remove"),
    path("releases/new/", views.release_new, name="release-new"),
    path("releases/<uuid:release_id>/", views.release_edit, name="release"),
    path("releases/<uuid:release_id>/submit/", views.release_submit, name="release-submit"),
    path("releases/<uuid:release_id>/publish/", views.release_publish, name="release-publish"),
    path("releases/<uuid:release_id>/unschedule/", views.release_unschedule, name="release-unschedule"),
    path("releases/<uuid:release_id>/images/", images.image_add, name="release-image-add"),
    path("releases/<uuid:release_id>/images/<int:image_id>/remove/", images.image_remove,
         name="release-image-remove"),
    path("releases/<uuid:release_id>/translations/", views.translations_request, name="translations"),
    path("releases/<uuid:release_id>/localizations/<str:language>/", views.localization_edit,
         name="localization"),
    path("releases/<uuid:release_id>/localizations/<str:language>/accept/", views.localization_accept_view,
         name="localization-accept"),
    path("releases/<uuid:release_id>/preview/<str:language>/", views.preview, name="preview"),
    path("releases/<uuid:release_id>/preview/<str:language>/email.html", views.preview_email_html,
         name="preview-email"),
]
