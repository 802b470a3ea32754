import pytest

from accounts.choices import GlobalRole
from accounts.models import User
from tests.factories.accounts import UserFactory
from tests.integrity import rejected_by

pytestmark = pytest.mark.django_db


def test_user_global_role_must_be_known() -> None:
    user = UserFactory()

    with rejected_by("accounts_user_global_role_valid"):
        User.objects.filter(pk=user.pk).update(global_role="commander")


@pytest.mark.parametrize(
    ("global_role", "is_superuser", "secretariat", "administrator"),
    [
        (GlobalRole.NONE, False, False, False),
        (GlobalRole.SECRETARIAT, False, True, False),
        (GlobalRole.ADMINISTRATOR, False, False, True),
        (GlobalRole.NONE, True, False, True),
    ],
)
def test_user_global_role_flags(
    global_role: str, is_superuser: bool, secretariat: bool, administrator: bool
) -> None:
    user = UserFactory.build(global_role=global_role, is_superuser=is_superuser)

    assert (user.is_secretariat, user.is_administrator) == (secretariat, administrator)
