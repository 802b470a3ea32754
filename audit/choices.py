from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What a write did to a record: the three plain writes, then the workflow verbs."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    SUBMIT = "submit", _("Submitted")
    VALIDATE = "validate", _("Validated")
    RETURN = "return", _("Returned")
    REOPEN = "reopen", _("Reopened")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    RESPOND = "respond", _("Response recorded")
    CLOSE = "close", _("Closed")
    MOVE = "move", _("Moved")


# A transition is worth an entry even when only its state moved, or nothing else did.
WORKFLOW_ACTIONS = frozenset(AuditAction) - {
    AuditAction.CREATE,
    AuditAction.UPDATE,
    AuditAction.DELETE,
}
