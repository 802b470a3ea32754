"""Demo logins: one user per mission role in each mission, the Secretariat and an administrator.

Every demo login shares one documented password. Users and memberships are fetched or created,
never updated, so a second run leaves them as they are.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.hashers import make_password

from accounts.choices import GlobalRole
from accounts.models import User
from missions.choices import MissionRole
from missions.models import Membership, Mission

# the one documented password of every demo login
DEMO_PASSWORD = "demo-pass-2026"  # nosec B105

ROLE_USERNAMES = {
    MissionRole.LEADERSHIP: "leadership",
    MissionRole.POC_ADVISER: "poc",
    MissionRole.JMAC_ANALYST: "jmac",
    MissionRole.JOC_OFFICER: "joc",
    MissionRole.SECTION_STAFF: "section",
}

# One person working in two missions, with a different role in each.
MULTI_MISSION_USER = "poc-multi"
MULTI_MISSION_ROLES = {"MONUSCO": MissionRole.POC_ADVISER, "MINUSCA": MissionRole.JMAC_ANALYST}


class DemoUsers:
    """Fetches or creates the demo logins of one run."""

    @cached_property
    def password_hash(self) -> str:
        # Hashing is deliberately slow: every user of a run shares one hash, made only if needed.
        return make_password(DEMO_PASSWORD)

    def ensure_global(self) -> list[User]:
        """The Secretariat analyst and the administrator, who span every mission."""
        return [
            self._user("secretariat", "Secretariat", "analyst", global_role=GlobalRole.SECRETARIAT),
            self._user(
                "admin",
                "System",
                "administrator",
                global_role=GlobalRole.ADMINISTRATOR,
                is_superuser=True,
            ),
        ]

    def ensure_for(self, mission: Mission) -> dict[str, int]:
        """A user for every mission role (and the multi-mission user); role → user pk."""
        users: dict[str, int] = {}
        for role, suffix in ROLE_USERNAMES.items():
            user = self._user(
                f"{mission.acronym.lower()}-{suffix}", str(role.label), mission.acronym
            )
            Membership.objects.get_or_create(user=user, mission=mission, defaults={"role": role})
            users[role] = user.pk
        if mission.acronym in MULTI_MISSION_ROLES:
            user = self._user(MULTI_MISSION_USER, "POC", "officer (two missions)")
            role = MULTI_MISSION_ROLES[mission.acronym]
            Membership.objects.get_or_create(user=user, mission=mission, defaults={"role": role})
        return users

    def _user(self, username: str, first_name: str, last_name: str, **fields: object) -> User:
        user: User
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "password": self.password_hash,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.invalid",
                "is_staff": True,
                **fields,
            },
        )
        return user


def demo_logins(acronyms: list[str]) -> list[tuple[str, str]]:
    """(username, what it shows) for every demo login of these missions."""
    logins = [("admin", "administrator, all missions"), ("secretariat", "Secretariat, reads all")]
    for acronym in acronyms:
        logins += [
            (f"{acronym.lower()}-{suffix}", f"{role.label}, {acronym}")
            for role, suffix in ROLE_USERNAMES.items()
        ]
    roles = [f"{role.label} {acronym}" for acronym, role in MULTI_MISSION_ROLES.items()]
    if set(MULTI_MISSION_ROLES) <= set(acronyms):
        logins.append((MULTI_MISSION_USER, " and ".join(roles)))
    return logins
