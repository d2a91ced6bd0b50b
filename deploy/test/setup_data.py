"""Accounts and records the deployment test's scenarios need, made through the deployed
application (`hrnet shell < setup_data.py`); prints one JSON line for the scenarios."""

# ruff: noqa: T201  # the fixtures are printed for deploy/test/run

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hrnet.accounts.services import api_token_create
from hrnet.evidence.models import Indicator
from hrnet.geo.models import Country
from hrnet.members.models import Organisation
from hrnet.outreach.models import Commodity, Site, SiteStaff
from hrnet.rights.models import ViolationType
from hrnet.rights.services.cases import case_intake_create

User = get_user_model()
PASSWORD = "deploy-test-Passw0rd!"  # noqa: S105  # a throwaway site's throwaway accounts


def user(email, *roles):
    person = User.objects.create_user(email=email, password=PASSWORD)
    for role in roles:
        person.groups.add(Group.objects.get_or_create(name=role)[0])
    return person


secretariat = user("secretariat@deploy.test", "secretariat")
worker = user("worker@deploy.test")
user("alice@deploy.test", "member")
user("bob@deploy.test", "member")
country = Country.objects.get(iso2="KZ")
organisation = Organisation.objects.create(
    names={"en": "Deploy test NGO", "ru": "Тестовая НКО"},
    kind=Organisation.Kind.NGO,
    country=country,
)
site = Site.objects.create(organisation=organisation, name="Deploy test site", country=country)
SiteStaff.objects.create(site=site, user=worker, role=SiteStaff.Role.WORKER)
worker.groups.add(Group.objects.get_or_create(name="sitestaff")[0])
violations = list(ViolationType.objects.filter(is_active=True)[:2])
for number in range(3):
    case_intake_create(
        organisation=None,
        date_from=timezone.localdate() - timedelta(days=10 + number),
        country=country,
        locality="Almaty",
        what_happened=f"Deployment test report {number}: encrypted at rest.",
        violation_types=violations,
    )
print(
    json.dumps(
        {
            "password": PASSWORD,
            "secretariat_token": api_token_create(user=secretariat, name="deploy test")[1],
            "worker_token": api_token_create(user=worker, name="deploy test")[1],
            "site": site.pk,
            "countries": list(Country.objects.values_list("iso2", flat=True)),
            "indicators": list(
                Indicator.objects.filter(kind=Indicator.Kind.DATA).values_list("code", flat=True)
            ),
            "commodity": Commodity.objects.values_list("code", flat=True).first(),
        }
    )
)
