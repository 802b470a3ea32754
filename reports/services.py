"""Request, make and expire the large exports: the one write path of the API and the tasks."""

from __future__ import annotations

import datetime
import logging
import tempfile
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missions.permissions import can_view_somewhere

from .choices import ExportFormat, ExportStatus
from .exports import export_rows, write_export
from .models import ReportExport
from .selectors import report_missions

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def export_request(*, by: User, format: str) -> ReportExport:
    """Ask for the export; a job makes it once this commits."""
    if not can_view_somewhere(by):
        raise PermissionDenied(_("You may not read any mission's figures."))
    export = ReportExport(requested_by=by, format=format)
    export.full_clean()
    export.save()
    from .tasks import build_export_task

    transaction.on_commit(partial(build_export_task.delay, export.pk), robust=True)
    return export


def export_build(*, export: ReportExport) -> ReportExport:
    """Make the export's file, with what its requester may read now."""
    claimed = ReportExport.objects.filter(pk=export.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:  # made already, or being made: a redelivered task does nothing
        export.refresh_from_db()
        return export
    user = export.requested_by
    hxl = export.format == ExportFormat.HXL
    try:
        missions = report_missions(user)
        rows, left_out = export_rows(user, missions, hxl=hxl)
        with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as out:
            export.rows = write_export(rows, out, hxl=hxl)
            out.seek(0)
            name = f"poc-figures-{timezone.now():%Y%m%d-%H%M}{'-hxl' if hxl else ''}.csv"
            export.file.save(name, File(out), save=False)
        export.missions = [m.acronym for m in missions]
        export.sensitive_left_out = left_out
        export.status = ExportStatus.READY
        export.expires_at = timezone.now() + datetime.timedelta(hours=settings.REPORT_EXPORT_HOURS)
    except Exception:
        logger.exception("export %s failed", export.pk)
        export.status = ExportStatus.FAILED
        export.error = _("The export could not be made; ask for it again.")
    export.finished_at = timezone.now()
    export.save()
    return export


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of the exports past their time; return how many."""
    now = now or timezone.now()
    expired = 0
    for export in ReportExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        export.file.delete(save=False)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["file", "status"])
        expired += 1
    return expired
