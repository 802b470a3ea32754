"""Pages of the API's lists: at most 1,000 items a page."""

from rest_framework import pagination

MAX_PAGE_SIZE = 1000


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """For the lists a mission keeps short (missions, areas, threats, the catalogue)."""

    default_limit = 100
    max_limit = MAX_PAGE_SIZE


class CursorPagination(pagination.CursorPagination):
    """For the lists that grow without end (incidents, alerts, observations, rollups, the audit
    trail): a cursor stays stable while records are added, and costs no COUNT."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-pk"
