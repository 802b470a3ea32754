"""Rates of the API's heavy requests: a batch of thousands of records is a costly write."""

from rest_framework.throttling import UserRateThrottle


class BatchRateThrottle(UserRateThrottle):
    """Batches a user may send, at the rate `API_BATCH_RATE` sets (a 429 past it)."""

    scope = "batch"
