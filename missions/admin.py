"""Admin for missions, their areas and memberships, and the mission scoping every admin shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.querysets import UserQuerySet
from core.admin import AdminMixinBase, AdminRequest, ServiceAdmin, ServiceInline

from . import services
from .models import Area, Membership, Mission
from .querysets import MissionScopedQuerySet

if TYPE_CHECKING:
    # the stubs' name for a fieldset's options, declared there only
    from django.contrib.admin.options import _FieldOpts
    from django_stubs_ext import StrOrPromise

RECORD_FIELDSET: tuple[StrOrPromise, _FieldOpts] = (
    _("Record"),
    {"classes": ("collapse",), "fields": (("created_at", "updated_at"),)},
)
TIMESTAMPS = ("created_at", "updated_at")


def _scope_choices(
    db_field: models.Field[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
) -> None:
    """Offer only rows the user may see as choices: their missions' rows, their missions' staff."""
    related = db_field.related_model
    if "queryset" in kwargs or related is None:
        return
    queryset = related._default_manager.all()
    if isinstance(queryset, MissionScopedQuerySet):
        kwargs["queryset"] = queryset.for_user(request.user)
    elif isinstance(queryset, UserQuerySet):
        kwargs["queryset"] = queryset.visible_to(request.user)


class MissionScopedAdminMixin(AdminMixinBase):
    """Scope an admin (or inline) of a mission-bound model to the user's missions.

    Superusers and administrators see every mission (missions/permissions.py); anyone else with
    staff access sees only the missions they belong to, in the lists and in the choices.
    """

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        assert isinstance(queryset, MissionScopedQuerySet), "a mission-bound model"
        return queryset.for_user(request.user)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MembershipInline(MissionScopedAdminMixin, ServiceInline):
    model = Membership

    def create(self, request: AdminRequest, parent: Any, data: dict[str, Any]) -> Membership:
        links = {"mission": parent} if isinstance(parent, Mission) else {"user": parent}
        return services.membership_create(by=request.user, **{**data, **links})

    def update(self, request: AdminRequest, obj: Membership, data: dict[str, Any]) -> Membership:
        return services.membership_update(
            membership=obj, by=request.user, role=data.get("role", obj.role)
        )

    def delete(self, request: AdminRequest, obj: Membership) -> None:
        services.membership_delete(membership=obj, by=request.user)


class MissionMembershipInline(MembershipInline):
    fk_name = "mission"
    fields = ("user", "role")
    autocomplete_fields = ("user",)


@admin.register(Mission)
class MissionAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "acronym",
        "name",
        "host_country",
        "mandate_resolution",
        "mandate_expires_on",
        "alert_response_standard_hours",
        "time_zone",
        "is_active",
    )
    list_filter = ("is_active", "host_country")
    search_fields = ("acronym", "name", "host_country", "host_country_iso3")
    readonly_fields = TIMESTAMPS
    inlines = (MissionMembershipInline,)
    fieldsets = (
        (
            None,
            {"fields": (("acronym", "is_active"), "name", ("host_country", "host_country_iso3"))},
        ),
        (
            _("Security Council mandate"),
            {
                "fields": (
                    "mandate_resolution",
                    ("mandate_adopted_on", "mandate_expires_on"),
                    "reporting_from",
                    "poc_priority_tasks",
                )
            },
        ),
        (
            _("Working settings"),
            {
                "fields": (
                    ("working_languages", "time_zone"),
                    "alert_response_standard_hours",
                    ("report_grace_days", "completeness_threshold"),
                    "two_factor_required",
                )
            },
        ),
        (
            _("Risk bands"),
            {
                "description": _(
                    "Risk scores (likelihood × impact, 1–25) from which a threat is medium, "
                    "high and very high risk in this mission."
                ),
                "fields": (("risk_medium_from", "risk_high_from", "risk_very_high_from"),),
            },
        ),
        RECORD_FIELDSET,
    )

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Mission:
        return services.mission_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Mission, data: dict[str, Any]) -> Mission:
        return services.mission_update(mission=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Mission) -> None:
        services.mission_delete(mission=obj, by=request.user)


@admin.register(Area)
class AreaAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "name",
        "kind",
        "locality_type",
        "mission",
        "parent",
        "sector",
        "pcode",
        "phase",
    )
    list_filter = (("mission", admin.RelatedOnlyFieldListFilter), "kind", "locality_type", "phase")
    list_select_related = ("mission", "parent", "sector", "phase")
    search_fields = ("name", "pcode")
    autocomplete_fields = ("mission", "parent")
    readonly_fields = ("sector", "aor", *TIMESTAMPS)
    fieldsets = (
        (None, {"fields": ("mission", ("kind", "locality_type"), "name", "parent")}),
        (_("Place in the hierarchy"), {"fields": (("sector", "aor"),)}),
        (_("Location"), {"fields": ("pcode", ("latitude", "longitude"))}),
        (_("Response"), {"fields": ("phase",)}),
        RECORD_FIELDSET,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # an area stays in its mission and at its level; it can move under another parent
        return (*self.readonly_fields, "mission", "kind") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Area:
        return services.area_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Area, data: dict[str, Any]) -> Area:
        if "parent" in data:
            obj = services.area_move(area=obj, parent=data.pop("parent"), by=request.user)
        return services.area_update(area=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: Area) -> None:
        services.area_delete(area=obj, by=request.user)


@admin.register(Membership)
class MembershipAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = ("user", "mission", "role")
    list_filter = (("mission", admin.RelatedOnlyFieldListFilter), "role")
    list_select_related = ("user", "mission")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("user", "mission")
    readonly_fields = TIMESTAMPS
    fields = ("user", "mission", "role", *TIMESTAMPS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # a membership is one user in one mission: only the role changes
        return (*self.readonly_fields, "user", "mission") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> Membership:
        return services.membership_create(by=request.user, **data)

    def update(self, request: AdminRequest, obj: Membership, data: dict[str, Any]) -> Membership:
        return services.membership_update(
            membership=obj, by=request.user, role=data.get("role", obj.role)
        )

    def delete(self, request: AdminRequest, obj: Membership) -> None:
        services.membership_delete(membership=obj, by=request.user)
