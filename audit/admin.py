"""The audit trail in the admin: read-only for everyone, and each record's "History" page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from missions.permissions import can_view_somewhere

from .choices import AuditAction
from .models import AuditEntry
from .selectors import audit_entries_visible_to

if TYPE_CHECKING:
    # AuditHistoryAdminMixin runs inside a ModelAdmin: typed as one, its calls are checked
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


def _label(model: type[models.Model] | None, name: str) -> str:
    """The field's verbose name where its model still has it, else its name."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # entries record concrete fields; a reverse relation has no verbose name of its own
    return str(capfirst(field.verbose_name)) if isinstance(field, models.Field) else name


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return json.dumps(value, ensure_ascii=False)


def changes_table(entry: AuditEntry) -> SafeString:
    """Render an entry's changes as a table of field, before and after."""
    if not entry.changes:
        return format_html("<p>{}</p>", _("No field changed."))
    model = entry.content_type.model_class()
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
        (
            (_label(model, name), _shown(before), _shown(after))
            for name, (before, after) in entry.changes.items()
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("Field"),
        _("Before"),
        _("After"),
        rows,
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """The audit trail, for reading only: nobody adds, changes or deletes an entry here."""

    list_display = (
        "at",
        "actor_name",
        "action",
        "content_type",
        "object_repr",
        "mission",
        "reason",
        "request_id",
    )
    list_filter = (
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("mission", admin.RelatedOnlyFieldListFilter),
        "is_restricted",
    )
    list_select_related = ("mission",)
    search_fields = ("object_repr", "actor_name", "request_id")
    date_hierarchy = "at"
    fields = (
        ("at", "request_id"),
        ("actor_name", "action"),
        ("content_type", "object_id", "object_repr"),
        ("mission", "is_restricted"),
        "reason",
        "changes_table",
    )
    readonly_fields = ("changes_table",)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[AuditEntry]:
        # need-to-know applies here as everywhere the trail is read; a deleted mission's
        # entries join no row, which select_related turns into None rather than an error
        return audit_entries_visible_to(request.user).select_related("mission")

    def get_list_display(self, request: HttpRequest) -> tuple[str | Callable[..., Any], ...]:
        link = self._object_link(request)
        return tuple(link if name == "object_repr" else name for name in self.list_display)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_somewhere(request.user)

    def has_view_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        # which entries is the selector's business (get_queryset), as for every record
        return can_view_somewhere(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("changes"))
    def changes_table(self, obj: AuditEntry) -> SafeString:
        return changes_table(obj)

    def _object_link(self, request: HttpRequest) -> Callable[[AuditEntry], str]:
        """A list column linking each record to its admin page, where the user may view it."""
        viewable: dict[int, bool] = {}  # per record type, asked once per page

        def may_view(content_type: ContentType) -> bool:
            if content_type.pk not in viewable:
                model = content_type.model_class()
                model_admin = (
                    self.admin_site.get_model_admin(model)
                    if model is not None and self.admin_site.is_registered(model)
                    else None
                )
                viewable[content_type.pk] = bool(
                    model_admin and model_admin.has_view_or_change_permission(request)
                )
            return viewable[content_type.pk]

        @admin.display(description=gettext_lazy("record"), ordering="object_repr")
        def record(entry: AuditEntry) -> str:
            if entry.action == AuditAction.DELETE or not may_view(entry.content_type):
                return entry.object_repr
            opts = entry.content_type
            try:
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model}_change", args=[quote(entry.object_id)]
                )
            except NoReverseMatch:
                return entry.object_repr
            return format_html('<a href="{}">{}</a>', url, entry.object_repr)

        return record


class AuditHistoryAdminMixin(_ModelAdminBase):
    """Show a record's audit entries as its admin "History" page.

    Add it first among a ModelAdmin's bases. The entries come through the audit selector, so a
    restricted record's history shows only to those who may know it.
    """

    object_history_template = "admin/audit/object_history.html"

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # the redirect Django's own history view uses
            redirect: HttpResponse = self._get_obj_does_not_exist_redirect(  # type: ignore[attr-defined]  # private ModelAdmin API, not in the stubs
                request, self.opts, object_id
            )
            return redirect
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = audit_entries_visible_to(request.user).filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        paginator = self.get_paginator(request, entries, 100)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "action_list": page,
            "rows": [(entry, changes_table(entry)) for entry in page],
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.count > 100,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)
