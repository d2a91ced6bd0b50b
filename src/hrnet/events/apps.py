from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "hrnet.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from hrnet.core.trash import register_trash
        from hrnet.events import imports  # noqa: F401 - registers the attendance importer
        from hrnet.events.digest import register as digest_register
        from hrnet.events.models import Event
        from hrnet.events.privacy import account_event_data, account_event_data_erase
        from hrnet.members.services.privacy import personal_data_register

        register_trash(Event)
        personal_data_register(export=account_event_data, erase=account_event_data_erase)
        digest_register()  # the weekly digest lists upcoming events
