"""Words for readers: where a value comes from as readers name it ("UNAIDS Global AIDS
Monitoring", not the stored "UNAIDS GAM") and what a unit is called, in the reader's
language. A stored source or unit we have no words for is shown as stored."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.evidence.models import AGGREGATED_SOURCE, COMPUTED_SOURCE

# Stored source -> its name as readers say it. Imports may bring any source; the usual
# ones of the region are named here.
SOURCE_NAMES = {
    "UNAIDS GAM": _("UNAIDS Global AIDS Monitoring"),
    # The demo's source before it was renamed (demo databases made earlier).
    "UNAIDS GAM (demo)": _("UNAIDS Global AIDS Monitoring"),
    "UNAIDS estimates": _("UNAIDS estimates"),
    "HRI": _("Harm Reduction International"),
    "national report": _("national report"),
    "programme data": _("programme reports of the sites"),
    "programme data (contacts)": _("outreach records of the sites"),
    COMPUTED_SOURCE: _("calculated from other figures"),
    AGGREGATED_SOURCE: _("added up from the sites' and months' reports"),
}

# Stored unit (indicators.csv) -> its name in the reader's language.
UNIT_NAMES = {
    "people": pgettext_lazy("unit", "people"),
    "items": pgettext_lazy("unit", "items"),
    "sites": pgettext_lazy("unit", "sites"),
    "per PWID per year": pgettext_lazy("unit", "per person who injects drugs per year"),
    "percent": pgettext_lazy("unit", "percent"),
}


def source_name(source: str) -> str:
    return str(SOURCE_NAMES.get(source, source))


def unit_name(unit: str) -> str:
    return str(UNIT_NAMES.get(unit, unit))


def lower_first(text: str) -> str:
    """A name inside a sentence: "Estimated number ..." -> "estimated number ...", but
    "HIV testing" and "ЛУИН, ..." stay as they are (an abbreviation keeps its capitals)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
