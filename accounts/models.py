from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import GlobalRole
from .querysets import UserManager


class User(AbstractUser):
    """A person who signs in: mission staff, Secretariat analysts or administrators.

    Mission staff get their access from memberships, one role per mission. The Secretariat reads
    every mission and writes nothing; administrators manage users and reference data everywhere.
    """

    global_role = models.CharField(
        _("global role"),
        max_length=20,
        choices=GlobalRole.choices,
        default=GlobalRole.NONE,
        blank=True,
        help_text=_("Leave empty for mission staff; their access comes from memberships."),
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta(AbstractUser.Meta):
        # the stubs type AbstractUser.Meta's names as plain text; Django takes lazy text too
        verbose_name = _("user")  # type: ignore[assignment]  # lazy text, see above
        verbose_name_plural = _("users")  # type: ignore[assignment]  # lazy text, see above
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(global_role__in=GlobalRole.values),
                name="accounts_user_global_role_valid",
            ),
        ]

    @property
    def is_secretariat(self) -> bool:
        return self.global_role == GlobalRole.SECRETARIAT

    @property
    def is_administrator(self) -> bool:
        return self.global_role == GlobalRole.ADMINISTRATOR or self.is_superuser
