"""The demo's network pages carry the network's description of itself (source document
000) in English as written and in Russian, a page per issue area, and never the real
contact person."""

from __future__ import annotations

import re

import pytest

from hrnet.core.reference import issue_areas_load
from hrnet.network.demo import SEED_DIR, network_demo_pages_create, seed_index, seed_text
from hrnet.network.models import Page, PageDraft, PageRevision

MISSION_EN = (
    "Mission of Eurasian Harm Reduction Network is to promote dissemination of humane and "
    "scientifically based approaches of reduction of harm from drug use in order to keep and "
    "support health and provide human rights protection on the level of individual, community "
    "and population in general."
)
MISSION_RU = (
    "Миссия Евразийской сети снижения вреда — содействовать распространению гуманных и "
    "научно обоснованных подходов к снижению вреда от употребления наркотиков"
)


def _published(slug: str, language: str) -> PageRevision:
    revision = PageRevision.objects.filter(page__slug=slug, language=language).first()
    assert revision is not None, f"{slug} has no {language} revision"
    return revision


def test_every_seed_page_has_a_title_a_summary_and_a_body_in_both_languages():
    for entry in seed_index():
        for language in ("en", "ru"):
            assert (SEED_DIR / f"{entry['slug']}.{language}.md").exists()
            text = (SEED_DIR / f"{entry['slug']}.{language}.md").read_text(encoding="utf-8")
            assert text.startswith("# ")
            assert text.count("\n\n") >= 2  # title, summary, body


@pytest.mark.django_db
def test_the_demo_about_pages_carry_the_source_document_in_english_and_russian(secretariat):
    issue_areas_load()

    made = network_demo_pages_create(actor=secretariat)

    assert made == len(seed_index())
    about_en, about_ru = _published("about", "en"), _published("about", "ru")
    assert about_en.title == "Who we are"
    assert MISSION_EN in about_en.body
    assert "Eurasian Harm Reduction Network (EHRN) is a regional network uniting" in (about_en.body)
    assert about_ru.title == "Кто мы"
    assert MISSION_RU in about_ru.body
    strategy_en, strategy_ru = _published("strategy", "en"), _published("strategy", "ru")
    assert "- Caucasus (Armenia, Azerbaijan, Georgia);" in strategy_en.body
    assert "Кавказ (Армения, Азербайджан, Грузия)" in strategy_ru.body
    role_en = _published("our-role", "en")
    assert "## Value for Regional Platform project" in role_en.body
    assert "Global Fund to fight AIDS, tuberculosis and malaria" in role_en.body
    assert "Глобальным фондом для борьбы со СПИДом" in _published("our-role", "ru").body


@pytest.mark.django_db
def test_every_page_is_published_in_both_languages_in_menu_order(secretariat):
    issue_areas_load()

    network_demo_pages_create(actor=secretariat)

    pages = list(Page.objects.all())
    assert [p.slug for p in pages][:5] == ["about", "strategy", "our-role", "how-to-join", "issues"]
    assert [p.slug for p in pages if p.in_menu] == [p.slug for p in pages][:5]
    for page in pages:
        languages = set(page.revisions.values_list("language", flat=True))
        assert languages == {"en", "ru"}, page.slug
        assert all(r.summary for r in page.revisions.all())


@pytest.mark.django_db
def test_each_issue_area_has_its_page(secretariat):
    areas = issue_areas_load()

    network_demo_pages_create(actor=secretariat)

    issue_pages = Page.objects.filter(issue_area__isnull=False).select_related("issue_area")
    assert issue_pages.count() == areas
    hiv = Page.objects.get(slug="hiv")
    assert hiv.issue_area is not None
    assert hiv.issue_area.code == "HIV"
    assert _published("hiv", "ru").title == "Профилактика и лечение ВИЧ"


@pytest.mark.django_db
def test_links_in_the_pages_lead_to_addresses_in_the_page_language(secretariat):
    issue_areas_load()

    network_demo_pages_create(actor=secretariat)

    assert "](/en/members/apply/)" in _published("how-to-join", "en").body
    assert "](/ru/members/apply/)" in _published("how-to-join", "ru").body
    for revision in PageRevision.objects.all():
        assert "(page:" not in revision.body
        assert "(url:" not in revision.body
        for address in re.findall(r"\]\((/[^)]*)\)", revision.body):
            assert address.startswith(f"/{revision.language}/"), (revision, address)


@pytest.mark.django_db
def test_running_the_demo_again_changes_nothing(secretariat):
    issue_areas_load()
    network_demo_pages_create(actor=secretariat)
    counts = (Page.objects.count(), PageDraft.objects.count(), PageRevision.objects.count())

    assert network_demo_pages_create(actor=secretariat) == 0

    assert (Page.objects.count(), PageDraft.objects.count(), PageRevision.objects.count()) == (
        counts
    )


@pytest.mark.django_db
def test_no_page_names_the_real_contact_person_or_their_phone(secretariat):
    issue_areas_load()

    network_demo_pages_create(actor=secretariat)

    texts = [" ".join((r.title, r.summary, r.body)) for r in PageRevision.objects.all()]
    texts += [" ".join((d.title, d.summary, d.body)) for d in PageDraft.objects.all()]
    assert texts
    for text in texts:
        digits = re.sub(r"\D", "", text)
        assert "37062637292" not in digits
        assert "62637292" not in digits
        assert "Gordon" not in text
        assert "Гордон" not in text
        assert "Mobile:" not in text


def test_the_seed_text_parts():
    text = seed_text("about", "en")

    assert text.title == "Who we are"
    assert text.summary.startswith("A regional harm reduction network")
    assert text.body.startswith("Eurasian Harm Reduction Network (EHRN)")


@pytest.mark.django_db
def test_a_visitor_reads_the_about_page_in_each_language(secretariat, client):
    issue_areas_load()
    network_demo_pages_create(actor=secretariat)

    english = client.get("/en/pages/about/")
    russian = client.get("/ru/pages/about/")

    assert english.status_code == 200
    assert "to promote dissemination of humane and scientifically based approaches" in (
        english.content.decode()
    )
    assert russian.status_code == 200
    assert "содействовать распространению гуманных и научно обоснованных подходов" in (
        russian.content.decode()
    )
    assert 'href="/ru/members/apply/"' in client.get("/ru/pages/how-to-join/").content.decode()
