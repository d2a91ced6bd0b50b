from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "hrnet.members"
    label = "members"
    verbose_name = _("Membership")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.accounts.hooks import register_account_created
        from hrnet.core.trash import register_trash, trash_listener_add
        from hrnet.members import imports  # noqa: F401 - registers the register's importers
        from hrnet.members.models import Organisation, Person
        from hrnet.members.services.onboarding import person_link_account
        from hrnet.members.services.register import merge_undo_on_restore

        register_trash(Organisation)
        register_trash(Person)
        trash_listener_add(merge_undo_on_restore)  # restoring a merged record undoes the merge
        register_account_created(person_link_account)  # an invited person joins the register
