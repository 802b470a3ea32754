from pathlib import Path
from typing import Any

import pytest

from accounts.models import User
from imports.models import IncidentImport
from imports.services import import_create, import_execute
from missions.models import Area, Mission
from tests.imports.files import HOST, build_mission_areas


@pytest.fixture
def mission(mission_a: Mission) -> Mission:
    mission_a.host_country = HOST
    mission_a.save(update_fields=["host_country"])
    return mission_a


@pytest.fixture
def areas(mission: Mission) -> dict[str, Area]:
    return build_mission_areas(mission)


def run_import(
    path: Path, *, by: User, mission: Mission, preset: str, **options: Any
) -> IncidentImport:
    """Import a file as the command does: recorded, then run at once over the local file."""
    with path.open("rb") as stream:
        run = import_create(
            by=by,
            mission=mission,
            file=stream,
            file_name=path.name,
            preset=preset,
            keep_file=False,
            **options,
        )
        import_execute(run=run, by=by, stream=stream)
    run.refresh_from_db()
    return run
