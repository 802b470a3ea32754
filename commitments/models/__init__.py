from .frame import KeyElement, Paragraph, Phase, PriorityArea, Tier
from .implementation import CommitmentAction, CommitmentImplementation

__all__ = [
    "CommitmentAction",
    "CommitmentImplementation",
    "KeyElement",
    "Paragraph",
    "Phase",
    "PriorityArea",
    "Tier",
]
