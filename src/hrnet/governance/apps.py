from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "hrnet.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.governance.privacy import (
            account_governance_data,
            account_governance_data_erase,
        )
        from hrnet.members.services.privacy import personal_data_register

        personal_data_register(export=account_governance_data, erase=account_governance_data_erase)
