from .catalogue import Indicator, IndicatorTarget
from .observations import Observation, ObservationTransition, ObservationValue

__all__ = [
    "Indicator",
    "IndicatorTarget",
    "Observation",
    "ObservationTransition",
    "ObservationValue",
]
