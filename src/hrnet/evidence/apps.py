from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "hrnet.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        # Importing them registers the importers (values, funding, rates, needs).
        from hrnet.evidence import imports, imports_funding  # noqa: F401
