from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from hrnet.accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`UserFactory(roles=["secretariat"])` puts the user in those groups."""
        if not create or not extracted:
            return
        for role in extracted:
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.save()
