from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    HXL = "hxl", _("HXL-tagged CSV")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired: its file is deleted")
