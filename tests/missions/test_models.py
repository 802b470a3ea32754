import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from missions.choices import AreaKind, MissionRole
from missions.models import Area, Membership, Mission
from tests.factories.missions import (
    AorFactory,
    LocalityFactory,
    MembershipFactory,
    MissionFactory,
    SectorFactory,
)
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db


# --- Mission ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bands",
    [
        pytest.param({"risk_medium_from": 1}, id="medium-below-2"),
        pytest.param({"risk_high_from": 5}, id="high-equals-medium"),
        pytest.param({"risk_high_from": 4}, id="high-below-medium"),
        pytest.param({"risk_very_high_from": 10}, id="very-high-equals-high"),
        pytest.param({"risk_very_high_from": 26}, id="very-high-above-25"),
    ],
)
def test_mission_risk_bands_must_be_ordered(bands: dict) -> None:
    mission = MissionFactory()  # bands 5 / 10 / 17

    with rejected_by("missions_mission_risk_bands_ordered"):
        Mission.objects.filter(pk=mission.pk).update(**bands)


def test_mission_alert_standard_must_be_positive() -> None:
    mission = MissionFactory()

    with rejected_by("missions_mission_alert_standard_positive"):
        Mission.objects.filter(pk=mission.pk).update(alert_response_standard_hours=0)


def test_mission_mandate_expires_after_adoption() -> None:
    with rejected_by("missions_mission_mandate_expires_after_adoption"):
        MissionFactory(
            mandate_adopted_on=datetime.date(2026, 12, 20),
            mandate_expires_on=datetime.date(2026, 12, 20),
        )


def test_mission_acronym_is_unique() -> None:
    MissionFactory(acronym="MONUSCO")

    with rejected_by("acronym"):
        Mission.objects.create(acronym="MONUSCO", name="Again", host_country="DRC")


def test_mission_time_zone_must_be_known() -> None:
    mission = MissionFactory.build(time_zone="Africa/Atlantis")

    with pytest.raises(ValidationError) as excinfo:
        mission.full_clean()

    assert "time_zone" in excinfo.value.message_dict


def test_mission_timestamps_follow_the_clock() -> None:
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        mission = MissionFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        mission.save()

    assert mission.created_at == datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    assert mission.updated_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


# --- Area: constraints --------------------------------------------------------------------------


def test_area_sector_cannot_have_a_parent() -> None:
    sector = SectorFactory()

    with rejected_by("missions_area_only_sectors_at_top"):
        Area.objects.create(mission=sector.mission, kind=AreaKind.SECTOR, parent=sector, name="X")


@pytest.mark.parametrize("kind", [AreaKind.AOR, AreaKind.LOCALITY])
def test_area_below_sector_needs_a_parent(kind: str) -> None:
    mission = MissionFactory()

    with rejected_by("missions_area_only_sectors_at_top"):
        Area.objects.create(mission=mission, kind=kind, name="Orphan")


def test_area_kind_must_be_known() -> None:
    sector = SectorFactory()

    with rejected_by("missions_area_kind_valid"):
        Area.objects.filter(pk=sector.pk).update(kind="province")


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"latitude": 90.5}, "missions_area_latitude_range"),
        ({"latitude": -91}, "missions_area_latitude_range"),
        ({"longitude": 180.5}, "missions_area_longitude_range"),
        ({"longitude": -181}, "missions_area_longitude_range"),
    ],
)
def test_area_coordinates_must_be_on_earth(changes: dict, constraint: str) -> None:
    locality = LocalityFactory()

    with rejected_by(constraint):
        Area.objects.filter(pk=locality.pk).update(**changes)


def test_area_name_is_unique_within_its_parent() -> None:
    aor = AorFactory()
    LocalityFactory(mission=aor.mission, parent=aor, name="Djugu")

    with rejected_by("missions_area_unique_name_in_parent"):
        LocalityFactory(mission=aor.mission, parent=aor, name="Djugu")


def test_area_same_name_under_another_parent_is_allowed() -> None:
    first = LocalityFactory(name="Kalemie")

    second = LocalityFactory(mission=first.mission, name="Kalemie")

    assert second.parent_id != first.parent_id


def test_area_pcode_is_unique_in_a_mission() -> None:
    first = SectorFactory(pcode="CD54")

    with rejected_by("missions_area_unique_pcode"):
        SectorFactory(mission=first.mission, pcode="CD54")


def test_area_blank_pcodes_do_not_clash() -> None:
    first = SectorFactory(pcode="")

    SectorFactory(mission=first.mission, pcode="")

    assert Area.objects.filter(mission=first.mission, pcode="").count() == 2


# --- Area: the hierarchy ------------------------------------------------------------------------


def test_area_save_derives_sector_and_aor_columns() -> None:
    locality = LocalityFactory()
    aor = locality.parent
    sector = aor.parent

    locality.refresh_from_db()
    aor.refresh_from_db()
    sector.refresh_from_db()

    assert (sector.sector_id, sector.aor_id) == (None, None)
    assert (aor.sector_id, aor.aor_id) == (sector.pk, None)
    assert (locality.sector_id, locality.aor_id) == (sector.pk, aor.pk)


def test_area_moving_an_aor_moves_its_localities_to_the_new_sector() -> None:
    # given an AOR with two localities in sector North
    north = SectorFactory(name="North")
    south = SectorFactory(mission=north.mission, name="South")
    aor = AorFactory(mission=north.mission, parent=north)
    localities = LocalityFactory.create_batch(2, mission=north.mission, parent=aor)

    # when the AOR moves to sector South
    aor.parent = south
    aor.save()

    # then the AOR and its localities now sit in South
    assert Area.objects.get(pk=aor.pk).sector == south
    assert set(
        Area.objects.filter(pk__in=[a.pk for a in localities]).values_list("sector", flat=True)
    ) == {south.pk}
    assert set(Area.objects.within(south)) == {south, aor, *localities}
    assert set(Area.objects.within(north)) == {north}


def test_area_within_returns_the_area_and_its_descendants() -> None:
    # given two sectors, one with two AORs and a locality under each
    sector = SectorFactory()
    aor_1 = AorFactory(mission=sector.mission, parent=sector)
    aor_2 = AorFactory(mission=sector.mission, parent=sector)
    village_1 = LocalityFactory(mission=sector.mission, parent=aor_1)
    village_2 = LocalityFactory(mission=sector.mission, parent=aor_2)
    SectorFactory(mission=sector.mission)  # another sector, with nothing below

    # then
    assert set(Area.objects.within(sector)) == {sector, aor_1, aor_2, village_1, village_2}
    assert set(Area.objects.within(aor_1)) == {aor_1, village_1}
    assert set(Area.objects.within(village_2)) == {village_2}


def test_area_sectors_and_localities_filter_by_level() -> None:
    village = LocalityFactory()

    assert list(Area.objects.sectors()) == [village.parent.parent]
    assert list(Area.objects.localities()) == [village]


@pytest.mark.parametrize(
    ("kind", "parent_kind"),
    [
        (AreaKind.AOR, AreaKind.AOR),
        (AreaKind.AOR, AreaKind.LOCALITY),
        (AreaKind.LOCALITY, AreaKind.SECTOR),
        (AreaKind.LOCALITY, AreaKind.LOCALITY),
    ],
)
def test_area_clean_rejects_wrong_parent_kind(kind: str, parent_kind: str) -> None:
    parent = {
        AreaKind.SECTOR: SectorFactory,
        AreaKind.AOR: AorFactory,
        AreaKind.LOCALITY: LocalityFactory,
    }[parent_kind]()
    area = Area(mission=parent.mission, kind=kind, parent=parent, name="Misplaced")

    with pytest.raises(ValidationError) as excinfo:
        area.clean()

    assert "parent" in excinfo.value.message_dict


def test_area_clean_rejects_a_parent_of_another_mission() -> None:
    aor = AorFactory()
    area = Area(mission=MissionFactory(), kind=AreaKind.LOCALITY, parent=aor, name="Elsewhere")

    with pytest.raises(ValidationError) as excinfo:
        area.clean()

    assert excinfo.value.message_dict["parent"] == ["The parent area belongs to another mission."]


@pytest.mark.parametrize(
    ("kind", "has_parent"),
    [(AreaKind.SECTOR, True), (AreaKind.AOR, False), (AreaKind.LOCALITY, False)],
)
def test_area_clean_rejects_wrong_top_level(kind: str, has_parent: bool) -> None:
    sector = SectorFactory()
    area = Area(mission=sector.mission, kind=kind, parent=sector if has_parent else None, name="X")

    with pytest.raises(ValidationError) as excinfo:
        area.clean()

    assert "parent" in excinfo.value.message_dict


def test_area_clean_accepts_the_expected_chain() -> None:
    aor = AorFactory()
    locality = Area(mission=aor.mission, kind=AreaKind.LOCALITY, parent=aor, name="Bunia")

    locality.clean()  # raises nothing

    assert locality.parent == aor


# --- Membership ---------------------------------------------------------------------------------


def test_membership_one_role_per_user_and_mission() -> None:
    membership = MembershipFactory(role=MissionRole.JOC_OFFICER)

    with rejected_by("missions_membership_one_role_per_mission"):
        Membership.objects.create(
            user=membership.user, mission=membership.mission, role=MissionRole.POC_ADVISER
        )


def test_membership_same_user_can_join_another_mission() -> None:
    membership = MembershipFactory()

    MembershipFactory(user=membership.user, role=MissionRole.POC_ADVISER)

    assert membership.user.memberships.count() == 2


def test_membership_role_must_be_known() -> None:
    membership = MembershipFactory()

    with rejected_by("missions_membership_role_valid"):
        Membership.objects.filter(pk=membership.pk).update(role="commander")


# --- Deleting ---------------------------------------------------------------------------------


def test_mission_delete_takes_its_areas_and_records() -> None:
    # given a mission with a hierarchy and an incident in a locality
    from incidents.models import Incident
    from tests.factories.incidents import IncidentFactory

    locality = LocalityFactory()
    mission = locality.mission
    IncidentFactory(mission=mission, area=locality)
    # when the mission is deleted
    mission.delete()
    # then its areas and records go with it
    assert not Area.objects.filter(mission_id=mission.pk).exists()
    assert not Incident.objects.filter(mission_id=mission.pk).exists()


def test_area_delete_is_refused_while_records_point_at_it() -> None:
    from django.db.models import RestrictedError

    from tests.factories.incidents import IncidentFactory

    locality = LocalityFactory()
    IncidentFactory(mission=locality.mission, area=locality)

    with pytest.raises(RestrictedError):
        locality.delete()
    with pytest.raises(RestrictedError):
        locality.parent.delete()


def test_area_sector_names_are_unique_within_a_mission() -> None:
    sector = SectorFactory(name="North")

    with rejected_by("missions_area_unique_sector_name"):
        Area.objects.create(mission=sector.mission, kind=AreaKind.SECTOR, name="North")


@pytest.mark.parametrize("record", ["incident", "alert", "activity", "observation"])
def test_record_in_an_area_of_another_mission_is_invalid(record: str) -> None:
    from tests.factories.activities import ProtectionActivityFactory
    from tests.factories.alerts import AlertFactory
    from tests.factories.incidents import IncidentFactory
    from tests.factories.indicators import ObservationFactory

    factory = {
        "incident": IncidentFactory,
        "alert": AlertFactory,
        "activity": ProtectionActivityFactory,
        "observation": ObservationFactory,
    }[record]
    elsewhere = LocalityFactory()
    instance = factory.build(mission=MissionFactory(), area=elsewhere)

    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert "area" in error.value.message_dict
