"""Admin for the A4P reference frame, POC tiers and phases, and each mission's implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models.fields.related import RelatedField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import (
    AdminRequest,
    ReferenceDataAdmin,
    ReferenceDataInline,
    ServiceAdmin,
    ServiceInline,
)
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)

COMPACT_TEXT: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
}


class KeyElementListFilter(admin.RelatedFieldListFilter):
    """Key elements named with their paragraph number, read in one query."""

    def field_choices(
        self,
        field: RelatedField[Any, Any],
        request: HttpRequest,
        model_admin: admin.ModelAdmin[Any],
    ) -> list[tuple[str, StrOrPromise]]:
        # the pk as text, as the filter compares it with the query string's
        return [
            (str(element.pk), str(element))
            for element in KeyElement.objects.select_related("paragraph")
        ]


@admin.register(PriorityArea)
class PriorityAreaAdmin(ReferenceDataAdmin):
    list_display = ("number", "label", "code")
    list_display_links = ("number", "label")
    search_fields = ("label", "code")
    readonly_fields = TIMESTAMPS


class KeyElementInline(ReferenceDataInline):
    model = KeyElement
    fields = ("number", "code", "label", "description")
    formfield_overrides = COMPACT_TEXT
    extra = 0


@admin.register(Paragraph)
class ParagraphAdmin(ReferenceDataAdmin):
    list_display = ("number", "label", "priority_area")
    list_display_links = ("number", "label")
    list_filter = ("priority_area",)
    list_select_related = ("priority_area",)
    search_fields = ("label", "summary")
    readonly_fields = TIMESTAMPS
    inlines = (KeyElementInline,)


@admin.register(KeyElement)
class KeyElementAdmin(ReferenceDataAdmin):
    list_display = ("paragraph", "number", "label", "code")
    list_display_links = ("label",)
    list_filter = ("paragraph__priority_area", "paragraph")
    list_select_related = ("paragraph",)
    search_fields = ("label", "code", "paragraph__label")
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[KeyElement]:
        # the paragraph is part of every element's name, in lists and in autocomplete results
        return super().get_queryset(request).select_related("paragraph")


@admin.register(Tier)
class TierAdmin(ReferenceDataAdmin):
    list_display = ("number", "label")
    list_display_links = ("number", "label")
    search_fields = ("label", "description")
    readonly_fields = TIMESTAMPS


@admin.register(Phase)
class PhaseAdmin(ReferenceDataAdmin):
    list_display = ("number", "label")
    list_display_links = ("number", "label")
    search_fields = ("label", "description")
    readonly_fields = TIMESTAMPS


class CommitmentActionWrites:
    """Commitment actions are written through the commitment services, inline or alone."""

    def update(self, request: AdminRequest, obj: CommitmentAction, data: dict[str, Any]) -> Any:
        return services.commitment_action_update(action=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: CommitmentAction) -> None:
        services.commitment_action_delete(action=obj, by=request.user)


class CommitmentActionInline(CommitmentActionWrites, MissionScopedAdminMixin, ServiceInline):
    model = CommitmentAction
    fields = ("description", "component", "status", "due_on", "done_on")
    formfield_overrides = COMPACT_TEXT

    def create(
        self, request: AdminRequest, parent: CommitmentImplementation, data: dict[str, Any]
    ) -> Any:
        return services.commitment_action_create(by=request.user, implementation=parent, **data)


@admin.register(CommitmentImplementation)
class CommitmentImplementationAdmin(MissionScopedAdminMixin, ServiceAdmin):
    list_display = (
        "key_element",
        "mission",
        "status",
        "responsible_component",
        "due_on",
        "last_reviewed_on",
        "reviewed_by",
    )
    list_filter = (
        ("mission", admin.RelatedOnlyFieldListFilter),
        "status",
        "key_element__paragraph",
        ("key_element", KeyElementListFilter),
        "responsible_component",
    )
    list_select_related = ("mission", "key_element__paragraph", "reviewed_by")
    search_fields = ("key_element__label", "summary", "evidence")
    autocomplete_fields = ("mission", "key_element")
    date_hierarchy = "due_on"
    readonly_fields = ("reviewed_by", *TIMESTAMPS)
    inlines = (CommitmentActionInline,)
    fieldsets = (
        (None, {"fields": ("mission", "key_element", "status", "summary")}),
        (_("Responsibility"), {"fields": ("responsible_component", "due_on")}),
        (_("Evidence and review"), {"fields": ("evidence", ("last_reviewed_on", "reviewed_by"))}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[CommitmentImplementation]:
        # mission and element make up each implementation's name in autocomplete results
        return super().get_queryset(request).select_related("mission", "key_element__paragraph")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # one row per mission and element: neither changes once it exists
        return (*self.readonly_fields, "mission", "key_element") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> CommitmentImplementation:
        return services.implementation_create(by=request.user, **data)

    def update(
        self, request: AdminRequest, obj: CommitmentImplementation, data: dict[str, Any]
    ) -> CommitmentImplementation:
        return services.implementation_update(implementation=obj, by=request.user, data=data)

    def delete(self, request: AdminRequest, obj: CommitmentImplementation) -> None:
        services.implementation_delete(implementation=obj, by=request.user)


@admin.register(CommitmentAction)
class CommitmentActionAdmin(CommitmentActionWrites, MissionScopedAdminMixin, ServiceAdmin):
    list_display = ("__str__", "implementation", "component", "status", "due_on", "done_on")
    list_filter = (
        ("implementation__mission", admin.RelatedOnlyFieldListFilter),
        "status",
        "component",
    )
    list_select_related = ("implementation__mission", "implementation__key_element__paragraph")
    search_fields = ("description", "implementation__key_element__label")
    autocomplete_fields = ("implementation",)
    date_hierarchy = "due_on"
    readonly_fields = TIMESTAMPS
    fields = (
        "implementation",
        "description",
        "component",
        "status",
        ("due_on", "done_on"),
        TIMESTAMPS,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "implementation") if obj else self.readonly_fields

    def create(self, request: AdminRequest, data: dict[str, Any]) -> CommitmentAction:
        return services.commitment_action_create(by=request.user, **data)
