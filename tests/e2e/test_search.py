"""Journey: in Russian, a visitor searches "гепатита" and finds the guidance titled
"Гепатит C" (stemming), narrows the results by type, and downloads its PDF; a
members-only resource that the anonymous visitor never sees is found by a member."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.core.models import IssueArea
from hrnet.core.reference import issue_areas_load
from hrnet.geo.reference import geography_load
from hrnet.library.services.resources import resource_create
from hrnet.library.tests.factories import pdf_bytes, upload

GUIDANCE = "Гепатит C: доступ к лечению для людей, употребляющих наркотики"
REPORT = "Гепатит C в Восточной Европе: отчёт о финансировании"
INTERNAL = "Гепатит C в местах лишения свободы: внутренний обзор сети"


def test_russian_search_stems_narrows_by_type_downloads_and_respects_members_only(
    live_server, browser, page, make_user
):
    # given: three Russian resources on hepatitis C, one for network members only
    geography_load()
    issue_areas_load()
    staff = make_user(Role.SECRETARIAT)
    make_user(Role.MEMBER, email="member@example.org")
    hepatitis = IssueArea.objects.filter(code="VIRAL_HEPATITIS")
    common = {"actor": staff, "language": "ru", "publication_date": date(2025, 5, 1)}
    resource_create(
        **common,
        type="guidance",
        title=GUIDANCE,
        summary="Как программы снижения вреда организуют тестирование и лечение.",
        issue_areas=hepatitis,
        uploads=[
            upload(
                "hepatitis-c.pdf",
                pdf_bytes("Тестирование на гепатит C в аутрич-работе.", title=GUIDANCE),
            )
        ],
    )
    resource_create(
        **common,
        type="report",
        title=REPORT,
        summary="Бюджеты на лечение гепатита в странах региона.",
        external_url="https://example.org/report",
    )
    resource_create(
        **common,
        type="policy_brief",
        title=INTERNAL,
        summary="Для членов сети.",
        visibility="members",
        external_url="https://example.org/internal",
    )

    # when: an anonymous visitor searches in Russian for an inflected form
    page.goto(f"{live_server.url}/ru/search/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("searchbox").fill("гепатита")
    page.get_by_role("searchbox").press("Enter")

    # then: both public resources are found, the members-only one is not
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=GUIDANCE)).to_be_visible()
    expect(results.get_by_role("link", name=REPORT)).to_be_visible()
    expect(results).not_to_contain_text("внутренний обзор")

    # when: they narrow to one type with its facet
    page.locator(".search-facets a[href*='kind=guidance']").click()

    # then: only the guidance is left, and its PDF downloads
    expect(results.get_by_role("link", name=REPORT)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"kind=guidance"))
    results.get_by_role("link", name=GUIDANCE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Гепатит C")
    with page.expect_download() as download_info:
        page.locator("a[href*='/library/files/']").first.click()
    download = download_info.value
    assert download.suggested_filename == "hepatitis-c.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # when: a network member signs in and searches the same word
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    signed_in = member.new_page()
    signed_in.goto(f"{live_server.url}/ru/accounts/login/")
    signed_in.locator("input[name=username], input[type=email]").first.fill("member@example.org")
    signed_in.locator("input[type=password]").fill(PASSWORD)
    signed_in.locator("main form button[type=submit]").click()
    expect(signed_in).not_to_have_url(re.compile(r"/login/"))
    signed_in.goto(
        f"{live_server.url}/ru/search/?q=%D0%B3%D0%B5%D0%BF%D0%B0%D1%82%D0%B8%D1%82%D0%B0"
    )

    # then: the members-only resource is found too
    expect(signed_in.locator("#search-results")).to_contain_text(INTERNAL)
    member.close()
