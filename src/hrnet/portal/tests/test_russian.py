"""Russian everywhere: key pages rendered in Russian, as each role, over the demo network,
look up no message that the Russian catalogue lacks, and show no raw codes or English data
where a Russian version exists.

Every message a page looks up goes through `DjangoTranslation.gettext`/`ngettext` (template
tags, `gettext_lazy` strings when they are rendered, choice labels); while Russian is
active, a lookup of a msgid missing from the merged Russian catalogue (ours, Django's and
third-party apps') is recorded. The demo is loaded once for the module and rolled back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.utils import translation
from django.utils.translation import trans_real

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import demo_email, demo_users_create
from hrnet.portal.demo import demo_content_create
from hrnet.portal.reference import reference_data_load

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    Role.MEMBER,
    Role.ORGADMIN,
    Role.SITESTAFF,
    Role.DOCUMENTER,
    Role.EXPERT,
    Role.SECRETARIAT,
]
SIGNED_IN = tuple(role for role in ROLES if role != ANONYMOUS)


class MissingTranslations:
    """Records the msgids looked up while Russian is active that the catalogue lacks."""

    def __init__(self) -> None:
        self.missing: set[str] = set()
        self.recording = False

    def _russian(self, translation_object: Any) -> bool:
        return self.recording and translation_object.language() == "ru"

    def wrap(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original_gettext = trans_real.DjangoTranslation.gettext
        original_ngettext = trans_real.DjangoTranslation.ngettext
        recorder = self

        def gettext(self: Any, message: str) -> str:
            if recorder._russian(self) and message not in self._catalog:
                recorder.missing.add(message.replace("\x04", " | "))
            return original_gettext(self, message)

        def ngettext(self: Any, msgid1: str, msgid2: str, n: int) -> str:
            if recorder._russian(self) and (msgid1, 0) not in self._catalog:
                recorder.missing.add(msgid1.replace("\x04", " | "))
            return original_ngettext(self, msgid1, msgid2, n)

        monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
        monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)


class _Text(HTMLParser):
    """The text a reader sees (no scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style", "code", "pre", "svg"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "code", "pre", "svg"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """The whole demo network, once for the module, rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True,
            MEDIA_ROOT=str(media),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                reference_data_load()
                demo_users_create()
            with TestCase.captureOnCommitCallbacks(execute=True):
                demo_content_create()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def _first(queryset: Any) -> Any:
    found = queryset.order_by("pk").first()
    assert found is not None, f"the demo has no {queryset.model.__name__}"
    return found


def key_pages() -> list[tuple[str, tuple[str, ...]]]:
    """(Russian URL, the roles that may open it) for the key pages, on demo records."""
    from hrnet.assistance.models import AssistanceRequest
    from hrnet.campaigns.models import Campaign
    from hrnet.events.models import Event
    from hrnet.evidence.models import Indicator
    from hrnet.geo.models import SubRegion
    from hrnet.library.models import Resource
    from hrnet.members.models import Organisation
    from hrnet.network.models import Page
    from hrnet.news.models import Article
    from hrnet.outreach.models import Site
    from hrnet.rights.models import Case

    everyone = tuple(ROLES)
    article = _first(Article.objects.filter(published_at__isnull=False))
    resource = _first(Resource.objects.filter(status="published", visibility="public"))
    event = _first(Event.objects.filter(visibility="public", status="published"))
    campaign = _first(Campaign.objects.filter(visibility="public"))
    organisation = _first(Organisation.objects.filter(is_public=True, memberships__status="active"))
    indicator = _first(Indicator.objects.filter(is_public=True))
    page = _first(Page.objects.all())
    site = _first(Site.objects.all())
    case = _first(Case.objects.filter(reference__startswith="DEMO-R-", documenter__isnull=False))
    request = _first(AssistanceRequest.objects.all())
    subregion = _first(SubRegion.objects.all())
    staff = (Role.SECRETARIAT,)
    return [
        ("/ru/", everyone),
        (f"/ru/pages/{page.slug}/", everyone),
        ("/ru/team/", everyone),
        ("/ru/projects/", everyone),
        ("/ru/countries/", everyone),
        ("/ru/countries/UA/", everyone),
        (f"/ru/countries/subregions/{subregion.code.lower()}/", everyone),
        ("/ru/members/principles/", everyone),
        ("/ru/events/past/", everyone),
        ("/ru/events/month/", everyone),
        ("/ru/evidence/funding/UA/", everyone),
        ("/ru/rights/statistics/report/", everyone),
        ("/ru/members/directory/", everyone),
        (f"/ru/members/directory/organisations/{organisation.pk}/", everyone),
        ("/ru/news/", everyone),
        (f"/ru/news/{article.pk}/", everyone),
        ("/ru/library/", everyone),
        (f"/ru/library/{resource.pk}/", everyone),
        ("/ru/events/", everyone),
        (f"/ru/events/{event.pk}/", everyone),
        (f"/ru/events/{event.pk}/register/", SIGNED_IN),
        ("/ru/campaigns/", everyone),
        (f"/ru/campaigns/{campaign.slug}/", everyone),
        ("/ru/evidence/", everyone),
        ("/ru/evidence/countries/UA/", everyone),
        ("/ru/evidence/indicators/", everyone),
        (f"/ru/evidence/indicators/{indicator.code}/", everyone),
        ("/ru/evidence/funding/", everyone),
        ("/ru/rights/report/", everyone),
        ("/ru/rights/statistics/", everyone),
        ("/ru/contact/", everyone),
        ("/ru/search/?q=%D0%B2%D1%80%D0%B5%D0%B4", everyone),  # "вред"
        ("/ru/search/?q=harm", everyone),
        ("/ru/accounts/login/", (ANONYMOUS,)),
        ("/ru/members/apply/", (ANONYMOUS,)),
        ("/ru/accounts/profile/", SIGNED_IN),
        ("/ru/members/memberships/mine/", (Role.MEMBER,)),
        ("/ru/members/dashboard/", staff),
        ("/ru/members/applications/", staff),
        ("/ru/accounts/invitations/", staff),
        ("/ru/audit/", staff),
        *((f"/ru/audit/?action={app}.", staff) for app in ("events", "members", "campaigns")),
        ("/ru/jobs/", staff),
        ("/ru/trash/", staff),
        ("/ru/sites/", (Role.SITESTAFF, Role.SECRETARIAT)),
        (f"/ru/sites/{site.pk}/", (Role.SITESTAFF, Role.SECRETARIAT)),
        (f"/ru/sites/{site.pk}/entry/", (Role.SITESTAFF,)),
        ("/ru/rights/cases/", (Role.DOCUMENTER,)),
        (f"/ru/rights/cases/{case.reference}/", (Role.DOCUMENTER,)),
        ("/ru/assistance/", (Role.MEMBER, Role.ORGADMIN)),
        ("/ru/assistance/queue/", staff),
        (f"/ru/assistance/{request.pk}/", staff),
        ("/ru/events/mine/", SIGNED_IN),
        ("/ru/events/reports/", staff),
        ("/ru/assistance/experts/", staff),
        ("/ru/library/moderation/", staff),
        ("/ru/campaigns/signatures/", staff),
        ("/ru/sites/clients/", (Role.SITESTAFF,)),
        ("/ru/sites/cascades/", (Role.SITESTAFF, Role.SECRETARIAT)),
        ("/ru/news/digest/", (Role.MEMBER, Role.ORGADMIN)),
        ("/ru/me/", SIGNED_IN),
        ("/ru/members/memberships/renewals-due/", staff),
        ("/ru/members/memberships/lapsed/", staff),
        ("/ru/contact/messages/", staff),
        ("/ru/rights/intake/", staff),
        ("/ru/mailings/", staff),
        ("/ru/mailings/new/", staff),
        ("/ru/mailings/segments/", staff),
        ("/ru/mailings/segments/new/", staff),
        ("/ru/events/organisations/registrations/", (Role.ORGADMIN,)),
        ("/ru/assistance/assigned/", (Role.EXPERT,)),
        ("/ru/evidence/reporting/?overdue=1", staff),
    ]


@pytest.fixture
def sign_in(client: Client) -> Callable[[str], Client]:
    def sign_in_as(role: str) -> Client:
        if role != ANONYMOUS:
            client.force_login(User.objects.get(email=demo_email(role)))
        return client

    return sign_in_as


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> MissingTranslations:
    found = MissingTranslations()
    found.wrap(monkeypatch)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_key_pages_in_russian_use_only_translated_messages(
    demo: None, db: None, role: str, sign_in: Callable[[str], Client], recorder: Any
) -> None:
    client = sign_in(role)
    pages = [url for url, roles in key_pages() if role in roles]
    failed = []

    recorder.recording = True
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            failed.append((url, response.status_code))
    recorder.recording = False
    translation.activate("en")

    assert failed == []
    missing = sorted(recorder.missing)
    assert missing == [], f"untranslated as {role}:\n" + "\n".join(missing)


# Raw codes and English data that used to leak into Russian pages.
RAW = re.compile(
    r"\b(active|suspended|published|public|queued|running|done|failed|drop_in|"
    r"Indicator values|Drop-in centre|Outreach van)\b"
)


@pytest.mark.slow
def test_jobs_and_audit_log_show_labels_in_the_readers_language(
    demo: None, db: None, sign_in: Callable[[str], Client]
) -> None:
    # given: an import started by someone reading Russian, and a status change in the log
    from hrnet.core.audit import log_action
    from hrnet.core.imports import get_importer
    from hrnet.core.progress import job_start
    from hrnet.members.models import Membership

    client = sign_in(Role.SECRETARIAT)
    secretariat = User.objects.get(email=demo_email(Role.SECRETARIAT))
    with translation.override("ru"):
        job_start(name=get_importer("evidence.values").label, owner=secretariat)
    log_action(
        actor=secretariat,
        action="members.membership.override",
        obj=_first(Membership.objects.all()),
        changes={"status": {"old": "active", "new": "suspended"}},
    )

    # when
    jobs_ru = visible_text(client.get("/ru/jobs/").content.decode())
    jobs_en = visible_text(client.get("/en/jobs/").content.decode())
    audit_ru = visible_text(client.get("/ru/audit/").content.decode())
    sites_ru = visible_text(client.get("/ru/sites/").content.decode())

    # then
    assert "Значения индикаторов" in jobs_ru
    assert "Indicator values" in jobs_en
    assert "Статус: Активно → Приостановлено" in audit_ru
    for url, text in [("/ru/jobs/", jobs_ru), ("/ru/audit/", audit_ru), ("/ru/sites/", sites_ru)]:
        assert RAW.findall(text) == [], url


def test_demo_members_have_unique_names_without_numbers(
    demo: None, db: None, client: Client
) -> None:
    from hrnet.members.models import Organisation, Person

    names = list(Organisation.all_objects.values_list("names", flat=True))
    people = list(Person.all_objects.values_list("full_name", flat=True))
    directory = visible_text(client.get("/ru/members/directory/").content.decode())
    report_form = client.get("/ru/rights/report/").content.decode()
    offered = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", report_form)

    for language in ("en", "ru"):
        in_language = [name[language] for name in names]
        assert len(set(in_language)) == len(in_language), language
        assert not [name for name in in_language if re.search(r"\d", name)], language
    assert len(set(people)) == len(people)
    assert not [name for name in people if re.search(r"\d", name)]
    # Russian names are written in Russian, cities included.
    assert all(re.search("[а-яё]", name["ru"], re.IGNORECASE) for name in names)
    assert not [name["ru"] for name in names if re.search("[A-Za-z]{4,}", name["ru"])]
    # The pages show them in Russian, and the rights report offers each organisation once.
    assert not [name["en"] for name in names if name["en"] in directory]
    assert offered
    assert len(set(offered)) == len(offered)
