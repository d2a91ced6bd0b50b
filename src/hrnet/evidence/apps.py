from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "hrnet.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        # Here, not at module level: the app registry is not ready then. Importing them
        # registers the importers (values, DHIS2, funding, rates, needs).
        from hrnet.evidence.imports import dhis2, funding, values  # noqa: F401
        from hrnet.evidence.services.outreach import contacts_changed
        from hrnet.outreach.changes import contacts_listener_add

        contacts_listener_add(contacts_changed)
