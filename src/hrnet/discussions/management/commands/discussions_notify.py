"""`hrnet discussions_notify [--daily]`: email the new posts people follow or are mentioned
in (each once; safe to run every few minutes), and with `--daily` the daily summaries
(each person at most once a day, so a second run that day sends nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hrnet.discussions.services.notifications import daily_summaries_send, notifications_send


class Command(BaseCommand):
    help = (
        "Email the discussion posts waiting for people who want each at once; with --daily, "
        "also the daily summaries. Schedule every few minutes (the daily housekeeping sends "
        "the summaries too)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--daily", action="store_true", help="also send the daily summaries")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notifications_send()
        line = f"Discussion emails sent: {sent}"
        if options["daily"]:
            line += f"; daily summaries sent: {daily_summaries_send()}"
        self.stdout.write(line + ".")
