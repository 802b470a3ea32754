"""List every pinned requirement that lags the newest patch release of its series.

    python .ci/deps_check.py requirements.txt requirements-dev.txt

For each `name==X.Y.Z` pin it asks the package index (`pip index versions`) and reports the
pins for which a newer X.Y.* release exists. Exit status 1 when some lag, 0 when none do; the
index unreachable for a package is reported, not fatal. pip-audit's vulnerability database is
not reachable from every machine; where it is, run `pip-audit -r requirements.txt` as well.
"""

from __future__ import annotations

import re
import subprocess  # nosec B404
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.\[\],-]+)==([0-9][^\s;#]*)")


def release(version: str) -> tuple[int, ...] | None:
    """A plain release's numbers ("4.2.1" → (4, 2, 1)); None for pre-releases and the like."""
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        return None
    return tuple(int(part) for part in version.split("."))


def pins(files: list[str]) -> list[tuple[str, str]]:
    found = []
    for file in files:
        for line in Path(file).read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                found.append((match[1].split("[")[0], match[2]))
    return found


def available(name: str) -> list[str] | None:
    # a fixed command; the name comes from our own requirements files
    result = subprocess.run(  # nosec B603
        [sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Available versions: (.*)", result.stdout)
    return [v.strip() for v in match[1].split(",")] if match else None


def main(files: list[str]) -> int:
    lagging = 0
    for name, pinned in pins(files):
        current = release(pinned)
        versions = available(name)
        if versions is None:
            print(f"{name}=={pinned}: the index did not answer")
            continue
        if current is None:
            continue
        series = [v for v in versions if (r := release(v)) and r[:2] == current[:2] and r > current]
        if series:
            lagging += 1
            newest = max(series, key=lambda v: release(v) or ())
            print(f"{name}=={pinned}: {newest} is out")
    print(f"{lagging} pin(s) lag the newest patch release of their series")
    return 1 if lagging else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements.txt", "requirements-dev.txt"]))
