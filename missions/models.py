import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import record_date_check
from core.models import TimeStampedModel
from core.validators import validate_record_date

from .choices import AreaKind, LocalityType, MissionRole, RiskLevel
from .querysets import AreaQuerySet, MissionScopedQuerySet


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Mission(TimeStampedModel):
    """A peacekeeping operation with a POC mandate (MONUSCO, MINUSCA, UNMISS, ...).

    Holds the current Security Council mandate, the standard for answering early-warning alerts,
    and the bands that turn a threat's risk score into a level. Everything else belongs to one.
    """

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    host_country = models.CharField(_("host country"), max_length=100)
    host_country_iso3 = models.CharField(
        _("host country ISO code"), max_length=3, blank=True, help_text=_("ISO 3166 alpha-3.")
    )
    mandate_resolution = models.CharField(
        _("mandate resolution"), max_length=50, blank=True, help_text=_("For example 2765 (2024).")
    )
    mandate_adopted_on = models.DateField(
        _("mandate adopted on"), null=True, blank=True, validators=[validate_record_date]
    )
    mandate_expires_on = models.DateField(
        _("mandate expires on"), null=True, blank=True, validators=[validate_record_date]
    )
    reporting_from = models.DateField(
        _("figures from"),
        null=True,
        blank=True,
        validators=[validate_record_date],
        help_text=_(
            "The first day the tracker holds all the mission's records: from then on a "
            "period without records counts zero, before it no figure is shown."
        ),
    )
    poc_priority_tasks = models.TextField(_("POC priority tasks"), blank=True)
    working_languages = models.CharField(
        _("working languages"),
        max_length=50,
        default="en",
        help_text=_("Language codes separated by commas, for example en,fr."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=50, default="UTC", validators=[validate_time_zone]
    )
    alert_response_standard_hours = models.PositiveSmallIntegerField(
        _("alert response standard (hours)"),
        default=24,
        help_text=_("Hours within which an early-warning alert must get a response on the ground."),
    )
    report_grace_days = models.PositiveSmallIntegerField(
        _("reports due within (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Days after a period's end by which its report counts as on time."),
    )
    completeness_threshold = models.PositiveSmallIntegerField(
        _("completeness threshold (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Share of the expected reports that must be validated before a hand-logged "
            "figure is judged against its target; below it the status says incomplete."
        ),
    )
    risk_medium_from = models.PositiveSmallIntegerField(
        _("medium risk from score"), default=5, validators=[MinValueValidator(2)]
    )
    risk_high_from = models.PositiveSmallIntegerField(_("high risk from score"), default=10)
    risk_very_high_from = models.PositiveSmallIntegerField(
        _("very high risk from score"), default=17, validators=[MaxValueValidator(25)]
    )
    two_factor_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=False,
        help_text=_(
            "Members whose role sees restricted records must confirm each sign-in with a code "
            "from an authenticator app."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    mission_field = "pk"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["acronym"]
        constraints = [
            record_date_check("mandate_adopted_on"),
            record_date_check("mandate_expires_on"),
            record_date_check("reporting_from"),
            models.CheckConstraint(
                condition=models.Q(report_grace_days__lte=90, completeness_threshold__lte=100),
                name="%(app_label)s_%(class)s_reporting_rules_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(alert_response_standard_hours__gte=1),
                name="%(app_label)s_%(class)s_alert_standard_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_medium_from__gte=2)
                & models.Q(risk_high_from__gt=models.F("risk_medium_from"))
                & models.Q(risk_very_high_from__gt=models.F("risk_high_from"))
                & models.Q(risk_very_high_from__lte=25),
                name="%(app_label)s_%(class)s_risk_bands_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(mandate_expires_on__isnull=True)
                | models.Q(mandate_adopted_on__isnull=True)
                | models.Q(mandate_expires_on__gt=models.F("mandate_adopted_on")),
                name="%(app_label)s_%(class)s_mandate_expires_after_adoption",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym

    def local_date(self, instant: datetime.datetime | None = None) -> datetime.date:
        """Return the day an instant (now by default) falls on in the mission's time zone.

        The mission's calendar: records are counted on their local day, and "today" and the
        figures' "as of" are the mission's, not UTC's.
        """
        instant = instant or timezone.now()
        if timezone.is_naive(instant):  # as Django saves it: in the default time zone
            instant = timezone.make_aware(instant)
        return instant.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()

    def risk_level(self, score: int) -> RiskLevel:
        """The level of a risk score (1–25) under this mission's bands."""
        if score >= self.risk_very_high_from:
            return RiskLevel.VERY_HIGH
        if score >= self.risk_high_from:
            return RiskLevel.HIGH
        if score >= self.risk_medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW


class Area(TimeStampedModel):
    """A place inside a mission: a sector, an area of responsibility within it, or a locality.

    Localities are villages, towns, IDP sites or protection-of-civilians sites. Each area keeps
    its sector and area-of-responsibility ancestors in its own row, so figures roll up the
    hierarchy with plain joins. The current phase of response can differ from area to area.
    """

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="areas", verbose_name=_("mission")
    )
    kind = models.CharField(_("level"), max_length=10, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent area"),
    )
    sector = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("sector"),
    )
    aor = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("area of responsibility"),
    )
    name = models.CharField(_("name"), max_length=200)
    locality_type = models.CharField(
        _("locality type"), max_length=20, choices=LocalityType.choices, blank=True
    )
    pcode = models.CharField(
        _("admin p-code"),
        max_length=30,
        blank=True,
        help_text=_("Humanitarian administrative p-code, for exchanging data with partners."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phase = models.ForeignKey(
        "commitments.Phase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current phase of response"),
    )

    mission_field = "mission"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["mission", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AreaKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind=AreaKind.SECTOR) & models.Q(parent__isnull=True))
                | (~models.Q(kind=AreaKind.SECTOR) & models.Q(parent__isnull=False)),
                name="%(app_label)s_%(class)s_only_sectors_at_top",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
            ),
            models.UniqueConstraint(
                fields=["mission", "parent", "name"],
                name="%(app_label)s_%(class)s_unique_name_in_parent",
            ),
            # sectors have no parent, and NULL parents never clash in the constraint above
            models.UniqueConstraint(
                fields=["mission", "name"],
                condition=models.Q(parent__isnull=True),
                name="%(app_label)s_%(class)s_unique_sector_name",
            ),
            models.UniqueConstraint(
                fields=["mission", "pcode"],
                condition=~models.Q(pcode=""),
                name="%(app_label)s_%(class)s_unique_pcode",
            ),
            # the target of the composite foreign keys that keep a record's area in its own
            # mission (core.migration_operations.SameMissionForeignKey)
            models.UniqueConstraint(
                fields=["id", "mission"], name="%(app_label)s_%(class)s_unique_id_mission"
            ),
        ]
        indexes = [
            # rollups and "area includes descendants" filters: areas below a sector or AOR
            models.Index(fields=["sector"], name="missions_area_sector_idx"),
            models.Index(fields=["aor"], name="missions_area_aor_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    EXPECTED_PARENT: dict[str, AreaKind] = {
        AreaKind.AOR: AreaKind.SECTOR,
        AreaKind.LOCALITY: AreaKind.AOR,
    }

    def clean(self) -> None:
        if self.kind == AreaKind.SECTOR:
            if self.parent_id:
                raise ValidationError({"parent": _("A sector has no parent area.")})
            return
        if self.kind not in self.EXPECTED_PARENT:
            return  # the field's own validation reports a missing or unknown level
        if self.parent is None:
            raise ValidationError({"parent": _("Only a sector can stand without a parent.")})
        if self.parent.mission_id != self.mission_id:
            raise ValidationError({"parent": _("The parent area belongs to another mission.")})
        if self.parent.kind != self.EXPECTED_PARENT[self.kind]:
            raise ValidationError(
                {
                    "parent": _("%(kind)s must sit under a %(parent)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parent": AreaKind(self.EXPECTED_PARENT[self.kind]).label,
                    }
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The ancestor columns are this row's own derived facts; keeping them here means no
        # path can write an area without them.
        parent = self.parent
        self.sector = (parent.sector or parent) if parent else None
        self.aor = parent if parent and parent.kind == AreaKind.AOR else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "parent" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sector", "aor"}
        super().save(*args, **kwargs)
        if self.kind == AreaKind.AOR:
            # a moved area of responsibility takes its localities along
            Area.objects.filter(aor=self).exclude(sector=self.sector).update(sector=self.sector)


class InMissionArea(models.Model):
    """For records with a mission, an area and perhaps a threat: both must be the mission's.

    `clean()` says so with a field error; the database enforces it with composite foreign
    keys `(area_id, mission_id)` and `(threat_id, mission_id)` (`core.migration_operations`).
    """

    mission_id: int  # the concrete model's mission foreign key

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in ("area", "threat"):
            related = getattr(self, name, None)
            if related is not None and self.mission_id and related.mission_id != self.mission_id:
                errors[name] = _("This belongs to another mission.")
        if errors:
            raise ValidationError(errors)


class Membership(TimeStampedModel):
    """A user's role in one mission. A user can belong to several missions, one role in each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("mission")
    )
    role = models.CharField(_("role"), max_length=20, choices=MissionRole.choices)

    mission_field = "mission"
    objects = MissionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["mission", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "mission"], name="%(app_label)s_%(class)s_one_role_per_mission"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=MissionRole.values),
                name="%(app_label)s_%(class)s_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.mission} ({self.get_role_display()})"
