"""`hrnet outreach_rollup [--site ID] [--from YYYY-MM]`: recompute the evidence values of
sites from their contacts (every month, and the quarters and years of distinct people),
in batches of sites; after an import of contacts or a repair."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.evidence.services.outreach import sites_recompute
from hrnet.outreach.models import Site


class Command(BaseCommand):
    help = "Recompute the evidence values of service delivery sites from their contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", type=int, default=None, help="site id")
        parser.add_argument("--from", dest="since", default="", help="first month, YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if text := options["since"].strip():
            try:
                since = datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007
            except ValueError as exc:
                raise CommandError(f"--from must be YYYY-MM, not {text!r}") from exc
        site_ids = None
        if options["site"] is not None:
            if not Site.objects.filter(pk=options["site"]).exists():
                raise CommandError(f"Unknown site: {options['site']}")
            site_ids = [options["site"]]
        written = sites_recompute(site_ids=site_ids, since=since)
        self.stdout.write(f"Values written: {written}.")
