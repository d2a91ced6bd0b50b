from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "hrnet.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.core.trash import register_trash
        from hrnet.events import imports  # noqa: F401 - registers the attendance importer
        from hrnet.events.models import Event
        from hrnet.events.selectors.digest import upcoming_events_section
        from hrnet.events.selectors.privacy import account_event_data
        from hrnet.events.services.privacy import account_event_data_erase
        from hrnet.members.services.privacy import personal_data_register
        from hrnet.news.services.digest import digest_section_register

        register_trash(Event)
        personal_data_register(export=account_event_data, erase=account_event_data_erase)
        # The weekly digest lists upcoming events.
        digest_section_register("events", upcoming_events_section, position=30)
