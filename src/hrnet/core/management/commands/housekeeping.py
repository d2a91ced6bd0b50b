from typing import Any

from django.core.management.base import BaseCommand

from hrnet.accounts.services import login_failure_purge
from hrnet.core.trash import trash_purge


class Command(BaseCommand):
    help = (
        "Daily clean-up: purge the trash past its retention period and forget old failed "
        "sign-ins (they hold IP addresses). Schedule it once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = trash_purge()
        forgotten = login_failure_purge()
        self.stdout.write(
            f"Purged {purged} records from the trash; forgot {forgotten} failed sign-ins."
        )
