from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "hrnet.rights"
    label = "rights"
    verbose_name = _("Human-rights cases")

    def ready(self) -> None:
        from hrnet.rights import checks  # noqa: F401  # registers the deploy check
