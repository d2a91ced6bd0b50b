from typing import Any

from django.core.management.base import BaseCommand

from hrnet.assistance.services import due_reminders_send


class Command(BaseCommand):
    help = (
        "Remind experts of technical-assistance requests due soon (once) and overdue (once). "
        "Safe to run at any time; schedule it daily (`hrnet housekeeping` runs it too)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = due_reminders_send()
        self.stdout.write(
            f"Due reminders sent: {report.due}; overdue reminders sent: {report.overdue}."
        )
