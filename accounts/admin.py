"""Admin for users: their global role and their memberships of missions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from missions.admin import MissionScopedAdminMixin
from missions.models import Membership

from .models import User

ACCESS_FIELDSET = (
    _("Access across missions"),
    {
        "description": _(
            "Secretariat and administrators reach every mission; everyone else reaches the "
            "missions of their memberships, with the role held in each."
        ),
        "fields": ("global_role",),
    },
)


class UserMembershipInline(MissionScopedAdminMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("mission", "role")
    autocomplete_fields = ("mission",)
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ACCESS_FIELDSET)
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ACCESS_FIELDSET)
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "global_role",
        "is_staff",
        "is_active",
    )
    list_filter = (
        "global_role",
        "memberships__mission",
        "memberships__role",
        "is_staff",
        "is_superuser",
        "is_active",
    )
    inlines = (UserMembershipInline,)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> tuple:
        # Memberships come once the user exists, on the page the add form leads to.
        return self.inlines if obj else ()
