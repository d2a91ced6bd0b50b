from typing import Any

from django.core.management.base import BaseCommand

from hrnet.portal.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Load (or refresh) sub-regions, countries, aliases, issue areas, the network and the "
        "indicator catalogue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load()
        self.stdout.write(
            f"Loaded {counts['countries']} countries, {counts['aliases']} aliases, "
            f"{counts['issue_areas']} issue areas, {counts['indicators']} indicators, "
            f"{counts['disaggregation_categories']} disaggregation categories."
        )
