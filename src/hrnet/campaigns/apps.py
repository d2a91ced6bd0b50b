from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "hrnet.campaigns"
    label = "campaigns"
    verbose_name = _("Advocacy campaigns")

    def ready(self) -> None:
        from hrnet.campaigns.models import Campaign
        from hrnet.core.trash import register_trash

        register_trash(Campaign)
