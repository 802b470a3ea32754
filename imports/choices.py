from django.db import models
from django.utils.translation import gettext_lazy as _


class Preset(models.TextChoices):
    """The shapes of file an import reads: the two public datasets, or any with a mapping."""

    UCDP_GED = "ucdp-ged", _("UCDP Georeferenced Event Dataset (GED)")
    ACLED = "acled", _("ACLED")
    GENERIC = "generic", _("Any file, with a mapping")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    CHECKED = "checked", _("Checked (dry run): nothing written")
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused: nothing written")

    @property
    def is_finished(self) -> bool:
        return self not in {ImportStatus.QUEUED, ImportStatus.RUNNING}


class MissingEvents(models.TextChoices):
    """What becomes of the events an earlier import brought and this file no longer holds."""

    LIST = "list", _("List them")
    RETIRE = "retire", _("Retire them (marked discredited)")
