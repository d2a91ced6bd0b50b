from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "hrnet.network"
    label = "network"
    verbose_name = _("Network pages")

    def ready(self) -> None:
        # Imported here: models and other apps cannot load before the app registry is ready.
        from hrnet.members.services.privacy import personal_data_register
        from hrnet.network.privacy import contact_messages_data, contact_messages_erase

        personal_data_register(export=contact_messages_data, erase=contact_messages_erase)
