"""`hrnet mailings_send`: send the mailings that are due (scheduled ones when the task
backend cannot wait, and those a stopped worker left half-sent). Safe to run every
minute: rows already sent are never sent again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hrnet.mailings.services.delivery import mailing_deliver, mailings_due


class Command(BaseCommand):
    help = "Send the mailings that are due, and finish those a stopped worker left."

    def handle(self, *args: Any, **options: Any) -> None:
        for pk in mailings_due():
            mailing = mailing_deliver(mailing_id=pk)
            self.stdout.write(f"mailing {pk}: {mailing.status}")
