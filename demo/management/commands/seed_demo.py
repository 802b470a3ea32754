"""`manage.py seed_demo`: realistic, deterministic demo data, and benchmark data at scale."""

from __future__ import annotations

import argparse
import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils import timezone
from tqdm import tqdm

from core.validators import record_dates_window
from demo.generator import (
    DELETED,
    DEMO_PASSWORD,
    KEPT,
    SKIPPED,
    ReferenceDataMissing,
    SeedOptions,
    SeedResult,
    Step,
    demo_logins,
    last_completed_month_end,
    seed,
)
from indicators.rollups import rollup_rebuild
from missions.models import Mission

EVENTS = {
    SKIPPED: "exists already, skipped",
    DELETED: "deleted",
    KEPT: "holds data that is not demo data, not deleted",
}


def _require_valid_dates(options: SeedOptions) -> None:
    """Refuse a span whose records users could not enter: the generated due and review dates
    run up to six months past the last day, so that day may not be after today."""
    first, _ = record_dates_window()
    if options.start < first or options.end > timezone.localdate():
        raise CommandError(
            f"The records would run from {options.start} to {options.end}; they must start on "
            f"or after {first} (RECORD_DATES_FROM) and end by today."
        )


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


class Command(BaseCommand):
    help = (
        "Generate demo data: missions with their areas, users for every role, threats, "
        "incidents, alerts, activities, A4P commitments, indicator targets and observations. "
        "The same options always give the same data; missions that exist are skipped, so a "
        f"second run changes nothing. Every demo login's password is {DEMO_PASSWORD}."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        defaults = SeedOptions(end=datetime.date.min)
        parser.add_argument(
            "--missions", type=positive, default=defaults.missions, help="Number of missions."
        )
        parser.add_argument(
            "--years", type=positive, default=defaults.years, help="Years of records."
        )
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            help="Last day of the records (YYYY-MM-DD). Default: end of last month.",
        )
        parser.add_argument(
            "--seed", type=int, default=defaults.seed, help="Seed of the random numbers."
        )
        for name in ("incidents", "alerts", "activities", "observations"):
            parser.add_argument(
                f"--{name}",
                type=not_negative,
                default=getattr(defaults, name),
                help=f"Total {name} across all missions (default {getattr(defaults, name)}).",
            )
        parser.add_argument(
            "--localities",
            type=positive,
            default=defaults.localities,
            help="Localities per area of responsibility, at least (more are added when the "
            "observations need them).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo missions first, then generate."
        )
        parser.add_argument(
            "--no-rollups",
            action="store_true",
            help="Do not compute the created missions' rollups (the benchmark times that itself).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing but errors.")

    def handle(self, *args: Any, **opts: Any) -> None:
        options = SeedOptions(
            end=opts["end"] or last_completed_month_end(timezone.localdate()),
            **{
                name: opts[name]
                for name in (
                    "missions", "years", "seed", "incidents", "alerts", "activities",
                    "observations", "localities",
                )
            },
        )  # fmt: skip
        _require_valid_dates(options)
        quiet = opts["quiet"]
        if not quiet:
            self.stdout.write(
                f"Seeding {_missions(options.missions)}, {options.start} to {options.end} "
                f"(seed {options.seed})."
            )
        started = time.monotonic()
        progress = None if quiet else ProgressPrinter(self.stdout)
        try:
            result = seed(options=options, reset=opts["reset"], progress=progress)
        except ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        if result.created and not opts["no_rollups"]:
            # bulk-created records enqueue nothing: compute the new missions' figures now
            for mission in Mission.objects.filter(acronym__in=result.created):
                written = rollup_rebuild(mission=mission)
                if not quiet:
                    self.stdout.write(f"{mission}: {written:,} rollup rows")
        if not quiet:
            self._summary(result, time.monotonic() - started)

    def _summary(self, result: SeedResult, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {_missions(len(result.created))}, skipped {len(result.skipped)}, "
                f"in {seconds:,.1f} s."
            )
        )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, what in demo_logins(result.created + result.skipped):
            self.stdout.write(f"  {username:<20} {what}")


def _missions(count: int) -> str:
    return f"{count} mission" if count == 1 else f"{count} missions"


class ProgressPrinter:
    """Prints one line per finished stage, with a progress bar while it runs on a terminal."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out
        self.bars = out.isatty()
        self.bar: tqdm[Any] | None = None

    def __call__(self, step: Step) -> None:
        if step.stage in EVENTS:
            self.out.write(f"{step.mission}: {EVENTS[step.stage]}")
            return
        if self.bars and self.bar is None and step.done < step.total:
            self.bar = tqdm(
                total=step.total,
                desc=f"{step.mission} {step.stage}",
                file=_TqdmFile(self.out),
                leave=False,
                unit=" rows",
            )
        if self.bar is not None:
            self.bar.update(step.done - self.bar.n)
        if step.done >= step.total:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            self.out.write(f"{step.mission}: {step.done:,} {step.stage}")


class _TqdmFile:
    """Lets tqdm draw on the command's stdout without the line ending it adds to each write."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()
