"""Campaign pages: who may do what (role x action), the public page shows the timeline and
verified signatures only, joining and leaving, signing once, escaping."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrnet.campaigns.models import Campaign, CampaignAction, CampaignParticipant, Signature
from hrnet.campaigns.tests.factories import (
    CampaignActionFactory,
    CampaignFactory,
    CampaignOutcomeFactory,
    CampaignParticipantFactory,
    SignatureFactory,
)
from hrnet.core.models import AuditEntry
from hrnet.members.models import Membership
from hrnet.members.tests.factories import country

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "orgadmin", "other_orgadmin", "secretariat"]


def _as(client: Any, people: Any, role: str) -> Any:
    user = getattr(people, role)
    if role != "anonymous":
        client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "public", "members_only", "draft", "create", "edit", "queue"),
    [
        ("anonymous", 200, 404, 404, 302, 302, 302),
        ("member", 200, 200, 404, 403, 403, 403),
        ("orgadmin", 200, 200, 404, 403, 403, 403),
        ("other_orgadmin", 200, 200, 404, 403, 403, 403),
        ("secretariat", 200, 200, 200, 200, 200, 200),
    ],
)
def test_role_matrix_of_pages(
    client, people, role, public, members_only, draft, create, edit, queue
):
    open_campaign = CampaignFactory.create()
    hidden = CampaignFactory.create(visibility=Campaign.Visibility.MEMBERS)
    drafted = CampaignFactory.create(status=Campaign.Status.DRAFT)
    _as(client, people, role)
    detail = "campaigns:campaign_detail"
    assert client.get(reverse(detail, args=[open_campaign.slug])).status_code == public
    assert client.get(reverse(detail, args=[hidden.slug])).status_code == members_only
    assert client.get(reverse(detail, args=[drafted.slug])).status_code == draft
    assert client.get(reverse("campaigns:campaign_create")).status_code == create
    edit_url = reverse("campaigns:campaign_edit", args=[open_campaign.slug])
    assert client.get(edit_url).status_code == edit
    assert client.get(reverse("campaigns:signature_queue")).status_code == queue
    action_url = reverse("campaigns:action_create", args=[open_campaign.slug])
    assert client.get(action_url).status_code == edit


@pytest.mark.parametrize(
    ("role", "joins"),
    [
        ("anonymous", False),
        ("member", False),
        ("orgadmin", True),
        ("other_orgadmin", True),  # for their own organisation
        ("secretariat", False),  # administers no organisation
    ],
)
def test_role_matrix_of_joining(client, people, role, joins):
    campaign = CampaignFactory.create()
    user = _as(client, people, role)
    organisation = getattr(user, "organisation", people.orgadmin.organisation)
    response = client.post(
        reverse("campaigns:campaign_join", args=[campaign.slug]),
        {"organisation": organisation.pk},
    )
    assert response.status_code in (302, 403)
    joined = CampaignParticipant.objects.filter(campaign=campaign, organisation=organisation)
    assert joined.exists() is joins


def test_an_admin_cannot_join_for_another_organisation(client, people):
    campaign = CampaignFactory.create()
    client.force_login(people.other_orgadmin)
    response = client.post(
        reverse("campaigns:campaign_join", args=[campaign.slug]),
        {"organisation": people.orgadmin.organisation.pk},
    )
    assert response.status_code == 403
    assert not CampaignParticipant.objects.exists()


def test_join_and_leave_from_the_page(client, people):
    campaign = CampaignFactory.create()
    organisation = people.orgadmin.organisation
    client.force_login(people.orgadmin)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "Join the campaign as" in page

    response = client.post(
        reverse("campaigns:campaign_join", args=[campaign.slug]),
        {"organisation": organisation.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "takes part in the campaign" in page
    assert f"Leave the campaign ({organisation.name})" in page
    participant = CampaignParticipant.objects.get(campaign=campaign)
    assert participant.organisation == organisation
    assert participant.joined_by == people.orgadmin
    assert AuditEntry.objects.filter(action="campaigns.campaign.join").exists()

    response = client.post(
        reverse("campaigns:campaign_leave", args=[campaign.slug]),
        {"organisation": organisation.pk},
        follow=True,
    )
    assert "no longer takes part" in response.content.decode()
    assert not CampaignParticipant.objects.exists()
    assert AuditEntry.objects.filter(action="campaigns.campaign.leave").exists()


def test_a_lapsed_member_cannot_join_but_may_leave(client, people):
    campaign = CampaignFactory.create()
    organisation = people.orgadmin.organisation
    CampaignParticipantFactory.create(campaign=campaign, organisation=organisation)
    Membership.objects.filter(organisation=organisation).update(status=Membership.Status.LAPSED)
    other = CampaignFactory.create()
    client.force_login(people.orgadmin)
    response = client.post(
        reverse("campaigns:campaign_join", args=[other.slug]), {"organisation": organisation.pk}
    )
    assert response.status_code == 403
    client.post(
        reverse("campaigns:campaign_leave", args=[campaign.slug]),
        {"organisation": organisation.pk},
    )
    assert not CampaignParticipant.objects.exists()


def test_other_admin_cannot_make_an_organisation_leave(client, people):
    campaign = CampaignFactory.create()
    CampaignParticipantFactory.create(campaign=campaign, organisation=people.orgadmin.organisation)
    client.force_login(people.other_orgadmin)
    response = client.post(
        reverse("campaigns:campaign_leave", args=[campaign.slug]),
        {"organisation": people.orgadmin.organisation.pk},
    )
    assert response.status_code == 403
    assert CampaignParticipant.objects.count() == 1


def test_the_page_shows_its_timeline_and_verified_signatures_only(client, people):
    # given
    campaign = CampaignFactory.create()
    CampaignActionFactory.create(
        campaign=campaign,
        titles={"en": "Letter to the Ministry of Health"},
        status=CampaignAction.Status.DONE,
    )
    CampaignActionFactory.create(
        campaign=campaign,
        titles={"en": "Parliament hearing"},
        kind=CampaignAction.Kind.MILESTONE,
        status=CampaignAction.Status.PLANNED,
    )
    CampaignOutcomeFactory.create(campaign=campaign)
    SignatureFactory.create(
        campaign=campaign, organisation_name="Verified Alliance", contact_email="v@secret.example"
    )
    SignatureFactory.create(
        campaign=campaign,
        organisation_name="Pending Union",
        contact_email="p@secret.example",
        status=Signature.Status.PENDING,
    )
    SignatureFactory.create(
        campaign=campaign,
        organisation_name="Rejected Spam",
        contact_email="r@secret.example",
        status=Signature.Status.REJECTED,
    )
    for role in ROLES:
        client.logout()
        _as(client, people, role)
        # when
        page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content
        text = page.decode()
        # then
        assert "Letter to the Ministry of Health" in text
        assert "Parliament hearing" in text
        assert "Milestone" in text
        assert "Planned" in text
        assert "Done" in text
        assert "Ministry letter" in text
        assert "Verified Alliance" in text
        assert "1 organisation has signed" in text
        assert "Pending Union" not in text
        assert "Rejected Spam" not in text
        assert "secret.example" not in text
        assert "Ivana Contact" not in text


def test_members_only_campaigns_are_hidden_from_the_anonymous_list(client, people):
    CampaignFactory.create(titles={"en": "Open campaign"})
    CampaignFactory.create(titles={"en": "Members campaign"}, visibility="members")
    CampaignFactory.create(titles={"en": "Draft campaign"}, status="draft")
    page = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert "Open campaign" in page
    assert "Members campaign" not in page
    assert "Draft campaign" not in page
    client.force_login(people.member)
    page = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert "Members campaign" in page
    assert "Draft campaign" not in page


def test_the_list_puts_active_first_and_filters(client, people):
    concluded = CampaignFactory.create(titles={"en": "Old campaign"}, status="concluded")
    active = CampaignFactory.create(titles={"en": "Running campaign"}, countries=[country("KZ")])
    concluded.countries.set([country("MD")])
    page = client.get(reverse("campaigns:campaign_list")).content.decode()
    assert page.index("Running campaign") < page.index("Old campaign")
    page = client.get(reverse("campaigns:campaign_list"), {"country": "MD"}).content.decode()
    assert "Old campaign" in page
    assert "Running campaign" not in page
    fragment = client.get(
        reverse("campaigns:campaign_list"), {"country": "KZ"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Running campaign" in fragment
    assert "<html" not in fragment
    assert active.slug in fragment


def test_signing_twice_for_one_organisation_is_refused(client, people):
    campaign = CampaignFactory.create()
    url = reverse("campaigns:signature_create", args=[campaign.slug])
    data = {
        "organisation_name": "Alliance for Public Health",
        "country": country("UA").pk,
        "contact_name": "Olena",
        "contact_email": "olena@alliance.example",
    }
    response = client.post(url, data, follow=True)
    assert "once the secretariat has verified it" in response.content.decode()
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert signature.contact_email == "olena@alliance.example"
    # The same name, written otherwise, in the same country.
    data["organisation_name"] = "  alliance FOR public-health "
    response = client.post(url, data)
    assert response.status_code == 400
    assert "has already signed this statement" in response.content.decode()
    assert Signature.objects.count() == 1
    # The same name in another country is another organisation.
    data["country"] = country("MD").pk
    client.post(url, data)
    assert Signature.objects.count() == 2


def test_an_organisation_in_the_register_signs_once(client, people):
    campaign = CampaignFactory.create()
    organisation = people.orgadmin.organisation
    client.force_login(people.orgadmin)
    url = reverse("campaigns:signature_create", args=[campaign.slug])
    data = {"organisation": organisation.pk, "contact_name": "Me", "contact_email": "me@o.example"}
    client.post(url, data)
    signature = Signature.objects.get()
    assert signature.organisation == organisation
    assert signature.signed_by == people.orgadmin
    response = client.post(url, data)
    assert response.status_code == 400
    assert "has already signed" in response.content.decode()
    # Someone else types the organisation's name: still the same organisation.
    client.logout()
    response = client.post(
        url,
        {
            "organisation_name": organisation.names["en"],
            "country": organisation.country.pk,
            "contact_name": "X",
            "contact_email": "x@x.example",
        },
    )
    assert response.status_code == 400
    assert Signature.objects.count() == 1


def test_a_rejected_fake_signature_does_not_keep_the_organisation_from_signing(client, people):
    campaign = CampaignFactory.create()
    organisation = people.orgadmin.organisation
    url = reverse("campaigns:signature_create", args=[campaign.slug])
    # Someone signs in the organisation's name; the secretariat rejects it.
    client.post(
        url,
        {
            "organisation_name": organisation.names["en"],
            "country": organisation.country.pk,
            "contact_name": "Impostor",
            "contact_email": "fake@x.example",
        },
    )
    Signature.objects.update(status=Signature.Status.REJECTED)

    client.force_login(people.orgadmin)
    response = client.post(
        url,
        {"organisation": organisation.pk, "contact_name": "Me", "contact_email": "me@o.example"},
    )

    assert response.status_code == 302
    assert Signature.objects.filter(status=Signature.Status.PENDING).count() == 1


def test_signing_needs_a_name_country_and_contact(client, people):
    campaign = CampaignFactory.create()
    response = client.post(
        reverse("campaigns:signature_create", args=[campaign.slug]),
        {"organisation_name": "", "contact_name": "", "contact_email": "nope"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in page
    assert not Signature.objects.exists()


def test_a_closed_statement_takes_no_signatures(client, people):
    campaign = CampaignFactory.create(statement_open=False)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "closed for signatures" in page
    client.post(
        reverse("campaigns:signature_create", args=[campaign.slug]),
        {
            "organisation_name": "Late Org",
            "country": country().pk,
            "contact_name": "Late",
            "contact_email": "late@x.example",
        },
    )
    assert not Signature.objects.exists()


def test_the_secretariat_verifies_and_rejects(client, people):
    campaign = CampaignFactory.create()
    good = SignatureFactory.create(campaign=campaign, status="pending", organisation_name="Good")
    bad = SignatureFactory.create(campaign=campaign, status="pending", organisation_name="Bad")
    client.force_login(people.secretariat)
    page = client.get(reverse("campaigns:signature_queue")).content.decode()
    assert "Good" in page
    assert "Bad" in page
    assert good.contact_email in page
    client.post(reverse("campaigns:signature_review", args=[good.pk]), {"decision": "verify"})
    client.post(reverse("campaigns:signature_review", args=[bad.pk]), {"decision": "reject"})
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == Signature.Status.VERIFIED
    assert good.reviewed_by == people.secretariat
    assert bad.status == Signature.Status.REJECTED
    assert AuditEntry.objects.filter(action="campaigns.signature.verify").exists()
    assert AuditEntry.objects.filter(action="campaigns.signature.reject").exists()
    page = client.get(reverse("campaigns:signature_queue")).content.decode()
    assert "No signature awaits verification." in page
    public = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug]))
    assert "Good" in public.content.decode()


@pytest.mark.parametrize("role", ["member", "orgadmin"])
def test_others_cannot_review_signatures(client, people, role):
    signature = SignatureFactory.create(status="pending")
    _as(client, people, role)
    response = client.post(
        reverse("campaigns:signature_review", args=[signature.pk]), {"decision": "verify"}
    )
    assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_script_in_any_text_shows_as_text(client, people):
    payload = "<script>alert(1)</script>"
    campaign = CampaignFactory.create(
        titles={"en": payload},
        goals={"en": payload},
        descriptions={"en": payload},
        statement_texts={"en": payload},
    )
    CampaignActionFactory.create(
        campaign=campaign, titles={"en": payload}, descriptions={"en": payload}
    )
    CampaignOutcomeFactory.create(
        campaign=campaign,
        descriptions={"en": payload},
        evidence_links=[{"url": "https://example.org/", "label": payload}],
    )
    SignatureFactory.create(campaign=campaign, organisation_name=payload)
    campaign.targets.create(name=payload, institution=payload)
    for url in (
        reverse("campaigns:campaign_detail", args=[campaign.slug]),
        reverse("campaigns:campaign_list"),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_secretariat_creates_a_campaign_with_its_timeline_and_outcome(client, people):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("campaigns:campaign_create"),
        {
            "title_en": "Fund harm reduction",
            "title_ru": "Финансируйте снижение вреда",
            "goal_en": "Domestic funding",
            "status": "active",
            "visibility": "public",
            "targets": "Minister of Finance | Ministry of Finance | KZ\n | Parliament",
            "countries": [country("KZ").pk],
            "statement_en": "We call on governments.",
            "statement_open": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.slug == "fund-harm-reduction"
    assert [str(t) for t in campaign.targets.all()] == [
        "Minister of Finance — Ministry of Finance",
        "Parliament",
    ]
    assert campaign.takes_signatures
    client.post(
        reverse("campaigns:action_create", args=[campaign.slug]),
        {
            "date": "2026-03-10",
            "kind": "milestone",
            "status": "planned",
            "title_en": "CND side event",
        },
    )
    client.post(
        reverse("campaigns:outcome_create", args=[campaign.slug]),
        {
            "date": "2025-12-01",
            "description_en": "Budget line adopted",
            "evidence_links": "Budget law | https://example.org/budget",
        },
    )
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "CND side event" in page
    assert "Budget line adopted" in page
    assert "Budget law" in page
    assert AuditEntry.objects.filter(action="campaigns.campaign.create").exists()
    assert AuditEntry.objects.filter(action="campaigns.campaign_action.create").exists()

    response = client.post(
        reverse("campaigns:outcome_create", args=[campaign.slug]),
        {
            "date": "2025-12-01",
            "description_en": "x",
            "evidence_links": "Bad | javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()


def test_the_campaign_form_refuses_a_bad_country_code(client, people):
    client.force_login(people.secretariat)
    response = client.post(
        reverse("campaigns:campaign_create"),
        {"title_en": "T", "status": "active", "visibility": "public", "targets": "A | B | ZZ"},
    )
    assert "“ZZ” is not a country code." in response.content.decode()
    assert not Campaign.objects.exists()


def test_linked_events_and_news_show_only_when_the_reader_may_see_them(client, people):
    from hrnet.events.models import Event
    from hrnet.events.tests.factories import EventFactory
    from hrnet.news.tests.factories import ArticleFactory

    campaign = CampaignFactory.create()
    campaign.events.set(
        [
            EventFactory.create(titles={"en": "Open webinar"}),
            EventFactory.create(
                titles={"en": "Members meeting"}, visibility=Event.Visibility.MEMBERS
            ),
        ]
    )
    campaign.articles.set([ArticleFactory.create(title="Draft story", published_at=None)])
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "Open webinar" in page
    assert "Members meeting" not in page
    assert "Draft story" not in page
    client.force_login(people.member)
    page = client.get(reverse("campaigns:campaign_detail", args=[campaign.slug])).content.decode()
    assert "Members meeting" in page


def test_a_flood_of_sign_ons_from_one_address_is_refused(client, people, settings):
    settings.HRNET_SIGNATURES_PER_HOUR = 2
    campaign = CampaignFactory.create()
    url = reverse("campaigns:signature_create", args=[campaign.slug])

    statuses = [
        client.post(
            url,
            {
                "organisation_name": f"Organisation {n}",
                "country": country("UA").pk,
                "contact_name": "Someone",
                "contact_email": f"s{n}@x.example",
            },
            REMOTE_ADDR="198.51.100.7",
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 400]
    assert Signature.objects.count() == 2


def _titles(response: Any) -> list[str]:
    return [campaign.title for campaign in response.context["page"].object_list]


def test_open_lists_only_statements_taking_signatures_and_keeps_paging(client, people, monkeypatch):
    from hrnet.campaigns import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for n in range(3):
        CampaignFactory.create(titles={"en": f"Open statement {n}"})
    CampaignFactory.create(titles={"en": "Closed statement"}, statement_open=False)
    CampaignFactory.create(titles={"en": "Concluded campaign"}, status="concluded")
    url = reverse("campaigns:campaign_list")

    first = client.get(url, {"open": "1"})
    second = client.get(url, {"open": "1", "page": "2"})

    shown = _titles(first) + _titles(second)
    assert sorted(shown) == ["Open statement 0", "Open statement 1", "Open statement 2"]
    assert "open=1&amp;page=2" in first.content.decode()
    assert first.context["page"].paginator.count == 3


def test_an_organisation_admin_sees_the_statements_still_to_sign(client, people):
    admin = people.orgadmin
    SignatureFactory.create(
        campaign=CampaignFactory.create(titles={"en": "Signed already"}),
        organisation=admin.organisation,
        status=Signature.Status.PENDING,
    )
    SignatureFactory.create(
        campaign=CampaignFactory.create(titles={"en": "Signed, then refused"}),
        organisation=admin.organisation,
        status=Signature.Status.REJECTED,
    )
    SignatureFactory.create(
        campaign=CampaignFactory.create(titles={"en": "Signed by others"}),
        organisation=people.other_orgadmin.organisation,
    )
    url = reverse("campaigns:campaign_list")
    client.force_login(admin)

    response = client.get(url, {"open": "1", "unsigned": "1"})

    assert sorted(_titles(response)) == ["Signed by others", "Signed, then refused"]
    assert 'name="unsigned"' in response.content.decode()
    # Someone who administers no organisation is not offered the filter.
    client.force_login(people.member)
    assert 'name="unsigned"' not in client.get(url).content.decode()
