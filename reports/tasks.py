"""The jobs of the large exports: thin and id-driven."""

from __future__ import annotations

from celery import shared_task

from .models import ReportExport


@shared_task(acks_late=True, soft_time_limit=3600, time_limit=3900)
def build_export_task(export_id: int) -> str:
    from .services import export_build

    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    return export_build(export=export).status


@shared_task
def expire_exports_task() -> int:
    from .services import exports_expire

    return exports_expire()
