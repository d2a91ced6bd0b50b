from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from hrnet.accounts.models import Invitation, User
from hrnet.accounts.roles import Role

PASSWORD = "correct horse battery staple"


def _add_roles(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
    """`UserFactory(roles=["secretariat"])` puts the user in those groups.

    Declared last, it also saves what the other post-generation steps set (the password).
    """
    if not create:
        return
    for role in extracted or ():
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    roles = factory.PostGeneration(_add_roles)


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.MEMBER
    language = settings.LANGUAGE_CODE
    token = factory.LazyFunction(Invitation.new_token)
    invited_by = factory.SubFactory(UserFactory, roles=[Role.SECRETARIAT])
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
