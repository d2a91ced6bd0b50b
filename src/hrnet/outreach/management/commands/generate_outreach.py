"""`hrnet generate_outreach --sites N --clients N --contacts N --seed S [--organisation ID]`:
invented sites, clients and contacts for benchmarks and demos, rolled up into evidence."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.members.models import Organisation
from hrnet.outreach.generator import outreach_generate


class Command(BaseCommand):
    help = "Generate invented service delivery data (sites, clients, contacts) and roll it up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sites", type=int, default=2)
        parser.add_argument("--clients", type=int, default=500)
        parser.add_argument("--contacts", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--organisation", type=int, default=None, help="organisation id")
        parser.add_argument("--no-rollup", action="store_true", help="skip the roll-up")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sites"] < 1 or options["clients"] < 1 or options["contacts"] < 0:
            raise CommandError("--sites and --clients must be at least 1.")
        try:
            result = outreach_generate(
                sites=options["sites"],
                clients=options["clients"],
                contacts=options["contacts"],
                seed=options["seed"],
                organisation_id=options["organisation"],
                rollup=not options["no_rollup"],
            )
        except Organisation.DoesNotExist as exc:
            raise CommandError("No such organisation (load the demo or members first).") from exc
        self.stdout.write(
            f"Sites: {len(result.sites)}. Clients: {result.clients}. "
            f"Contacts: {result.contacts}. Values written: {result.values_written}."
        )
