"""The personal data a guest (registered for events without an account) asked for: print
it as JSON, or erase it. Accounts are handled by the members' export and erasure."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrnet.events.selectors.privacy import guest_event_data
from hrnet.events.services.privacy import guest_data_erase


class Command(BaseCommand):
    help = (
        "Print (as JSON) what the events hold about a guest who registered with EMAIL; with "
        "--erase --reason '...', erase it (registrations stay, anonymous, for the counts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true")
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"]
        if not options["erase"]:
            self.stdout.write(json.dumps(guest_event_data(email), ensure_ascii=False, indent=2))
            return
        if not options["reason"].strip():
            raise CommandError("Give --reason (e.g. the request) to erase.")
        count = guest_data_erase(email=email, actor=None, reason=options["reason"])
        self.stdout.write(f"Guest registrations erased: {count}.")
