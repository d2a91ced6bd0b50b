"""Journey: a visitor reads a country's harm reduction profile on a laptop (1280 px) and on a
small phone (360 px): indicators are named, never coded; no chart label is cut or runs past
its chart; chart text stays readable. Screenshots go to /tmp/shots/ for a person to look at."""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from hrnet.evidence.models import Indicator
from hrnet.evidence.reference import indicators_load
from hrnet.evidence.services.store import ValueIn
from hrnet.evidence.services.values import data_values_write
from hrnet.geo.models import Country
from hrnet.geo.reference import geography_load

SHOTS = Path(tempfile.gettempdir()) / "shots"

# Per text element of each visible chart: its text, whether its box leaves the chart's
# box, and its font size as drawn on the screen.
TEXTS_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart__svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;  // the other layout, hidden by the media query
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (!r.width) continue;
      out.push({
        text: text.textContent,
        outside: r.left < box.left - 0.5 || r.right > box.right + 0.5
          || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5,
        px: parseFloat(getComputedStyle(text).fontSize) * scale,
      });
    }
  }
  return out;
}"""


def profile_data() -> None:
    geography_load()
    indicators_load()
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    kazakhstan = Country.objects.get(iso2="KZ")
    figures = {
        "PWID_SIZE_ESTIMATE": 120_000,
        "NS_DISTRIBUTED": 9_000_000,
        "OST_CLIENTS": 1_800,
        "PWID_REACHED": 60_000,
        "PWID_HIV_TESTED": 40_000,
        "PWID_LIVING_WITH_HIV": 16_000,
        "PWID_ON_ART": 7_000,
        "NSP_SITES": 65,
        "OST_SITES": 6,
        "HCV_AB_TESTED": 30_000,
        "HCV_AB_POSITIVE": 19_000,
        "HCV_RNA_TESTED": 15_000,
        "HCV_RNA_POSITIVE": 11_000,
        "HCV_TREATMENT_STARTED": 4_000,
        "HCV_CURED": 3_500,
    }
    data_values_write(
        values=[
            ValueIn(
                indicator=indicators[code],
                country=kazakhstan,
                period=str(year),
                period_kind="year",
                source="UNAIDS GAM",
                value=Decimal(round(value * (1 + 0.05 * (year - 2016)))),
            )
            for year in range(2016, 2026)
            for code, value in figures.items()
        ],
        actor=None,
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_public_country_profile_names_indicators_and_cuts_no_chart_label(
    live_server, browser, width
):
    # given: ten years of Kazakhstan's figures, coverage calculated from them
    profile_data()
    codes = set(Indicator.objects.values_list("code", flat=True))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)

    # when: a visitor opens the public profile
    page.goto(f"{live_server.url}/en/evidence/countries/KZ/")

    # then: no indicator code anywhere a reader looks
    text = page.locator("main").inner_text()
    assert "Kazakhstan: harm reduction profile" in text
    shown = {token for token in re.findall(r"\b[A-Z][A-Z0-9_]{5,}\b", text) if token in codes}
    assert shown == set()
    assert "reported by UNAIDS Global AIDS Monitoring" in text
    assert "calculated from:" in text
    # and every chart text is whole, inside its chart and readable
    texts = page.evaluate(TEXTS_JS)
    assert len(texts) > 20
    assert [t["text"] for t in texts if t["outside"]] == []
    assert [t["text"] for t in texts if t["text"].rstrip().endswith(("…", "..."))] == []
    assert min(t["px"] for t in texts) >= 11
    # the page itself does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"evidence-profile-{width}.png"), full_page=True)
    context.close()
