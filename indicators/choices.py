from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PEOPLE = "people", _("People")
    PERCENTAGE = "percentage", _("Percentage")
    HOURS = "hours", _("Hours")
    DAYS = "days", _("Days")
    SCORE = "score", _("Score")


class CombinationMethod(models.TextChoices):
    """How the values an indicator takes into a figure combine (over time: see
    TimeAggregation): added up, averaged weighted by what each averages, or recomputed from
    summed parts or pooled values."""

    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    MIN = "min", _("Minimum")
    MAX = "max", _("Maximum")
    RATIO = "ratio", _("Ratio of numerator to denominator")
    SHARE_WITHIN_STANDARD = "share_within_standard", _("Share within the time standard")
    MEDIAN = "median", _("Median")


class TimeAggregation(models.TextChoices):
    """What a period's figure takes in, as DHIS2 separates aggregation over periods from
    aggregation over places: a flow everything that happened in the period, a stock each
    place's last reading of it (a level at a moment, which adding up months would inflate)."""

    FLOW = "flow", _("Flow: everything in the period")
    STOCK = "stock", _("Stock: the last reading of the period")


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Higher is better")
    LOWER_IS_BETTER = "lower", _("Lower is better")
    NEUTRAL = "neutral", _("Neither (context figure)")


class Disaggregation(models.TextChoices):
    NONE = "none", _("None")
    SEX_AGE = "sex_age", _("Sex and age")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")


class DataSource(models.TextChoices):
    MANUAL = "manual", _("Logged by hand")
    DERIVED = "derived", _("Derived from records")


class Derivation(models.TextChoices):
    """What a derived indicator is computed from. The rollup engine keys on these codes."""

    CIVILIANS_KILLED = "civilians_killed", _("Civilians killed (incidents)")
    CIVILIANS_INJURED = "civilians_injured", _("Civilians injured (incidents)")
    CIVILIANS_ABDUCTED = "civilians_abducted", _("Civilians abducted (incidents)")
    SV_SURVIVORS = "sv_survivors", _("Survivors of sexual violence (incidents)")
    INCIDENTS = "incidents", _("Incidents recorded (incidents)")
    INCIDENTS_HOST_STATE = "incidents_host_state", _("Incidents by host-state forces (incidents)")
    GRAVE_VIOLATIONS = "grave_violations", _("Grave violations against children (incidents)")
    PEOPLE_DISPLACED = "people_displaced", _("People displaced (incidents)")
    ALERTS_RECEIVED = "alerts_received", _("Alerts received (alerts)")
    ALERTS_WITHIN_STANDARD = (
        "alerts_within_standard",
        _("Share of alerts answered within the standard (alerts)"),
    )
    ALERT_MEDIAN_RESPONSE = "alert_median_response", _("Median alert response time (alerts)")
    HIGH_RISK_THREATS = "high_risk_threats", _("Open high-risk threats (threats)")
    ACTIVITIES = "activities", _("Protection activities conducted (activities)")
    PEOPLE_REACHED = "people_reached", _("People reached by activities (activities)")
    A4P_ELEMENTS_ON_TRACK = (
        "a4p_elements_on_track",
        _("A4P elements on track or achieved (commitments)"),
    )


class ObservationState(models.TextChoices):
    """Draft → submitted → validated, or returned for correction. Only validated values count
    in official figures; a validated value is locked until a POC adviser reopens it."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned for correction")


class TargetStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_TARGET = "no_target", _("No target")
    INCOMPLETE = "incomplete", _("Incomplete: too few reports validated")

    @property
    def css_class(self) -> str:
        return TARGET_STATUS_CSS[self]


TARGET_STATUS_CSS = {
    TargetStatus.ON_TRACK: "status-good",
    TargetStatus.AT_RISK: "status-warning",
    TargetStatus.OFF_TRACK: "status-bad",
    TargetStatus.NO_TARGET: "status-neutral",
    TargetStatus.INCOMPLETE: "status-neutral",
}


class PeriodKind(models.TextChoices):
    WEEK = "week", _("ISO week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class AreaLevel(models.IntegerChoices):
    """The level of the area hierarchy a rollup describes, from the whole mission down."""

    MISSION = 0, _("Whole mission")
    SECTOR = 1, _("Sector / region")
    AOR = 2, _("Area of responsibility")
    LOCALITY = 3, _("Locality")
