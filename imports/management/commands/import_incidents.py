"""Import a file of conflict events (UCDP GED, ACLED, or any CSV or XLSX with a mapping)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accounts.models import User
from imports.choices import ImportStatus, MissingEvents, Preset
from imports.services import import_create, import_execute
from incidents.choices import SourceReliability, SourceType, VerificationStatus
from missions.models import Mission


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX file of events into a mission."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--mission", required=True, help="The mission's acronym.")
        parser.add_argument("--preset", choices=Preset.values, default=Preset.GENERIC)
        parser.add_argument("--mapping", help="A JSON file: columns, places, values, constants.")
        parser.add_argument(
            "--create-areas", action="store_true", help="Create the areas the file names."
        )
        parser.add_argument(
            "--verification",
            choices=VerificationStatus.values,
            default=VerificationStatus.REPORTED,
            help="Verification status of the incidents created (default: reported).",
        )
        parser.add_argument(
            "--source-type", choices=SourceType.values, default=SourceType.OPEN_DATA
        )
        parser.add_argument(
            "--reliability", choices=SourceReliability.values, default=SourceReliability.F
        )
        parser.add_argument(
            "--skip-bad-rows", action="store_true", help="Import the good rows, list the bad."
        )
        parser.add_argument(
            "--missing",
            choices=MissingEvents.values,
            default=MissingEvents.LIST,
            help="Events an earlier import brought that the file lacks: list or retire them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--user", help="Username the import runs as (default: the first superuser)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        mission = Mission.objects.filter(acronym__iexact=options["mission"]).first()
        if mission is None:
            raise CommandError(f"No mission {options['mission']}.")
        by = self._user(options["user"])
        mapping: dict[str, Any] = {}
        if options["mapping"]:
            try:
                mapping = json.loads(Path(options["mapping"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"The mapping cannot be read: {error}") from error
        with path.open("rb") as stream:
            try:
                run = import_create(
                    by=by,
                    mission=mission,
                    file=stream,
                    file_name=path.name,
                    preset=options["preset"],
                    mapping=mapping,
                    keep_file=False,
                    verification_status=options["verification"],
                    source_type=options["source_type"],
                    source_reliability=options["reliability"],
                    create_areas=options["create_areas"],
                    skip_bad_rows=options["skip_bad_rows"],
                    missing=options["missing"],
                    dry_run=options["dry_run"],
                )
            except (ValidationError, PermissionDenied) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
            with tqdm(
                total=run.file_size,
                unit="B",
                unit_scale=True,
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            ) as bar:

                def progress(rows: int, position: int, total: int) -> None:
                    bar.total = total
                    bar.n = position
                    bar.set_postfix(rows=rows, refresh=False)
                    bar.refresh()

                import_execute(run=run, by=by, stream=stream, progress=progress)
        self._summary(run)
        if run.status == ImportStatus.REFUSED:
            raise CommandError("Nothing was imported.")

    def _user(self, username: str | None) -> User:
        if username:
            user: User | None = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username}.")
            return user
        first: User | None = (
            User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if first is None:
            raise CommandError("No superuser to run the import as: give --user.")
        return first

    def _summary(self, run: Any) -> None:
        counts, report = run.counts, run.report
        write = self.stdout.write
        write(f"{run.file_name}: {run.get_status_display()}")
        if run.error:
            write(self.style.ERROR(run.error))
        for name in (
            "rows",
            "created",
            "updated",
            "unchanged",
            "unplaced",
            "bad",
            "missing",
            "retired",
        ):
            if name in counts:
                write(f"  {name:<10} {counts[name]:>8}")
        for how, number in sorted((report.get("placed_by") or {}).items()):
            write(f"  placed by {how}: {number}")
        for area in report.get("areas_created") or []:
            write(f"  area created: {area['kind']} {area['name']} (in {area['parent'] or '—'})")
        for name, number in list((report.get("unmatched_places") or {}).items())[:20]:
            write(f"  not found in the mission: {name} ({number} rows)")
        for error in report.get("errors") or []:
            column = f", column {error['column']}" if error["column"] else ""
            write(self.style.WARNING(f"  line {error['line']}{column}: {error['reason']}"))
        missing = report.get("missing") or []
        if missing:
            more = " …" if len(missing) > 20 else ""
            write(f"  no longer in the file: {', '.join(missing[:20])}{more}")
