"""Admin for the A4P reference frame, POC tiers and phases, and each mission's implementation."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from indicators.admin_refresh import RefreshRollupsAdminMixin
from missions.admin import RECORD_FIELDSET, TIMESTAMPS, MissionScopedAdminMixin

from . import services
from .models import (
    CommitmentAction,
    CommitmentImplementation,
    KeyElement,
    Paragraph,
    Phase,
    PriorityArea,
    Tier,
)

COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


class KeyElementListFilter(admin.RelatedFieldListFilter):
    """Key elements named with their paragraph number, read in one query."""

    def field_choices(
        self, field: models.Field, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[int, str]]:
        return [
            (element.pk, str(element)) for element in KeyElement.objects.select_related("paragraph")
        ]


@admin.register(PriorityArea)
class PriorityAreaAdmin(admin.ModelAdmin):
    list_display = ("number", "label", "code")
    list_display_links = ("number", "label")
    search_fields = ("label", "code")
    readonly_fields = TIMESTAMPS


class KeyElementInline(admin.TabularInline):
    model = KeyElement
    fields = ("number", "code", "label", "description")
    formfield_overrides = COMPACT_TEXT
    extra = 0


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ("number", "label", "priority_area")
    list_display_links = ("number", "label")
    list_filter = ("priority_area",)
    list_select_related = ("priority_area",)
    search_fields = ("label", "summary")
    readonly_fields = TIMESTAMPS
    inlines = (KeyElementInline,)


@admin.register(KeyElement)
class KeyElementAdmin(admin.ModelAdmin):
    list_display = ("paragraph", "number", "label", "code")
    list_display_links = ("label",)
    list_filter = ("paragraph__priority_area", "paragraph")
    list_select_related = ("paragraph",)
    search_fields = ("label", "code", "paragraph__label")
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # the paragraph is part of every element's name, in lists and in autocomplete results
        return super().get_queryset(request).select_related("paragraph")


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ("number", "label")
    list_display_links = ("number", "label")
    search_fields = ("label", "description")
    readonly_fields = TIMESTAMPS


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("number", "label")
    list_display_links = ("number", "label")
    search_fields = ("label", "description")
    readonly_fields = TIMESTAMPS


class CommitmentActionInline(MissionScopedAdminMixin, admin.TabularInline):
    model = CommitmentAction
    fields = ("description", "component", "status", "due_on", "done_on")
    formfield_overrides = COMPACT_TEXT
    extra = 0


@admin.register(CommitmentImplementation)
class CommitmentImplementationAdmin(
    RefreshRollupsAdminMixin, MissionScopedAdminMixin, admin.ModelAdmin
):
    rollup_ranges = staticmethod(services.rollup_ranges)

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
    autocomplete_fields = ("mission", "key_element", "reviewed_by")
    date_hierarchy = "due_on"
    readonly_fields = TIMESTAMPS
    inlines = (CommitmentActionInline,)
    fieldsets = (
        (None, {"fields": ("mission", "key_element", "status", "summary")}),
        (_("Responsibility"), {"fields": ("responsible_component", "due_on")}),
        (_("Evidence and review"), {"fields": ("evidence", ("last_reviewed_on", "reviewed_by"))}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # mission and element make up each implementation's name in autocomplete results
        return super().get_queryset(request).select_related("mission", "key_element__paragraph")


@admin.register(CommitmentAction)
class CommitmentActionAdmin(MissionScopedAdminMixin, admin.ModelAdmin):
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
