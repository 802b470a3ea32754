from .calendar import CalendarDay
from .catalogue import Indicator, IndicatorTarget
from .observations import Observation, ObservationTransition, ObservationValue
from .rollups import PendingRollupWork, Rollup, RollupDay, RollupStamp

__all__ = [
    "CalendarDay",
    "Indicator",
    "IndicatorTarget",
    "Observation",
    "ObservationTransition",
    "ObservationValue",
    "PendingRollupWork",
    "Rollup",
    "RollupDay",
    "RollupStamp",
]
