"""The demo data generator: coverage of every state, invariants, determinism and idempotency.

The tests use small totals so that a run takes a second or two; the shapes are the same at scale.
"""

import datetime
import hashlib
import io
import itertools

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import F
from time_machine import TimeMachineFixture

from accounts.choices import GlobalRole
from accounts.models import User
from activities.models import ProtectionActivity
from alerts.models import Alert
from commitments.models import CommitmentImplementation, KeyElement
from core.choices import SexAge
from demo.generator.options import last_completed_month_end, months, weeks
from incidents.choices import VerificationStatus
from incidents.models import Incident
from indicators.choices import (
    CombinationMethod,
    Disaggregation,
    Frequency,
    ObservationState,
    Unit,
)
from indicators.models import IndicatorTarget, Observation, ObservationValue
from missions.choices import AreaKind, MissionRole
from missions.models import Area, Membership, Mission
from threats.choices import PerpetratorCategory, ThreatStatus, ViolenceType
from threats.models import Threat

pytestmark = pytest.mark.django_db

SMALL = {
    "missions": 3,
    "end": datetime.date(2025, 12, 31),
    "incidents": 240,
    "alerts": 90,
    "activities": 120,
    "observations": 900,
    "localities": 2,
    "seed": 7,
}
PROJECT_APPS = (
    "accounts",
    "missions",
    "commitments",
    "threats",
    "incidents",
    "alerts",
    "activities",
    "indicators",
)


def seed_demo(**overrides: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{"quiet": True, **SMALL, **overrides})
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of the project, many-to-many link tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


def checksum() -> str:
    """A digest of the generated data that ignores primary keys and timestamps."""
    queries = [
        Area.objects.values_list("mission__acronym", "kind", "name", "pcode", "latitude"),
        Threat.objects.values_list("mission__acronym", "title", "status", "identified_on"),
        Incident.objects.values_list(
            "mission__acronym", "external_id", "occurred_on", "incident_type", "killed_women",
            "sv_girls", "verification_status", "threat__title", "area__name",
        ),
        Alert.objects.values_list("mission__acronym", "received_at", "arrived_at", "outcome"),
        ProtectionActivity.objects.values_list(
            "mission__acronym", "started_on", "title", "tier__number", "phase__number", "women"
        ),
        ObservationValue.objects.values_list(
            "observation__mission__acronym", "observation__indicator__code",
            "observation__area__name", "observation__period_start", "observation__state",
            "disaggregation", "value", "numerator", "denominator",
        ),
        IndicatorTarget.objects.values_list(
            "mission__acronym", "indicator__code", "period_start", "baseline", "target"
        ),
        Membership.objects.values_list("mission__acronym", "user__username", "role"),
    ]  # fmt: skip
    digest = hashlib.sha256()
    for query in queries:
        digest.update(repr(sorted(query, key=repr)).encode())
    return digest.hexdigest()


def test_seed_demo_creates_missions_with_sector_aor_locality_hierarchy() -> None:
    # when
    seed_demo()

    # then
    missions = Mission.objects.all()
    assert {"MONUSCO", "MINUSCA", "UNMISS"} <= {m.acronym for m in missions}
    for mission in missions:
        areas = Area.objects.filter(mission=mission)
        sectors = areas.filter(kind=AreaKind.SECTOR)
        aors = areas.filter(kind=AreaKind.AOR)
        localities = areas.filter(kind=AreaKind.LOCALITY)
        assert sectors.exists() and aors.exists() and localities.exists()
        assert not sectors.exclude(parent=None).exists()
        assert not aors.exclude(parent__kind=AreaKind.SECTOR).exists()
        assert not aors.exclude(sector=F("parent")).exists()
        assert not localities.exclude(parent__kind=AreaKind.AOR).exists()
        assert not localities.exclude(aor=F("parent")).exists()
        assert not localities.exclude(sector=F("parent__sector")).exists()
        assert not areas.filter(latitude=None).exists()
        assert mission.alert_response_standard_hours >= 1


def test_seed_demo_creates_users_for_every_role() -> None:
    # when
    seed_demo()

    # then
    for mission in Mission.objects.all():
        roles = set(Membership.objects.filter(mission=mission).values_list("role", flat=True))
        assert roles == set(MissionRole.values)
    assert User.objects.get(username="secretariat").global_role == GlobalRole.SECRETARIAT
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.global_role == GlobalRole.ADMINISTRATOR
    assert admin.check_password("demo-pass-2026")
    multi = Membership.objects.filter(user__username="poc-multi")
    assert multi.count() == 2
    assert len(set(multi.values_list("role", flat=True))) == 2
    assert User.objects.get(username="monusco-joc").check_password("demo-pass-2026")


def test_seed_demo_covers_every_state() -> None:
    # when
    seed_demo()

    # then
    assert set(Threat.objects.values_list("status", flat=True)) == set(ThreatStatus.values)
    categories = set(Threat.objects.values_list("perpetrator_category", flat=True))
    assert categories == set(PerpetratorCategory.values)
    assert not Threat.objects.filter(status=ThreatStatus.RESOLVED, closed_on=None).exists()
    assert Threat.objects.filter(communities__isnull=False, response_actions__isnull=False).exists()
    statuses = set(Incident.objects.values_list("verification_status", flat=True))
    assert statuses == set(VerificationStatus.values)
    assert Incident.objects.filter(grave_violations__isnull=False).exists()
    assert Alert.objects.filter(arrived_at=None).exists()
    answered = [
        alert.answered_within_standard() for alert in Alert.objects.exclude(arrived_at=None)
    ]
    assert True in answered and False in answered
    tiers_phases = set(
        ProtectionActivity.objects.values_list("tier__number", "phase__number").distinct()
    )
    assert tiers_phases == set(itertools.product((1, 2, 3), (1, 2, 3, 4)))
    states = set(Observation.objects.values_list("state", flat=True))
    assert states == set(ObservationState.values)
    elements = KeyElement.objects.filter(paragraph__number=10).count()
    assert CommitmentImplementation.objects.count() == elements * Mission.objects.count()
    assert IndicatorTarget.objects.exists()


def test_seed_demo_observation_values_follow_their_indicator() -> None:
    # when
    seed_demo()

    # then
    for observation in Observation.objects.select_related("indicator").prefetch_related("values")[
        :300
    ]:
        groups = {value.disaggregation for value in observation.values.all()}
        if observation.indicator.disaggregation == Disaggregation.SEX_AGE:
            assert groups == {SexAge.WOMEN, SexAge.MEN, SexAge.GIRLS, SexAge.BOYS}
        else:
            assert groups == {SexAge.TOTAL}
        if observation.indicator.method == CombinationMethod.RATIO:
            for value in observation.values.all():
                assert value.numerator is not None and value.denominator > 0
                scale = 100 if observation.indicator.unit == Unit.PERCENTAGE else 1
                ratio = value.numerator / value.denominator * scale
                assert float(value.value) == pytest.approx(float(ratio), abs=0.001)


def test_seed_demo_rows_respect_invariants() -> None:
    # when
    seed_demo()

    # then
    sexual_violence = Incident.objects.filter(incident_type=ViolenceType.SEXUAL_VIOLENCE)
    assert sexual_violence.exists()
    assert not sexual_violence.filter(is_restricted=False).exists()
    assert not Incident.objects.filter(grave_violations__isnull=False, is_restricted=False).exists()
    validated = Observation.objects.filter(state=ObservationState.VALIDATED)
    assert not validated.filter(validated_at=None).exists()
    assert not validated.filter(validated_by=None).exists()
    for observation in Observation.objects.all()[:200]:
        assert observation.period_end > observation.period_start
        if observation.indicator.frequency == Frequency.MONTHLY:
            assert observation.period_start.day == 1
            assert (observation.period_end + datetime.timedelta(days=1)).day == 1
    for model in (Mission, Area, Threat, Incident, Alert, ProtectionActivity, Observation):
        for row in model.objects.all()[:25]:
            row.full_clean()


def test_seed_demo_twice_changes_nothing() -> None:
    # given
    seed_demo()
    counts, digest = row_counts(), checksum()

    # when
    output = seed_demo(quiet=False)

    # then
    assert row_counts() == counts
    assert checksum() == digest
    assert "MONUSCO: exists already, skipped" in output


def test_seed_demo_same_seed_gives_same_data_after_reset() -> None:
    # given
    seed_demo()
    counts, digest = row_counts(), checksum()

    # when
    seed_demo(reset=True)

    # then
    assert row_counts() == counts
    assert checksum() == digest


def test_seed_demo_other_seed_gives_other_data() -> None:
    # given
    seed_demo()
    digest = checksum()

    # when
    seed_demo(reset=True, seed=8)

    # then
    assert checksum() != digest


def test_seed_demo_leaves_an_existing_mission_alone() -> None:
    # given
    Mission.objects.create(acronym="MONUSCO", name="Existing", host_country="DR Congo")

    # when
    seed_demo(reset=True)

    # then
    monusco = Mission.objects.get(acronym="MONUSCO")
    assert monusco.name == "Existing"
    assert not monusco.areas.exists()
    assert Mission.objects.filter(acronym="MINUSCA", areas__isnull=False).exists()


def test_seed_demo_reset_keeps_a_mission_with_real_incidents() -> None:
    # given
    seed_demo(missions=1)
    mission = Mission.objects.get(acronym="MONUSCO")
    # one incident logged by hand, not generated
    Incident.objects.filter(external_id="MONUSCO-000001").update(external_source="")

    # when
    output = seed_demo(missions=1, reset=True, quiet=False)

    # then
    assert Mission.objects.get(acronym="MONUSCO").pk == mission.pk
    assert "not demo data" in output


def test_seed_demo_scales_with_the_options() -> None:
    # when
    output = seed_demo(missions=4, incidents=400, observations=2000, quiet=False)

    # then
    assert Mission.objects.count() == 4
    assert Incident.objects.count() == 400
    assert Observation.objects.count() == 2000
    assert "DEMO04: 100 incidents" in output


@pytest.mark.parametrize(
    "overrides",
    [{"end": datetime.date(2027, 1, 1)}, {"end": datetime.date(1900, 6, 30), "years": 1}],
    ids=["ends-after-today", "starts-before-1900"],
)
def test_seed_demo_refuses_records_outside_the_date_window(
    overrides: dict, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC), tick=False)

    with pytest.raises(CommandError, match="RECORD_DATES_FROM"):
        seed_demo(**overrides)

    assert not Mission.objects.exists()


def test_weeks_are_iso_weeks_from_monday_to_sunday() -> None:
    # when
    periods = list(weeks(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)))

    # then
    assert periods[0] == (datetime.date(2025, 12, 1), datetime.date(2025, 12, 7))
    assert all(start.isoweekday() == 1 and end.isoweekday() == 7 for start, end in periods)
    assert periods[-1][1] == datetime.date(2025, 12, 28)  # the week ending 4 January is cut


def test_months_and_quarters_end_on_their_last_day() -> None:
    # when
    monthly = list(months(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)))
    quarterly = list(months(datetime.date(2024, 2, 1), datetime.date(2024, 12, 31), step=3))

    # then
    assert len(monthly) == 12
    assert monthly[1] == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert quarterly[0] == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert quarterly[-1] == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))


def test_last_completed_month_end_is_the_day_before_the_month_starts() -> None:
    assert last_completed_month_end(datetime.date(2026, 3, 15)) == datetime.date(2026, 2, 28)
    assert last_completed_month_end(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 31)
