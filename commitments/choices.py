from django.db import models
from django.utils.translation import gettext_lazy as _


class ImplementationStatus(models.TextChoices):
    """How far a mission has implemented an A4P commitment element."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    ACHIEVED = "achieved", _("Achieved")

    @property
    def css_class(self) -> str:
        return IMPLEMENTATION_STATUS_CSS[self]


IMPLEMENTATION_STATUS_CSS = {
    ImplementationStatus.NOT_STARTED: "status-neutral",
    ImplementationStatus.IN_PROGRESS: "status-info",
    ImplementationStatus.ON_TRACK: "status-good",
    ImplementationStatus.DELAYED: "status-bad",
    ImplementationStatus.ACHIEVED: "status-done",
}


class ActionStatus(models.TextChoices):
    """State of one planned action (commitment actions, threat response actions)."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
