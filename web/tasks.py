"""The browser app's scheduled jobs."""

from __future__ import annotations

import logging

from celery import shared_task

from .digest import digest_send

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_digests_task() -> int:
    """Send the daily "what needs me" digests; a rerun the same day sends them again, which is
    harmless (the same list), so the task keeps no record of what it sent."""
    sent = digest_send()
    logger.info("sent %d digests", sent)
    return sent
