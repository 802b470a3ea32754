"""Start, run and finish imports: the one write path of the command, the API and the pages."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_create
from missions.models import Area, Mission
from missions.permissions import Verb, require

from .choices import ImportStatus
from .engine import IncidentImporter, Progress, file_checksum
from .models import IncidentImport
from .presets import MappingError, build_preset

if TYPE_CHECKING:
    from accounts.models import User

# Progress lives in the cache, not the run's row: the import's own transaction holds the row
# until it ends, and pollers must see progress meanwhile.
PROGRESS_KEY = "imports:progress:{pk}"
PROGRESS_SECONDS = 24 * 3600

logger = logging.getLogger(__name__)


@transaction.atomic
def import_create(
    *,
    by: User,
    mission: Mission,
    file: IO[bytes],
    file_name: str,
    preset: str,
    mapping: dict[str, Any] | None = None,
    keep_file: bool = True,
    run_later: bool = False,
    **options: Any,
) -> IncidentImport:
    """Record an import to run: check who may, the mapping and the file's size, keep the file.

    `options` are the run's choices (verification_status, source_type, source_reliability,
    create_areas, skip_bad_rows, missing, dry_run). The run starts with `import_execute`: at
    once (the command), or with `run_later` in a task once this commits (the API).
    """
    mapping = mapping or {}
    run = IncidentImport(
        mission=mission,
        created_by=by,
        preset=preset,
        mapping=mapping,
        file_name=file_name,
        **options,
    )
    require(by, Verb.CREATE, run)
    if run.create_areas:
        require(by, Verb.CREATE, Area(mission=mission))
    try:
        run.source_name = build_preset(preset, mapping, mission).source
    except MappingError as error:
        raise ValidationError({"mapping": str(error)}) from error
    run.checksum, run.file_size = file_checksum(file)
    if run.file_size > settings.IMPORT_MAX_FILE_SIZE:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_FILE_SIZE // (1024 * 1024)}
            }
        )
    run.full_clean(exclude=["file", "source_name"])
    if keep_file:
        run.file.save(Path(file_name).name, File(file), save=False)
    run.save()
    if run_later:
        from .tasks import run_import_task

        transaction.on_commit(partial(run_import_task.delay, run.pk), robust=True)
    return run


@transaction.atomic
def import_confirm(*, by: User, run: IncidentImport) -> IncidentImport:
    """Start the real import of a checked dry run: the same file and choices, written."""
    if not run.dry_run or run.status != ImportStatus.CHECKED or not run.file:
        raise ValidationError(_("Only a finished dry run of an uploaded file can be confirmed."))
    with run.file.open("rb") as stream:
        confirmed = import_create(
            by=by,
            mission=run.mission,
            file=stream,
            file_name=run.file_name,
            preset=run.preset,
            mapping=run.mapping,
            keep_file=False,
            run_later=True,
            verification_status=run.verification_status,
            source_type=run.source_type,
            source_reliability=run.source_reliability,
            create_areas=run.create_areas,
            skip_bad_rows=run.skip_bad_rows,
            missing=run.missing,
            dry_run=False,
        )
    confirmed.file.name = run.file.name  # the file already kept
    confirmed.confirms = run
    confirmed.save(update_fields=["file", "confirms"])
    return confirmed


@transaction.atomic
def import_execute(
    *,
    run: IncidentImport,
    by: User,
    stream: IO[bytes] | None = None,
    progress: Progress | None = None,
) -> IncidentImport:
    """Run a recorded import over its file (or `stream`, the command's local file).

    One transaction: the run is claimed by a conditional update, so a task delivered twice
    runs the import once, and the outcome is recorded with what it wrote.
    """
    require(by, Verb.CREATE, run)
    claimed = IncidentImport.objects.filter(pk=run.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:  # it ran already: a redelivered task does nothing
        run.refresh_from_db()
        return run
    run.status = ImportStatus.RUNNING

    def report(rows: int, position: int, total: int) -> None:
        cache.set(
            PROGRESS_KEY.format(pk=run.pk),
            {"rows": rows, "position": position, "total": total},
            PROGRESS_SECONDS,
        )
        if progress:
            progress(rows, position, total)

    def finish(status: str, counts: dict[str, int], outcome: dict[str, Any]) -> None:
        _finished(run=run, by=by, status=status, counts=counts, report=outcome)

    try:
        importer = IncidentImporter(run, by=by, finish=finish, progress=report)
        if stream is not None:
            importer.execute(stream, size=run.file_size)
        else:
            with run.file.open("rb") as kept:
                importer.execute(kept, size=run.file_size)
    except Exception:
        # the import's savepoint has rolled back: say so on the run, never leave it running
        logger.exception("import %s stopped on an unexpected error", run.pk)
        run.error = _("The import stopped on an unexpected error; nothing was written.")
        _finished(run=run, by=by, status=ImportStatus.REFUSED, counts={}, report={})
    return run


def import_progress(run: IncidentImport) -> dict[str, int] | None:
    """Where a running import has got to: rows read, and the position out of the total."""
    progress: dict[str, int] | None = cache.get(PROGRESS_KEY.format(pk=run.pk))
    return progress


def _finished(
    *,
    run: IncidentImport,
    by: User,
    status: str,
    counts: dict[str, int],
    report: dict[str, Any],
) -> None:
    """Record the outcome on the run; an import that wrote is on the audit trail, as one entry.

    The engine calls it inside the import's savepoint when it wrote, after rolling back when
    it wrote nothing.
    """
    run.status = status
    run.counts = counts
    run.report = report
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "counts", "report", "error", "finished_at", "updated_at"])
    if status == ImportStatus.IMPORTED:
        audit_create(by=by, instance=run)
    transaction.on_commit(lambda: cache.delete(PROGRESS_KEY.format(pk=run.pk)))
