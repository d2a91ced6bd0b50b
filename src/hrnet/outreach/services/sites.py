"""Writes of sites and their staff; each change is audited. The views check the site
policy (`outreach.policies.site_policy`) before calling these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hrnet.accounts.roles import Role
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.types import Actor
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.members.policies import administered_organisation_ids, is_secretariat
from hrnet.outreach.audit import Action
from hrnet.outreach.models import Site, SiteStaff
from hrnet.outreach.policies import site_policy

SITE_FIELDS = ("name", "kind", "city", "country_id", "organisation_id", "is_active")


def _snapshot(site: Site) -> dict[str, Any]:
    return {name: getattr(site, name) for name in SITE_FIELDS}


def _check_name(site: Site) -> None:
    clash = Site.objects.filter(organisation_id=site.organisation_id, name__iexact=site.name)
    if clash.exclude(pk=site.pk).exists():
        raise ValidationError(
            {
                "name": _("The organisation has a site called %(name)s already.")
                % {"name": site.name}
            }
        )


@transaction.atomic
def site_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    country: Country,
    kind: str,
    city: str = "",
    request: HttpRequest | None = None,
) -> Site:
    """Org admins add sites to their own organisation; the secretariat to any."""
    if not (is_secretariat(actor) or organisation.pk in administered_organisation_ids(actor)):
        raise PermissionDenied
    site = Site(organisation=organisation, name=name.strip(), country=country, kind=kind, city=city)
    _check_name(site)
    site.save()
    log_action(actor=actor, action=Action.SITE_CREATE, obj=site, request=request)
    return site


@transaction.atomic
def site_update(
    *,
    actor: Actor,
    site: Site,
    name: str,
    country: Country,
    kind: str,
    city: str = "",
    request: HttpRequest | None = None,
) -> Site:
    site_policy.require(actor, "change", site)
    before = _snapshot(site)
    site.name, site.country, site.kind, site.city = name.strip(), country, kind, city
    _check_name(site)
    site.save()
    log_action(
        actor=actor,
        action=Action.SITE_UPDATE,
        obj=site,
        changes=changed_fields(before, _snapshot(site)),
        request=request,
    )
    return site


@transaction.atomic
def site_deactivate(*, actor: Actor, site: Site, request: HttpRequest | None = None) -> Site:
    """A closed site stays with its values; it leaves the forms due and the completeness."""
    site_policy.require(actor, "change", site)
    site.is_active = False
    site.save(update_fields=["is_active", "updated_at"])
    log_action(actor=actor, action=Action.SITE_DEACTIVATE, obj=site, request=request)
    return site


@transaction.atomic
def site_staff_assign(
    *, actor: Actor, site: Site, email: str, role: str, request: HttpRequest | None = None
) -> SiteStaff:
    """Assign an existing user (by email) as worker or manager; again changes the role."""
    site_policy.require(actor, "change", site)
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": _("Nobody has an account with the email %(email)s.") % {"email": email}}
        )
    if role not in SiteStaff.Role.values:
        raise ValidationError({"role": _("%(role)s is not a site role.") % {"role": role}})
    staff, created = SiteStaff.objects.update_or_create(
        site=site, user=user, defaults={"role": role}
    )
    # The role brings the navigation and, in production, the mandatory second factor.
    user.groups.add(Group.objects.get_or_create(name=Role.SITESTAFF)[0])
    log_action(
        actor=actor,
        action=Action.SITE_STAFF_ASSIGN,
        obj=site,
        changes={"user": user.email, "role": role, "new": created},
        request=request,
    )
    return staff


@transaction.atomic
def site_staff_remove(
    *, actor: Actor, staff: SiteStaff, request: HttpRequest | None = None
) -> None:
    site_policy.require(actor, "change", staff.site)
    log_action(
        actor=actor,
        action=Action.SITE_STAFF_REMOVE,
        obj=staff.site,
        changes={"user": staff.user.email, "role": staff.role},
        request=request,
    )
    staff.delete()
