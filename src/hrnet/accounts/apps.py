from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hrnet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.accounts.models import Invitation
        from hrnet.core.trash import register_trash

        register_trash(Invitation)
