"""The rollup engine: rebuild every figure, or refresh only the buckets a change touches.

Both run set-based SQL in the database (see `engine`) inside one transaction per mission, under
a per-mission lock, so readers see either the old or the new figures and two workers never
interleave. The Celery tasks and the `rollup` command call these two functions.
"""

from .ranges import BucketRange
from .service import missions_due_a_new_day, rollup_rebuild, rollup_refresh, rollup_roll_day

__all__ = [
    "BucketRange",
    "missions_due_a_new_day",
    "rollup_rebuild",
    "rollup_refresh",
    "rollup_roll_day",
]
