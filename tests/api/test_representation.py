"""Rows read column by column (`api.representation`) answer byte for byte as DRF's own
`Serializer.to_representation` does, on every list of the router."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from api.representation import ColumnReadingSerializer
from incidents.api import IncidentViewSet
from incidents.serializers import IncidentSerializer
from missions.models import Mission
from tests.api.routes import ApiRoute, api_routes, make_record
from tests.factories.incidents import GraveViolationFactory, IncidentFactory
from tests.factories.threats import ThreatFactory

pytestmark = pytest.mark.django_db

LISTS = [
    route
    for route in api_routes()
    if route.name.endswith("-list")
    and issubclass(getattr(route.viewset, "serializer_class", object), ColumnReadingSerializer)
]


def _both(serializer_class: type[Any], row: models.Model) -> tuple[bytes, bytes]:
    """The row as the serializer answers it, and as DRF's generic reading does."""
    direct = serializer_class(context={}).to_representation(row)
    generic = serializers.Serializer.to_representation(serializer_class(context={}), row)
    return JSONRenderer().render(direct), JSONRenderer().render(generic)


@pytest.mark.parametrize("route", LISTS, ids=str)
def test_list_row_reads_as_drf_reads_it(route: ApiRoute, mission_a: Mission) -> None:
    # given a record, read as its list reads it (with the viewset's joins and prefetches)
    record = make_record(route.model, mission_a)
    row = route.viewset.queryset.get(pk=record.pk)
    # when / then
    direct, generic = _both(route.viewset.serializer_class, row)
    assert direct == generic


def test_incident_with_every_column_reads_as_drf_reads_it(mission_a: Mission) -> None:
    # given an incident whose optional columns are all filled, with two grave violations
    violations = [GraveViolationFactory(number=4), GraveViolationFactory(number=2)]
    incident = IncidentFactory(
        mission=mission_a,
        occurred_at=datetime.time(14, 30),
        latitude=Decimal("4.851234"),
        longitude=Decimal("31.582345"),
        location_name="Juba, Gudele",
        description="Attack on a market.",
        killed_women=2,
        injured_boys=1,
        people_displaced=40,
        threat=ThreatFactory(mission=mission_a),
        grave_violations=violations,
    )
    # when it is read through the list's queryset, whose prefetch leaves a plain list
    row = IncidentViewSet.queryset.get(pk=incident.pk)
    direct, generic = _both(IncidentSerializer, row)
    # then the answer is DRF's, and the violations are those of the relation, in its order
    assert direct == generic
    answer = IncidentSerializer(row, context={}).data
    assert answer["grave_violations"] == list(
        incident.grave_violations.values_list("pk", flat=True)
    )
    assert answer["latitude"] == "4.851234"
    assert answer["occurred_at"] == "14:30:00"


def test_each_serializer_has_fields_of_its_own(db: None) -> None:
    # given two serializers of one class, whose fields are copies of the ones built once
    first, second = IncidentSerializer(context={}), IncidentSerializer(context={})
    # then no field, nor its list of validators, is shared, and each is bound to its own
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other
        assert field.parent is first and other.parent is second
        assert field.validators is not other.validators
    first.fields["description"].validators.append(lambda value: None)
    assert len(second.fields["description"].validators) == len(
        IncidentSerializer(context={}).fields["description"].validators
    )
