from typing import Any

from django.core.management.base import BaseCommand

from hrnet.core.trash import trash_purge


class Command(BaseCommand):
    help = "Delete for good what has been in the trash longer than HRNET_TRASH_RETENTION_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Purged {trash_purge()} records.")
