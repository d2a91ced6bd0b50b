from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "hrnet.campaigns"
    label = "campaigns"
    verbose_name = _("Advocacy campaigns")

    def ready(self) -> None:
        # Imported here: models and other apps cannot load before the app registry is ready.
        from hrnet.campaigns.models import Campaign
        from hrnet.campaigns.privacy import account_signature_data, account_signature_data_erase
        from hrnet.core.trash import register_trash
        from hrnet.members.services.privacy import personal_data_register

        register_trash(Campaign)
        personal_data_register(export=account_signature_data, erase=account_signature_data_erase)
