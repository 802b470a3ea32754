"""Write docs/indicators.md from the catalogue, or check that the committed file is current."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.documentation import render_markdown
from indicators.models import Indicator

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "indicators.md"
# Enough of a stale file's diff to see what changed without flooding the CI log.
DIFF_LINES = 60


class Command(BaseCommand):
    help = (
        "Write the indicator reference (docs/indicators.md) from the migrated catalogue, or "
        "with --check fail when the file differs from it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="File to write.")
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if the file is stale."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        indicators = Indicator.objects.select_related("key_element__paragraph", "tier")
        expected = render_markdown(indicators)
        if not options["check"]:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(expected, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(indicators)} indicators)."))
            return
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current == expected:
            self.stdout.write(self.style.SUCCESS(f"{output} is current."))
            return
        diff = list(
            difflib.unified_diff(
                current.splitlines(),
                expected.splitlines(),
                f"{output} (committed)",
                f"{output} (from the catalogue)",
                lineterm="",
            )
        )
        shown = diff[:DIFF_LINES]
        if len(diff) > DIFF_LINES:
            shown.append(f"… {len(diff) - DIFF_LINES} more diff lines")
        self.stderr.write("\n".join(shown))
        raise CommandError(
            f"{output} is stale: run `make docs` (manage.py document_indicators) and commit it."
        )
