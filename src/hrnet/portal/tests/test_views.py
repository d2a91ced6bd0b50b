"""The home page and the country pages."""

import uuid
from datetime import timedelta

from django.utils import timezone

from hrnet.events.tests.factories import EventFactory
from hrnet.news.tests.factories import ArticleFactory


def test_home_shows_the_network_and_its_countries(client, geography):
    from hrnet.core.reference import network_load

    network_load()
    response = client.get("/en/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Eurasian Harm Reduction Network" in content
    assert '<span class="stat">29</span> countries' in content
    assert '<span class="stat">7</span> sub-regions' in content
    assert 'href="/en/countries/md/"' in content


def test_language_switcher_links_to_the_same_page_in_each_language(client, geography):
    response = client.get("/en/countries/md/")

    content = response.content.decode()
    assert 'href="/ru/countries/md/"' in content
    assert 'href="/en/countries/md/" lang="en" hreflang="en" aria-current="true"' in content


def test_country_page_shows_subregion_and_aliases(client, geography):
    response = client.get("/en/countries/mk/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "North Macedonia" in content
    assert "South-Eastern Europe" in content
    assert "The former Yugoslav Republic of Macedonia" in content


def test_unknown_country_page_is_404(client, geography):
    assert client.get("/en/countries/zz/").status_code == 404


def test_home_shows_the_newest_news_in_the_visitors_language_and_the_next_events(client, geography):
    # given: a story in both languages, an older one, a draft and an upcoming event
    key = uuid.uuid4()
    ArticleFactory.create(title="Older story", published_at=timezone.now() - timedelta(days=3))
    story = ArticleFactory.create(title="Naloxone in Chisinau", translation_key=key)
    ArticleFactory.create(title="Налоксон в Кишинёве", language="ru", translation_key=key)
    ArticleFactory.create(title="Draft story", published_at=None)
    EventFactory.create(titles={"en": "Webinar on OST", "ru": "Вебинар о ЗПТ"})

    # when
    english = client.get("/en/").content.decode()
    russian = client.get("/ru/").content.decode()

    # then
    assert story.title in english
    assert "Older story" in english
    assert "Draft story" not in english
    assert "Налоксон в Кишинёве" not in english
    assert "Webinar on OST" in english
    assert "will appear here" not in english
    assert "Налоксон в Кишинёве" in russian
    assert "Вебинар о ЗПТ" in russian


def test_home_says_what_will_appear_while_nothing_is_published(client, geography):
    ArticleFactory.create(title="Draft story", published_at=None)

    content = client.get("/en/").content.decode()

    assert "Draft story" not in content
    assert "News from the network and its members will appear here." in content


def test_the_menu_marks_the_current_page(client, geography):
    content = client.get("/en/").content.decode()

    assert 'href="/en/" aria-current="page"' in content
    assert "aria-current=&quot;" not in content


def test_members_address_lands_on_the_directory(client, geography):
    response = client.get("/en/members/")

    assert response.status_code == 302
    assert response["Location"] == "/en/members/directory/"


def test_home_shows_active_campaigns_with_their_verified_sign_ons_and_new_resources(
    client, geography
):
    from hrnet.campaigns.models import Campaign, Signature
    from hrnet.campaigns.tests.factories import CampaignFactory, SignatureFactory
    from hrnet.library.models import Resource
    from hrnet.library.tests.factories import ResourceFactory

    # given: an active campaign signed by two organisations (a third waits for checking),
    # a draft campaign, a published resource and one still under review
    campaign = CampaignFactory.create(titles={"en": "Support. Don't Punish", "ru": "Поддержи"})
    SignatureFactory.create_batch(2, campaign=campaign)
    SignatureFactory.create(campaign=campaign, status=Signature.Status.PENDING)
    CampaignFactory.create(titles={"en": "Draft campaign"}, status=Campaign.Status.DRAFT)
    ResourceFactory.create(title="Naloxone guidance for outreach workers")
    ResourceFactory.create(title="Not yet reviewed", status=Resource.Status.SUBMITTED)

    # when
    content = client.get("/en/").content.decode()

    # then
    assert "Support. Don&#x27;t Punish" in content
    assert "2 organisations signed" in content
    assert "Draft campaign" not in content
    assert "Naloxone guidance for outreach workers" in content
    assert "Not yet reviewed" not in content


def test_home_shows_the_regions_syringe_coverage_with_its_band_year_and_source(client, geography):
    from decimal import Decimal

    from hrnet.evidence.models import Indicator
    from hrnet.evidence.reference import indicators_load
    from hrnet.evidence.tests.factories import DataValueFactory
    from hrnet.geo.models import Country

    # given: three countries report syringes and a size estimate for 2025; one only a size
    indicators_load()
    syringes = Indicator.objects.get(code="NS_DISTRIBUTED")
    people = Indicator.objects.get(code="PWID_SIZE_ESTIMATE")
    for iso2, handed_out, estimated in (
        ("MD", 150_000, 1_000),
        ("KZ", 300_000, 2_000),
        ("GE", 150_000, 2_000),
    ):
        country = Country.objects.get(iso2=iso2)
        DataValueFactory.create(
            indicator=syringes,
            country=country,
            period="2025",
            value=Decimal(handed_out),
            source="UNAIDS Global AIDS Monitoring 2026",
        )
        DataValueFactory.create(
            indicator=people,
            country=country,
            period="2025",
            value=Decimal(estimated),
            source="UNAIDS Global AIDS Monitoring 2026",
        )
    DataValueFactory.create(
        indicator=people,
        country=Country.objects.get(iso2="UA"),
        period="2025",
        value=Decimal(300_000),
    )

    # when
    content = client.get("/en/").content.decode()

    # then: 600,000 syringes for 5,000 people is 120 per person, the WHO "medium" band
    assert '<span class="stat">120</span>' in content
    assert "Medium coverage" in content
    assert "2025, 3 countries reporting." in content
    assert "UNAIDS Global AIDS Monitoring 2026" in content
    assert "/en/evidence/?indicator=NSP_COVERAGE&amp;year=2025" in content


def test_home_leaves_out_the_regional_figure_when_too_few_countries_report(client, geography):
    from decimal import Decimal

    from hrnet.evidence.models import Indicator
    from hrnet.evidence.reference import indicators_load
    from hrnet.evidence.tests.factories import DataValueFactory
    from hrnet.geo.models import Country

    indicators_load()
    country = Country.objects.get(iso2="MD")
    DataValueFactory.create(
        indicator=Indicator.objects.get(code="NS_DISTRIBUTED"),
        country=country,
        period="2025",
        value=Decimal(1000),
    )
    DataValueFactory.create(
        indicator=Indicator.objects.get(code="PWID_SIZE_ESTIMATE"),
        country=country,
        period="2025",
        value=Decimal(10),
    )

    content = client.get("/en/").content.decode()

    assert "Harm reduction in the region" not in content


def test_a_story_not_yet_translated_is_shown_in_its_own_language_and_marked(client, geography):
    ArticleFactory.create(title="Only in English so far")

    content = client.get("/ru/").content.decode()

    assert "Only in English so far" in content
    assert "Без перевода" in content


def test_home_shows_event_times_in_the_visitors_browser_zone_once_known(client, geography):
    from datetime import UTC, datetime

    EventFactory.create(
        titles={"en": "Webinar on OST"},
        starts_at=datetime(2030, 3, 4, 9, 0, tzinfo=UTC),
        ends_at=datetime(2030, 3, 4, 10, 0, tzinfo=UTC),
    )

    unknown = client.get("/en/").content.decode()
    client.cookies["hrnet_tz"] = "Asia/Almaty"
    almaty = client.get("/en/").content.decode()

    assert "Times are shown in the network’s time zone: UTC." in unknown
    assert "09:00" in unknown
    assert "Times are shown in your time zone: Asia/Almaty." in almaty
    assert "14:00" in almaty
