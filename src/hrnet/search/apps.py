from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hrnet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.core.trash import trash_listener_add
        from hrnet.search.services import index_on_trash

        trash_listener_add(index_on_trash)
