from django.db import models
from django.utils.translation import gettext_lazy as _


class GlobalRole(models.TextChoices):
    """Roles that span every mission; mission roles live on memberships."""

    NONE = "", _("None (mission roles only)")
    SECRETARIAT = "secretariat", _("Secretariat")
    ADMINISTRATOR = "administrator", _("Administrator")
