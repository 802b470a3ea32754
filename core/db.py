"""Database helpers shared by the models and querysets of every app."""

import datetime
from typing import Any

from django.db.models import (
    CheckConstraint,
    Count,
    IntegerField,
    Model,
    OuterRef,
    Q,
    Subquery,
    UniqueConstraint,
    UUIDField,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .validators import RECORD_DATES_CEILING, RECORD_DATES_FLOOR, utc_midnight


def count_related(model: type[Model], field_name: str, **filters: object) -> Coalesce:
    """Count rows of `model` pointing at the outer row through `field_name`, as a subquery.

    A subquery never fans out the outer query's joins, so several counts can be annotated side
    by side without multiplying each other.
    """
    subquery = (
        model._default_manager.filter(**{field_name: OuterRef("pk")}, **filters)
        .order_by()
        .values(field_name)
        .annotate(c=Count("*"))
        .values("c")
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def record_date_check(field: str, *, timestamp: bool = False) -> CheckConstraint:
    """A check that a date (or timestamp) column lies in the outer window of record dates.

    Named `<app>_<model>_<field>_in_range`. The bounds are fixed so that a migration holds them;
    the settings' narrower window is the validator's (`core.validators`). A timestamp is
    compared with UTC midnights, so it passes exactly when its UTC day does. NULL passes.
    """
    if timestamp:
        condition = Q(
            **{
                f"{field}__gte": utc_midnight(RECORD_DATES_FLOOR),
                f"{field}__lt": utc_midnight(RECORD_DATES_CEILING + datetime.timedelta(days=1)),
            }
        )
    else:
        condition = Q(
            **{f"{field}__gte": RECORD_DATES_FLOOR, f"{field}__lte": RECORD_DATES_CEILING}
        )
    return CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_in_range",
        violation_error_code="date_out_of_range",
    )


def client_id_field() -> UUIDField[Any, Any]:
    """The id a field client gives a record it submits (as ODK's instanceID), if it gives one.

    A client that resubmits a record it is unsure was received sends the same id again, and is
    refused instead of logging the record twice (`client_id_unique`).
    """
    return UUIDField(
        _("client id"),
        null=True,
        blank=True,
        help_text=_("The id the submitting device gave this record, unique in its mission."),
    )


def client_id_unique() -> UniqueConstraint:
    """One record per client id in a mission; records without one are not compared."""
    return UniqueConstraint(
        fields=["mission", "client_id"],
        condition=Q(client_id__isnull=False),
        name="%(app_label)s_%(class)s_unique_client_id",
        violation_error_message=_("A record with this client id already exists in this mission."),
        violation_error_code="unique",
    )
