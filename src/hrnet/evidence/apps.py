from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "hrnet.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from hrnet.evidence import imports  # noqa: F401  # registers the importer
