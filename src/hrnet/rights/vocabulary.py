"""The words for the codes a case keeps (key populations, perpetrators, referral services
and statuses), so no page or answer shows a raw code such as `people_who_use_drugs`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hrnet.rights.models import PerpetratorType

# The key-population groups a person may belong to, as outreach records them.
KEY_POPULATIONS: list[tuple[str, Any]] = [
    ("pwid", _("People who inject drugs")),
    ("pwud", _("People who use drugs")),
    ("sex_workers", _("Sex workers")),
    ("msm", _("Men who have sex with men")),
    ("transgender", _("Transgender people")),
    ("prisoners", _("People in prisons")),
    ("partners", _("Partners of people who use drugs")),
]
KEY_POPULATION_LABELS: dict[str, Any] = dict(KEY_POPULATIONS)
# Spellings older records and imports used (migration 0005 rewrites stored ones).
KEY_POPULATION_ALIASES = {
    "people_who_use_drugs": "pwud",
    "people_who_inject_drugs": "pwid",
    "sex_worker": "sex_workers",
    "sw": "sex_workers",
    "tg": "transgender",
}
PERPETRATOR_LABELS: dict[str, Any] = dict(PerpetratorType.choices)


def _words(code: str) -> str:
    """A code no vocabulary knows, read as words rather than shown raw."""
    return code.replace("_", " ").replace("-", " ").strip().capitalize()


def key_population_label(code: str) -> str:
    label = KEY_POPULATION_LABELS.get(KEY_POPULATION_ALIASES.get(code, code))
    return str(label) if label is not None else _words(code)


def perpetrator_label(code: str) -> str:
    label = PERPETRATOR_LABELS.get(code)
    return str(label) if label is not None else _words(code)
