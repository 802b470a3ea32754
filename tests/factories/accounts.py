"""Users. Mission staff get their role through a membership (see `tests.factories.missions`)."""

import factory

from accounts.choices import GlobalRole
from accounts.models import User

PASSWORD = "test-pass"


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)
    global_role = GlobalRole.NONE

    class Meta:
        model = User
        django_get_or_create = ("username",)


class SecretariatFactory(UserFactory):
    username = factory.Sequence(lambda n: f"secretariat-{n}")
    global_role = GlobalRole.SECRETARIAT


class AdministratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"administrator-{n}")
    global_role = GlobalRole.ADMINISTRATOR
    is_staff = True
    is_superuser = True
