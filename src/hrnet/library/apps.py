from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "hrnet.library"
    label = "library"
    verbose_name = _("Resource library")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.core.trash import register_trash
        from hrnet.library.models import Resource
        from hrnet.library.search_documents import resource_search_document
        from hrnet.search.documents import register_searchable

        register_trash(Resource)
        register_searchable(Resource, resource_search_document)
