"""Query helpers shared by the querysets of every app."""

from django.db.models import Count, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce


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
