"""`hrnet evidence_recompute [--indicator CODE] [--country ISO2]`: recompute every roll-up
(sites into countries, months into quarters and years), then every computed indicator, in
batches; after a change of the catalogue (an indicator's aggregation, a computed
indicator's inputs) or a repair."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hrnet.evidence.models import COMPUTED_SOURCE, DataValue, Indicator
from hrnet.evidence.services.rollups import all_targets, rollups_recompute
from hrnet.evidence.services.values import computed_values_recompute

CHUNK = 5000


class Command(BaseCommand):
    help = (
        "Recompute the aggregated values (sites into countries, months into quarters and "
        "years) and then the computed indicators, for everything or one indicator or country."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", default="", help="indicator code")
        parser.add_argument("--country", default="", help="ISO 3166 alpha-2 code")

    def handle(self, *args: Any, **options: Any) -> None:
        values = DataValue.objects.exclude(source=COMPUTED_SOURCE)
        if code := options["indicator"].strip():
            indicator = Indicator.objects.filter(code__iexact=code).first()
            if indicator is None:
                raise CommandError(f"Unknown indicator: {code}")
            ids = {indicator.pk}
            if indicator.kind == Indicator.Kind.COMPUTED:
                ids = {pk for pk in (indicator.numerator_id, indicator.denominator_id) if pk}
            values = values.filter(indicator_id__in=ids)
        if iso2 := options["country"].strip():
            values = values.filter(country__iso2__iexact=iso2)
        targets = sorted(all_targets(values.iterator(chunk_size=CHUNK)))
        aggregated = 0
        for start in range(0, len(targets), CHUNK):
            with transaction.atomic():
                result = rollups_recompute(targets=set(targets[start : start + CHUNK]), actor=None)
            aggregated += result.written
        self.stdout.write(
            f"Roll-ups checked: {len(targets)}. Aggregated values written: {aggregated}."
        )
        keys = sorted(
            (
                value.indicator_id,
                value.country_id,
                value.site_id or 0,
                value.period,
                value.disaggregation_key,
                value.source,
            )
            for value in values.iterator(chunk_size=CHUNK)
        )
        computed = 0
        for start in range(0, len(keys), CHUNK):
            with transaction.atomic():
                computed += computed_values_recompute(
                    changed_keys=set(keys[start : start + CHUNK]), actor=None
                )
        self.stdout.write(f"Inputs read: {len(keys)}. Computed values written: {computed}.")
