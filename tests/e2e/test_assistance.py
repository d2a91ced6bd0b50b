"""Journey: a member organisation's admin files a request in Russian; the secretariat
assigns the suggested expert; the expert logs two days and delivers a file; the member
rates it; the report counts it."""

from __future__ import annotations

from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.tests.factories import ExpertFactory, issue_area
from hrnet.geo.reference import geography_load
from hrnet.members.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sign_in(page, base, email, next_path):
    page.context.clear_cookies()
    page.goto(f"{base}/ru/accounts/login/?next={next_path}")
    page.locator("input[name=username], input[type=email]").first.fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_request_assign_log_deliver_rate_report(live_server, page, make_user, tmp_path, settings):
    settings.HRNET_SITE_URL = live_server.url
    geography_load()
    hiv = issue_area("hiv")
    organisation = OrganisationFactory.create()
    admin = make_user(Role.ORGADMIN, email="admin@example.org", preferred_language="ru")
    AffiliationFactory.create(
        person=PersonFactory.create(user=admin), organisation=organisation, is_admin=True
    )
    make_user(Role.SECRETARIAT, email="sec@example.org", is_staff=True)
    expert = ExpertFactory.create(
        user=make_user(Role.EXPERT, email="expert@example.org", full_name="Erlan Expert"),
        issue_areas=[hiv],
        languages=["ru"],
    )
    ExpertFactory.create(user__full_name="Zed Other", languages=["en"])
    base = live_server.url

    # the admin files a request in Russian
    _sign_in(page, base, "admin@example.org", "/ru/assistance/new/")
    page.locator("[name=title]").fill("Помощь с заявкой в Глобальный фонд")
    page.locator("[name=issue_area]").select_option(str(hiv.pk))
    page.locator("[name=kind]").select_option("advocacy")
    page.locator("[name=description]").fill("Нужна помощь с теневым отчётом.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Помощь с заявкой в Глобальный фонд")
    request = AssistanceRequest.objects.get()
    assert request.language == "ru"

    # the secretariat assigns the suggested expert (ranked first)
    _sign_in(page, base, "sec@example.org", f"/ru/assistance/{request.pk}/assign/")
    first = page.locator(".suggestion").first
    expect(first).to_contain_text("Erlan Expert")
    first.locator("input[type=checkbox]").check()
    page.locator("main form button[type=submit]").click()
    request.refresh_from_db()
    assert list(request.experts.all()) == [expert]

    # the expert logs two days and delivers a file
    _sign_in(page, base, "expert@example.org", f"/ru/assistance/{request.pk}/")
    page.locator(".worklog-form [name=days]").fill("2")
    page.locator(".worklog-form button[type=submit]").click()
    deliverable = tmp_path / "report.pdf"
    deliverable.write_bytes(PDF)
    page.locator(".deliverable-form [name=title]").fill("Отчёт")
    page.locator(".deliverable-form [name=file]").set_input_files(str(deliverable))
    page.locator(".deliverable-form button[type=submit]").click()
    page.locator(f"form[action$='/assistance/{request.pk}/deliver/'] button").click()
    request.refresh_from_db()
    assert request.status == "delivered"

    # the member rates it
    _sign_in(page, base, "admin@example.org", f"/ru/assistance/{request.pk}/")
    page.locator(".rate-form input[value='5']").check()
    page.locator(".rate-form button[type=submit]").click()
    request.refresh_from_db()
    assert request.rating == 5

    # the report counts it
    _sign_in(page, base, "sec@example.org", "/ru/assistance/reports/")
    expect(page.locator("#report-delivered")).to_have_text("1")
    expect(page.locator("#report-days")).to_have_text("2")
    expect(page.locator("#report-ratings")).to_have_text("1")
