"""The task that runs an uploaded import: thin and id-driven, as every task here."""

from __future__ import annotations

from celery import shared_task

from .models import IncidentImport


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3900)
def run_import_task(import_id: int) -> str:
    """Run the import recorded as `import_id`, as the user who started it."""
    from .services import import_execute

    run = IncidentImport.objects.select_related("mission", "created_by").get(pk=import_id)
    assert run.created_by is not None
    import_execute(run=run, by=run.created_by)
    return run.status
