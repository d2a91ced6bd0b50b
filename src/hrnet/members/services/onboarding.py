"""After an application is approved: the applicant's contact becomes the organisation's
admin (or the individual themselves), with an account by invitation."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from hrnet.accounts.models import Invitation, User
from hrnet.accounts.roles import Role
from hrnet.accounts.services import invitation_create
from hrnet.core.audit import log_action
from hrnet.members.audit import Action
from hrnet.members.models import Affiliation, Application, Person
from hrnet.members.services.memberships import inherited_memberships_recompute
from hrnet.members.services.register import person_create


@transaction.atomic
def applicant_onboard(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Invitation | None:
    """Link the approved applicant to an account: invite them (in the application's
    language) when they have none, or give their account the role. Organisations get
    their contact person as an admin affiliation."""
    email = application.contact_email.strip().lower()
    if application.organisation_id:
        organisation = application.organisation
        assert organisation is not None  # noqa: S101 - checked above
        person = Person.objects.filter(email__iexact=email).first() or person_create(
            full_name=application.contact_name,
            email=email,
            country=organisation.country,
            actor=actor,
            request=request,
        )
        Affiliation.objects.update_or_create(
            person=person,
            organisation=organisation,
            defaults={"role": Affiliation.Role.CONTACT, "is_admin": True},
        )
        inherited_memberships_recompute(organisation=organisation)
        role = Role.ORGADMIN
    else:
        person = application.person
        assert person is not None  # noqa: S101 - an individual application has its person
        role = Role.MEMBER
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        if person.user_id is None and not hasattr(user, "person"):
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        log_action(actor=actor, action=Action.PERSON_LINK_ACCOUNT, obj=person, request=request)
        return None
    if Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).exists():
        return None
    return invitation_create(
        email=email,
        role=role,
        invited_by=actor,
        full_name=application.contact_name,
        language=application.language,
        request=request,
    )


def person_link_account(*, user: User) -> None:
    """A new account takes over the register's record of the same person (by email)."""
    if Person.objects.filter(user=user).exists():
        return
    person = (
        Person.objects.filter(email__iexact=user.email, user__isnull=True).order_by("pk").first()
    )
    if person is not None:
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        log_action(actor=user, action=Action.PERSON_LINK_ACCOUNT, obj=person)
