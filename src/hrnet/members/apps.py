from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "hrnet.members"
    label = "members"
    verbose_name = _("Membership")

    def ready(self) -> None:
        from hrnet.core.trash import register_trash
        from hrnet.members import imports  # noqa: F401 - registers the register's importers
        from hrnet.members.models import Organisation, Person

        register_trash(Organisation)
        register_trash(Person)
