"""The rollup engine: rebuild every figure, or refresh only the buckets a change touches.

Both run set-based SQL in the database (see `engine`) inside one transaction per mission, under
a per-mission lock, so readers see either the old or the new figures and two workers never
interleave. The Celery tasks and the `rollup` command call these two functions.
"""

from .ranges import BucketRange
from .service import rollup_rebuild, rollup_refresh

__all__ = ["BucketRange", "rollup_rebuild", "rollup_refresh"]
