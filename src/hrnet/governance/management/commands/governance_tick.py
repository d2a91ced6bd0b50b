from typing import Any

from django.core.management.base import BaseCommand

from hrnet.governance.services.notices import notices_send


class Command(BaseCommand):
    help = (
        "Emails voters about elections, each in their language and each at most once: "
        "nominations are open, voting is open (with the link to vote), two days left (to "
        "those who have not voted), results published. Safe to run at any time and in "
        "parallel. Schedule it every 15 minutes (cron: */15 * * * * hrnet governance_tick); "
        "the daily `hrnet housekeeping` runs it too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notices_send()
        self.stdout.write(
            f"Election emails sent: {sent['nominations']} (nominations open), "
            f"{sent['voting']} (voting open), {sent['reminder']} (two days left), "
            f"{sent['results']} (results published)."
        )
