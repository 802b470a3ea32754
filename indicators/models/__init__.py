from .calendar import CalendarDay
from .catalogue import Indicator, IndicatorTarget
from .observations import Observation, ObservationTransition, ObservationValue
from .rollups import Rollup, RollupDay, RollupStamp

__all__ = [
    "CalendarDay",
    "Indicator",
    "IndicatorTarget",
    "Observation",
    "ObservationTransition",
    "ObservationValue",
    "Rollup",
    "RollupDay",
    "RollupStamp",
]
