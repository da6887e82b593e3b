from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from wireroom.accounts.models import ApiKey, Membership, Organization, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0


@admin.register(User)
class WireUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = ["prefix", "name", "membership", "created_at", "last_used_at", "revoked_at"]
    # `prepositioned` through `wireroom apikey prepositioned`, which checks the organization and audits it.
    readonly_fields = ["membership", "name", "prefix", "digest", "created_at", "last_used_at", "prepositioned"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are issued by `wireroom apikey issue`, which shows the secret once; the admin cannot.
        return False
