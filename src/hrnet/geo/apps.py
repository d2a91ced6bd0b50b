from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "hrnet.geo"
    label = "geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        # Imported here: the importers' models need the app registry ready.
        from hrnet.geo import imports  # noqa: F401 - registers the importers
