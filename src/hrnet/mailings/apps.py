from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "hrnet.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.mailings.privacy import account_mailing_data, account_mailing_data_erase
        from hrnet.members.services.privacy import personal_data_register

        personal_data_register(export=account_mailing_data, erase=account_mailing_data_erase)
