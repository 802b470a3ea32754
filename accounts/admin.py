"""Admin for users: their global role and their memberships of missions."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import AdminRequest, ServiceAdmin, admin_request, cleaned_values
from missions.admin import MembershipInline

from . import services
from .models import User
from .querysets import UserQuerySet

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts
    from django_stubs_ext import StrOrPromise

ACCESS_FIELDSET: tuple[StrOrPromise, _FieldOpts] = (
    _("Access across missions"),
    {
        "description": _(
            "Secretariat and administrators reach every mission; everyone else reaches the "
            "missions of their memberships, with the role held in each."
        ),
        "fields": ("global_role",),
    },
)
# Django's password fields of the add form, handed to the service as one password.
PASSWORD_FIELDS = ("password1", "password2", "usable_password")


# Access comes from the policy (missions/permissions.py), never from Django's groups.
admin.site.unregister(Group)
# Authenticators are set up by their owner and reset by the action below, through the
# services: their secret keys are never shown or edited here.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


class UserMembershipInline(MembershipInline):
    fk_name = "user"
    fields = ("mission", "role")
    autocomplete_fields = ("mission",)


class ServicePasswordForm(AdminPasswordChangeForm):  # type: ignore[type-arg]  # generic in the stubs only, and django-stubs-ext does not patch it
    """Django's password form, saved through the accounts service as the signed-in user."""

    by: User

    def save(self, commit: bool = True) -> User:
        wanted = (
            self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        )
        saved = services.user_set_password(user=self.user, by=self.by, password=wanted)
        # the view keeps the session of whoever changed their own password
        self.user.password = saved.password
        return saved


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin[User]):
    # Django's groups and model permissions are left out: the policy decides, not them
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Sign-in"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        ACCESS_FIELDSET,
    )
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ACCESS_FIELDSET)
    readonly_fields = ("last_login", "date_joined")
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
    filter_horizontal = ()
    inlines = (UserMembershipInline,)
    actions = ("reset_two_factor",)

    @admin.action(description=_("Reset two-factor sign-in (a lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: models.QuerySet[User]) -> None:
        by = admin_request(request).user
        removed = sum(services.two_factor_reset(user=user, by=by) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d authenticator removed: its owner sets up a new one at their next "
                "sign-in.",
                "%(count)d authenticators removed: their owners set up new ones at their next "
                "sign-in.",
                removed,
            )
            % {"count": removed},
        )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[User]:
        queryset = super().get_queryset(request)
        assert isinstance(queryset, UserQuerySet)
        return queryset.visible_to(request.user)

    def get_inlines(
        self, request: HttpRequest, obj: Any = None
    ) -> tuple[type[InlineModelAdmin[Any, Any]], ...]:
        # Memberships come once the user exists, on the page the add form leads to.
        return self.inlines if obj else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        # Django's own user forms validate passwords; the services write
        return DjangoUserAdmin.get_form(self, request, obj, change=change, **kwargs)

    def create(self, request: AdminRequest, data: dict[str, Any]) -> User:
        fields = {name: value for name, value in data.items() if name not in PASSWORD_FIELDS}
        password = data.get("password1") if data.get("usable_password", True) else None
        return services.user_create(by=request.user, password=password, **fields)

    def update(self, request: AdminRequest, obj: User, data: dict[str, Any]) -> User:
        return services.user_update(user=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: User) -> None:
        services.user_delete(user=obj, by=request.user)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's view, with a form bound to the acting user, on a copy of this admin: the
        # one instance serves every request
        form = type("PasswordForm", (ServicePasswordForm,), {"by": admin_request(request).user})
        view = copy.copy(self)
        view.change_password_form = form
        return DjangoUserAdmin.user_change_password(view, request, id, form_url)

    def write(self, request: HttpRequest, form: Any) -> models.Model:
        if form.instance.pk is None:
            return self.create(admin_request(request), cleaned_values(form))
        return super().write(request, form)
