"""Rebuild rollups from the records: every mission, or one."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from indicators.rollups import rollup_rebuild
from missions.models import Mission


class Command(BaseCommand):
    help = "Rebuild the rollups of every mission, or of one (--mission ACRONYM), from scratch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mission", help="Acronym of the one mission to rebuild.")

    def handle(self, *args: Any, **options: Any) -> None:
        missions = Mission.objects.order_by("acronym")
        if options["mission"]:
            missions = missions.filter(acronym__iexact=options["mission"])
            if not missions:
                raise CommandError(f"No mission with the acronym {options['mission']!r}.")
        started, written = time.monotonic(), 0
        show = options["verbosity"] > 0
        with tqdm(list(missions), unit="mission", file=self.stdout, disable=not show) as bar:
            if options["mission"]:
                for mission in bar:
                    bar.set_description(mission.acronym)
                    written += rollup_rebuild(mission=mission)
            else:  # all at once: a fresh table swapped in, no dead rows left behind

                def advance(mission: Mission, rows: int) -> None:
                    bar.set_description(mission.acronym)
                    bar.update(1)

                written = rollup_rebuild(progress=advance)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {written:,} rollup rows for {len(missions)} missions "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
