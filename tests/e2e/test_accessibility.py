"""axe-core (vendored, tests/e2e/vendor/axe-core) on the key pages, as the people who use
them, at a desktop and a phone width: no critical and no serious violation. axe does not
look inside charts (SVG), so a second check measures the contrast of every chart label
against what is behind it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.models import User
from hrnet.accounts.roles import Role
from hrnet.core.demo import DEMO_PASSWORD, demo_email, demo_users_create
from hrnet.events.models import Event
from hrnet.library.models import Resource
from hrnet.news.models import Article
from hrnet.outreach.models import SiteStaff
from hrnet.portal.demo import demo_content_create
from hrnet.portal.reference import reference_data_load

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Text in an SVG chart: its fill against the nearest painted background (a rect drawn
# under it, else the first ancestor with a background colour). WCAG AA: 4.5:1 for text.
SVG_CONTRAST = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const text of document.querySelectorAll('svg text')) {
    if (!text.textContent.trim() || text.getClientRects().length === 0) continue;
    const style = getComputedStyle(text);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    const fill = rgb(style.fill);
    if (fill.length < 3) continue;
    const box = text.getBoundingClientRect();
    let behind = background(text);
    // A filled shape drawn under the label's centre (a bar, a band) is what it sits on.
    const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
      .find((el) => el !== text && el.closest('svg') === text.closest('svg') && el.tagName !== 'svg'
        && el.tagName !== 'text' && rgb(getComputedStyle(el).fill).length >= 3
        && getComputedStyle(el).fill !== 'none');
    if (under) behind = rgb(getComputedStyle(under).fill).slice(0, 3);
    const r = ratio(fill.slice(0, 3), behind);
    if (r < 4.5) failures.push(`${text.textContent.trim().slice(0, 40)}: ${r.toFixed(2)}:1`);
  }
  return failures;
}
"""


def _pages() -> list[tuple[str, str]]:
    """(role that opens it, path): the pages a newcomer meets first, the secretariat's start
    page and a queue, and a phone page."""
    article = Article.objects.filter(published_at__lte=timezone.now(), language="en").latest(
        "published_at"
    )
    resource = Resource.objects.filter(status=Resource.Status.PUBLISHED).first()
    event = Event.objects.filter(status=Event.Status.PUBLISHED).first()
    assert resource
    assert event
    site = SiteStaff.objects.filter(user__email=demo_email(Role.SITESTAFF)).first()
    assert site
    return [
        ("", "/en/"),
        ("", "/ru/"),
        ("", reverse("news:article_list")),
        ("", reverse("news:article_detail", args=[article.pk])),
        ("", reverse("library:resource_detail", args=[resource.pk])),
        ("", reverse("events:event_list")),
        ("", reverse("events:event_detail", args=[event.pk])),
        ("", reverse("campaigns:campaign_list")),
        ("", reverse("evidence:overview")),
        ("", reverse("evidence:country_profile", args=["KZ"])),
        ("", reverse("members:directory")),
        ("", reverse("rights:intake")),
        ("", reverse("network:contact")),
        (Role.SECRETARIAT, reverse("members:dashboard")),
        (Role.SECRETARIAT, reverse("core:me")),
        (Role.SECRETARIAT, reverse("members:renewals_due")),
        (Role.SITESTAFF, reverse("outreach:contact_entry", args=[site.site_id])),
    ]


def _sign_in(page: Any, base: str, role: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.locator("input[name=username], input[type=email]").first.fill(demo_email(role))
    page.locator("input[type=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.slow
@override_settings(DEBUG=True)  # the demo's logins are only made with DEBUG on
def test_key_pages_have_no_serious_accessibility_violations(live_server, browser):
    # given: the reference and demo data a newcomer starts from
    reference_data_load()
    demo_users_create()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        demo_content_create()
    assert User.objects.filter(email=demo_email(Role.SECRETARIAT)).exists()
    pages = _pages()
    assert len(pages) >= 15
    found: dict[str, list[str]] = {}

    for width, height in ((1280, 900), (360, 780)):
        # (axe is injected as a script tag; the site's CSP would rightly refuse it)
        contexts: dict[str, Any] = {}
        for role, path in pages:
            if role not in contexts:
                contexts[role] = browser.new_context(
                    viewport={"width": width, "height": height}, bypass_csp=True
                )
                if role:
                    _sign_in(contexts[role].new_page(), live_server.url, role)
            page = contexts[role].new_page()
            page.goto(f"{live_server.url}{path}")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"
            )
            violations = [
                f"{v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(node["target"][0] if node["target"] else "" for node in v["nodes"][:3])
                for v in json.loads(result)["violations"]
                if v["impact"] in ("critical", "serious")
            ]
            violations += [f"chart text contrast {f}" for f in page.evaluate(SVG_CONTRAST)]
            if violations:
                found[f"{path} as {role or 'visitor'} at {width}px"] = violations
            page.close()
        for context in contexts.values():
            context.close()

    assert not found, json.dumps(found, indent=2, ensure_ascii=False)
