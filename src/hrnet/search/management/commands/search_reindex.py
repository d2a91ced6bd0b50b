from typing import Any

from django.core.management.base import BaseCommand

from hrnet.search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index of news and resources from the records (after restoring "
        "a backup into a new database, or an upgrade that changes what is indexed)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total}", ending="")

        count = index_rebuild(progress=progress)
        self.stderr.write("")
        self.stdout.write(f"Search entries: {count}.")
