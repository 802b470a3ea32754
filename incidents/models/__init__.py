from .casualties import CasualtyCounts
from .incidents import GraveViolation, Incident

__all__ = ["CasualtyCounts", "GraveViolation", "Incident"]
