"""Read a file of events into a mission's incidents: all of it, or nothing, in one pass.

The file is streamed: rows are read, placed and checked in chunks, each chunk's stored events
looked up in one query, and its new and changed incidents written through the incidents'
service, all in one savepoint that is rolled back whenever nothing is to be written. A bad row
(a bad date, a negative count, an unknown code) is recorded with its line, column and reason;
unless the import skips bad rows, one is enough to write nothing, but the whole file is still
read so that the report names every one. A dry run reads, places and checks everything,
reports what it would create, update and leave unchanged, and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_snapshot
from core.batches import CHUNK, clean_new
from incidents.choices import VerificationStatus
from incidents.models import Incident
from incidents.services import incident_import_write, incident_update
from indicators.services.rollups import mission_rollups_changed
from missions.permissions import Action

from .choices import ImportStatus, MissingEvents
from .places import PlaceFinder
from .presets import Base, Draft, RowError, build_preset
from .readers import EXTRA, FileError, Table, open_table

if TYPE_CHECKING:
    from accounts.models import User

    from .models import IncidentImport

# A report keeps this many bad rows and missing events in full; the counts are always whole.
REPORT_LIMIT = 1000
# Beyond this many incidents written, the mission's figures are rebuilt once at the end rather
# than refreshed bucket by bucket: an import's events span years and every area, and refreshing
# 500 of them over decades (benchmarks/imports.py) took longer than rebuilding the mission.
REBUILD_FROM = 500

Progress = Callable[[int, int, int], None]  # rows read, position, total
Finish = Callable[[str, dict[str, int], dict[str, Any]], None]  # status, counts, report


@dataclass
class Outcome:
    """What an import did, or would do: the counts and the report it leaves on its run."""

    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("rows", "created", "updated", "unchanged", "unplaced", "bad", "missing", "retired"),
            0,
        )
    )
    errors: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def bad(self, line: int, column: str, reason: str) -> None:
        if len(self.errors) < REPORT_LIMIT:
            self.errors.append({"line": line, "column": column, "reason": reason})

    def bad_row(self, line: int, errors: list[tuple[str, str]]) -> None:
        self.counts["bad"] += 1
        for column, reason in errors:
            self.bad(line, column, reason)


class _Refused(Exception):
    """Leaves the import's transaction, rolling back everything it wrote."""


def file_checksum(stream: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 and size of a file, read in blocks; the stream is left at its start."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    stream.seek(0)
    return digest.hexdigest(), size


class IncidentImporter:
    """One run of an import over one file, for the user who started it."""

    def __init__(
        self,
        run: IncidentImport,
        *,
        by: User,
        finish: Finish,
        progress: Progress | None = None,
    ) -> None:
        self.run = run
        self.by = by
        self.finish = finish
        self.progress = progress
        self.outcome = Outcome()
        self.preset: Base = build_preset(run.preset, run.mapping, run.mission)
        self.mission = run.mission
        self.written = 0
        self.rebuilding = False
        self.seen: dict[str, int] = {}  # event id → its line, for repeats and missing events
        self.finder: PlaceFinder | None = None

    @property
    def writing(self) -> bool:
        """Whether rows are still written: not in a dry run, nor once a bad row refuses all."""
        return not self.run.dry_run and (self.run.skip_bad_rows or not self.outcome.counts["bad"])

    def execute(self, stream: IO[bytes], *, size: int) -> str:
        """Read the file and write its events; return the run's final status.

        Everything is written in one savepoint, rolled back for a dry run, a file that cannot
        be read, or any bad row when bad rows are not skipped.
        """
        try:
            with transaction.atomic():
                table = open_table(stream, size=size, sheet=self.preset.sheet)
                self._check_columns(table)
                self.finder = PlaceFinder(
                    mission=self.mission,
                    by=self.by,
                    create=self.run.create_areas,
                    max_distance_km=self.preset.max_distance_km
                    or settings.IMPORT_NEAREST_LOCALITY_KM,
                )
                self._read(table)
                self._missing()
                if not self.writing:  # a dry run, or a bad row refusing all
                    raise _Refused
                if self.rebuilding:
                    mission_rollups_changed(mission_id=self.mission.pk)
                self._finish(ImportStatus.IMPORTED)
                return ImportStatus.IMPORTED
        except _Refused:
            status = ImportStatus.CHECKED if self.run.dry_run else ImportStatus.REFUSED
        except FileError as error:
            self.run.error = str(error)
            status = ImportStatus.REFUSED
        self._finish(status)
        return status

    def _check_columns(self, table: Table) -> None:
        present = {column.casefold() for column in table.columns}
        lacking = sorted(self.preset.columns_needed() - present)
        if lacking:
            raise FileError(
                _("The file lacks the columns %(columns)s.") % {"columns": ", ".join(lacking)}
            )

    def _read(self, table: Table) -> None:
        chunk: list[Draft] = []
        for line, values in table.rows:
            self.outcome.counts["rows"] += 1
            draft = self._draft(line, values)
            if draft is not None:
                chunk.append(draft)
            if len(chunk) >= CHUNK:
                self._write(chunk)
                chunk = []
                if self.progress:
                    self.progress(self.outcome.counts["rows"], table.position(), table.total)
        self._write(chunk)
        if self.progress:
            self.progress(self.outcome.counts["rows"], table.total, table.total)

    def _draft(self, line: int, values: dict[str, str]) -> Draft | None:
        extra = values.pop(EXTRA, None)
        if extra is not None:
            self.outcome.bad_row(line, [("", self._shape_error(extra))])
            return None
        try:
            draft = self.preset.read(line, values)
        except RowError as error:
            self.outcome.bad_row(line, error.errors)
            return None
        first = self.seen.setdefault(draft.external_id, line)
        if first != line:
            self.outcome.bad_row(
                line,
                [
                    (
                        self.preset.id_column,
                        _("The event id %(id)s repeats line %(line)s.")
                        % {"id": draft.external_id[:100], "line": first},
                    )
                ],
            )
            return None
        return draft

    @staticmethod
    def _shape_error(extra: str) -> str:
        count = int(extra[1:])
        if extra.startswith("-"):
            return _("The row ends early: %(count)s values fewer than the columns.") % {
                "count": count
            }
        return _("The row has %(count)s values more than the columns.") % {"count": count}

    def _write(self, drafts: list[Draft]) -> None:
        """Place, check and write one chunk of rows."""
        if not drafts:
            return
        ids = [draft.external_id for draft in drafts]
        stored = {
            incident.external_id: incident
            for incident in Incident.objects.filter(
                mission=self.mission, external_source=self.preset.source, external_id__in=ids
            )
        }
        changeable = set(
            Incident.objects.for_user(self.by, Action.LOG)
            .filter(pk__in=[incident.pk for incident in stored.values()])
            .values_list("pk", flat=True)
        )
        created: list[Incident] = []
        changed: list[tuple[Incident, dict[str, Any]]] = []
        for draft in drafts:
            try:
                area = self.finder.place(draft.place) if self.finder else None
            except ValidationError as error:
                self.outcome.bad_row(draft.line, [("", " ".join(error.messages))])
                continue
            if area is None:
                self.outcome.counts["unplaced"] += 1
            existing = stored.get(draft.external_id)
            if existing is not None and existing.pk not in changeable:
                self.outcome.bad_row(
                    draft.line,
                    [
                        (
                            self.preset.id_column,
                            _("This event is on record and you may not change it."),
                        )
                    ],
                )
                continue
            incident = existing or self._new(draft)
            before = audit_snapshot(incident, links=False) if existing else None
            incident.area = area
            for name, value in draft.fields.items():
                setattr(incident, name, value)
            try:
                clean_new(incident)
            except ValidationError as error:
                self.outcome.bad_row(draft.line, self._field_errors(draft, error))
                continue
            if existing is None:
                created.append(incident)
                self.outcome.counts["created"] += 1
            elif before is not None and before != audit_snapshot(incident, links=False):
                changed.append((incident, before))
                self.outcome.counts["updated"] += 1
            else:
                self.outcome.counts["unchanged"] += 1
        if self.writing and (created or changed):
            self.written += len(created) + len(changed)
            if not self.rebuilding and self.written > REBUILD_FROM:
                self.rebuilding = True
            incident_import_write(
                by=self.by,
                run=self.run,
                created=created,
                changed=changed,
                refresh=not self.rebuilding,
            )

    def _new(self, draft: Draft) -> Incident:
        run = self.run
        return Incident(
            mission=self.mission,
            reported_by=self.by,
            external_source=self.preset.source,
            external_id=draft.external_id,
            verification_status=run.verification_status,
            source_type=run.source_type,
            source_reliability=run.source_reliability,
        )

    @staticmethod
    def _field_errors(draft: Draft, error: ValidationError) -> list[tuple[str, str]]:
        if not hasattr(error, "error_dict"):
            return [("", " ".join(error.messages))]
        return [
            (draft.columns.get(name, name if name != "__all__" else ""), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]

    def _missing(self) -> None:
        """List, or retire, the events an earlier import brought and this file lacks: among
        those its user may change (a restricted event they may not see stays out of both)."""
        earlier = (
            Incident.objects.for_user(self.by, Action.LOG)
            .filter(mission=self.mission, external_source=self.preset.source)
            .exclude(verification_status=VerificationStatus.DISCREDITED)
            .order_by("external_id")
            .values_list("pk", "external_id")
        )
        gone = [(pk, eid) for pk, eid in earlier.iterator() if eid not in self.seen]
        self.outcome.counts["missing"] = len(gone)
        self.outcome.missing = [eid for _pk, eid in gone[:REPORT_LIMIT]]
        if self.run.missing != MissingEvents.RETIRE or not self.writing:
            return
        for chunk_start in range(0, len(gone), CHUNK):
            pks = [pk for pk, _eid in gone[chunk_start : chunk_start + CHUNK]]
            for incident in Incident.objects.filter(pk__in=pks).order_by("external_id"):
                incident_update(
                    incident=incident,
                    by=self.by,
                    data={"verification_status": VerificationStatus.DISCREDITED},
                )
                self.outcome.counts["retired"] += 1

    def _finish(self, status: str) -> None:
        """Hand the outcome to the service, inside the import's transaction when it wrote."""
        finder = self.finder
        report: dict[str, Any] = {"errors": self.outcome.errors, "missing": self.outcome.missing}
        if finder is not None:
            report |= {
                "placed_by": dict(finder.counts.by),
                "unmatched_places": dict(finder.counts.unmatched.most_common(REPORT_LIMIT)),
                "areas_created": finder.counts.created[:REPORT_LIMIT],
            }
        self.finish(status, self.outcome.counts, report)
