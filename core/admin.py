"""The admin as a client of the services and the policy, like every other layer.

The admin is for global administrators: they manage users, missions, reference data, and
correct records. Mission staff will use the browser app; should one of them be given staff
access, the admin still shows and allows only what the policy lets them do (its
`has_*_permission` ask `missions.permissions`, never Django's model permissions), and every
write goes through the app's services, which ask the same policy again and write the audit
trail. Form errors come from the services themselves: the form runs the write in a savepoint
that is always rolled back, so the page shows the errors the real write would raise, and no
rule is checked in a second place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeGuard

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import _get_foreign_key
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from audit.admin import AuditHistoryAdminMixin
from missions.permissions import Verb, can, can_somewhere, can_view_somewhere

from .services import create_record, delete_record, editable_fields, update_record
from .widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple

if TYPE_CHECKING:
    from django.forms.models import BaseInlineFormSet

    from accounts.models import User

    # The mixins below run inside a ModelAdmin or an inline: typed as one, their super() calls
    # and the attributes they read are checked.
    AdminMixinBase = BaseModelAdmin[Any]
else:
    AdminMixinBase = object


class AdminRequest(HttpRequest):
    """A request as the admin's write hooks receive it: from a signed-in user, the acting user.

    Only signed-in staff get past the admin site's login; `admin_request()` narrows a request to
    this type where it enters the hooks.
    """

    user: User


def _signed_in(request: HttpRequest) -> TypeGuard[AdminRequest]:
    return request.user.is_authenticated


def admin_request(request: HttpRequest) -> AdminRequest:
    """Narrow a request that reached a ModelAdmin to one from a signed-in user."""
    if not _signed_in(request):
        raise PermissionDenied
    return request


class _DryRun(Exception):
    """Raised to roll back a write made only to see whether it would succeed."""


def cleaned_changes(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """The fields the user changed, as cleaned values: what an update service receives."""
    return {
        name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
    }


def cleaned_values(form: forms.ModelForm[Any], *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every field of the form, as cleaned values: what a create service receives."""
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name not in exclude and name not in ("id", "DELETE")
    }


class ServiceForm(forms.ModelForm[Any]):
    """A model form whose validation is the service's: see the module docstring."""

    # bound by ServiceAdmin.get_form, as a staticmethod
    write: Callable[[forms.ModelForm[Any]], models.Model] | None = None

    def _post_clean(self) -> None:
        # Replaces ModelForm's construct_instance + full_clean: the service validates.
        if self._errors or self.write is None:  # type: ignore[attr-defined]  # BaseForm._errors: private, not in the stubs
            return
        try:
            with transaction.atomic():
                self.write(self)
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            self._update_errors(self._onto_fields(error))  # type: ignore[attr-defined]  # private ModelForm API, not in the stubs
        except PermissionDenied as error:
            self.add_error(None, str(error))

    def _onto_fields(self, error: ValidationError) -> ValidationError:
        """The service's errors, those of fields this form does not show made the form's own
        (Django refuses an error on a field it lacks)."""
        if not hasattr(error, "error_dict"):
            return error
        placed: dict[str, list[ValidationError]] = {}
        for name, errors in error.error_dict.items():
            placed.setdefault(name if name in self.fields else NON_FIELD_ERRORS, []).extend(errors)
        return ValidationError(placed)


class PolicyAdminMixin(AdminMixinBase):
    """Admin permissions from the one policy: reading scoped rows, writing by verb."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", SafeAutocompleteSelect(db_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name in self.get_autocomplete_fields(request):
            widget = SafeAutocompleteSelectMultiple(db_field, self.admin_site)
            kwargs.setdefault("widget", widget)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_somewhere(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # which rows are visible is the scoped queryset's business (get_queryset)
        return can_view_somewhere(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can_somewhere(request.user, Verb.CREATE, self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.DELETE, obj)

    def _may(self, request: HttpRequest, verb: Verb, obj: Any) -> bool:
        if obj is None:
            return can_somewhere(request.user, verb, self.model)
        return can(request.user, verb, obj)


class ReadOnlyAdminMixin(PolicyAdminMixin):
    """Records the application writes itself (histories, computed figures): view only."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(AuditHistoryAdminMixin, PolicyAdminMixin, admin.ModelAdmin[Any]):
    """A ModelAdmin that writes only through services.

    Subclasses implement `create(request, data)`, `update(request, obj, data)` and
    `delete(request, obj)` by calling their app's services with `by=request.user`. A record's
    "History" page is its audit trail.
    """

    form = ServiceForm

    def create(self, request: AdminRequest, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, request: AdminRequest, obj: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete(self, request: AdminRequest, obj: Any) -> None:
        raise NotImplementedError

    def write(self, request: HttpRequest, form: forms.ModelForm[Any]) -> models.Model:
        """Create or update the form's record through the services."""
        if form.instance.pk is None:
            return self.create(admin_request(request), cleaned_values(form))
        fresh = self.model._default_manager.get(pk=form.instance.pk)
        return self.update(admin_request(request), fresh, cleaned_changes(form))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        form = super().get_form(request, obj, change, **kwargs)

        def write(bound: forms.ModelForm[Any]) -> models.Model:
            return self.write(request, bound)

        return type(form.__name__, (form,), {"write": staticmethod(write)})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Write nothing yet: the record is written with its inlines in save_related."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        saved = self.write(request, form)
        # the admin's own view goes on with form.instance: point it at the written row
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()
        for formset in formsets:
            formset.inline_admin.write_formset(request, formset, form.instance)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete(admin_request(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete(admin_request(request), obj)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # initial values come from the query string: drop those that are not valid ids, so a
        # mistyped link shows an empty field rather than failing
        initial = super().get_changeform_initial_data(request)
        return {name: value for name, value in initial.items() if self._valid_initial(name, value)}

    def _valid_initial(self, name: str, value: Any) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a model field: the form ignores it
            return True
        if not field.is_relation:
            return True
        try:
            for part in value if isinstance(value, list) else [value]:
                field.target_field.to_python(part)
        except ValidationError:
            return False
        return True

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # Filtering through a relation the list does not offer would reveal rows of other
        # missions by their links ("?owned_threats__id__exact="): only declared filters pass.
        first = lookup.split("__", 1)[0]
        try:
            field = self.model._meta.get_field(first)
        except Exception:  # noqa: BLE001 - unknown names are ignored by the changelist
            return super().lookup_allowed(lookup, value, request)
        declared = {self.date_hierarchy} | {
            item[0] if isinstance(item, (list, tuple)) else item
            for item in self.list_filter
            if isinstance(item, (str, list, tuple))
        }
        if field.is_relation and first not in declared:
            return False
        return super().lookup_allowed(lookup, value, request)

    # A service may still refuse at the real write (an inline's rule); the view's transaction
    # has then rolled back: say why on the same page instead of failing.
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusals_as_messages(request, super().changeform_view, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusals_as_messages(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._refusals_as_messages(request, super().changelist_view, *args, **kwargs)

    def _refusals_as_messages(
        self, request: HttpRequest, view: Callable[..., HttpResponse], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceInline(PolicyAdminMixin, admin.TabularInline[Any, Any]):
    """An inline whose rows are written through services, after their parent.

    Subclasses implement `create(request, parent, data)`, `update(request, obj, data)` and
    `delete(request, obj)`.
    """

    extra = 0

    def create(self, request: AdminRequest, parent: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, request: AdminRequest, obj: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete(self, request: AdminRequest, obj: Any) -> None:
        raise NotImplementedError

    def get_formset(
        self, request: HttpRequest, obj: Any = None, **kwargs: Any
    ) -> type[BaseInlineFormSet[Any, Any, forms.ModelForm[Any]]]:
        formset = super().get_formset(request, obj, **kwargs)
        # save_related finds the inline that writes each formset
        formset.inline_admin = self  # type: ignore[attr-defined]  # our own attribute on Django's formset class
        return formset

    def _child(self, parent: Any) -> models.Model:
        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        child: models.Model = self.model(**{fk.name: parent})
        return child

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, Verb.CREATE, obj)

    def _may(self, request: HttpRequest, verb: Verb, obj: Any) -> bool:
        # `obj` is the parent: may the user write rows below this one?
        if obj is None or obj.pk is None:
            return can_somewhere(request.user, verb, self.model)
        return can(request.user, verb, self._child(obj))

    def write_formset(self, request: HttpRequest, formset: Any, parent: Any) -> None:
        """Write the formset's deletions, changes and new rows through the services."""
        fk = _get_foreign_key(self.parent_model, self.model, fk_name=self.fk_name)
        by = admin_request(request)
        # the admin's change message reads what formset.save() would have listed
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for form in formset.initial_forms:
            if form in formset.deleted_forms:
                obj = self.model._default_manager.get(pk=form.instance.pk)
                self.delete(by, obj)
                formset.deleted_objects.append(obj)
            elif form.has_changed():
                fresh = self.model._default_manager.get(pk=form.instance.pk)
                obj = self.update(by, fresh, cleaned_changes(form))
                formset.changed_objects.append((obj, form.changed_data))
        for form in formset.extra_forms:
            if form.has_changed() and form not in formset.deleted_forms:
                data = cleaned_values(form, exclude=(fk.name,))
                formset.new_objects.append(self.create(by, parent, data))


class TranslatedServiceAdmin(TranslationAdmin[Any], ServiceAdmin):
    """A ServiceAdmin of a model whose texts are translated (its app's translation.py): the
    form shows one field per language in place of each text, the English one required."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        # ServiceAdmin's signature; the translation admin swaps the fields on the way through
        form: type[forms.ModelForm[Any]] = super().get_form(request, obj, change=change, **kwargs)
        return form


class ReferenceDataAdmin(TranslatedServiceAdmin):
    """Reference data (the A4P frame, tiers, phases, grave violations): plain audited writes,
    which the policy leaves to administrators, each text in every language."""

    def create(self, request: AdminRequest, data: dict[str, Any]) -> models.Model:
        instance: models.Model = self.model(**data)
        return create_record(by=request.user, instance=instance)

    def update(
        self, request: AdminRequest, obj: models.Model, data: dict[str, Any]
    ) -> models.Model:
        fields = editable_fields(self.model)
        return update_record(by=request.user, instance=obj, data=data, fields=fields)[0]

    def delete(self, request: AdminRequest, obj: Any) -> None:
        delete_record(by=request.user, instance=obj)


class ReferenceDataInline(TranslationTabularInline[Any, Any], ServiceInline):
    """Rows of reference data edited below their parent (a paragraph's key elements), one
    field per language for each text."""

    def create(self, request: AdminRequest, parent: Any, data: dict[str, Any]) -> models.Model:
        child = self._child(parent)
        for name, value in data.items():
            setattr(child, name, value)
        return create_record(by=request.user, instance=child)

    def update(
        self, request: AdminRequest, obj: models.Model, data: dict[str, Any]
    ) -> models.Model:
        fields = editable_fields(self.model)
        return update_record(by=request.user, instance=obj, data=data, fields=fields)[0]

    def delete(self, request: AdminRequest, obj: Any) -> None:
        delete_record(by=request.user, instance=obj)
