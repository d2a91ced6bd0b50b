from typing import Any

from django.core.management.base import BaseCommand

from hrnet.events.services.feedback import feedback_requests_send
from hrnet.events.services.registration import events_tick


class Command(BaseCommand):
    help = (
        "What the clock moves for events: expire offers of a seat nobody answered and offer "
        "those seats to the next people waiting; send the reminders 24 hours and 1 hour "
        "before an event (each once); send the feedback survey after events that ended an "
        "hour ago (once per participant). Safe to run at any time and in parallel. Schedule it "
        "every 5 to 10 minutes (cron: */5 * * * * hrnet events_tick); the daily "
        "`hrnet housekeeping` runs it too, but that is too rare for 1-hour reminders. Guests' "
        "registrations never confirmed are deleted a week after."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = events_tick()
        surveys = feedback_requests_send()
        self.stdout.write(
            f"Offers expired: {report.expired}; reminders sent: {report.reminded_24h} "
            f"(24 hours), {report.reminded_1h} (1 hour); feedback surveys sent: {surveys}; "
            f"guest registrations never confirmed, deleted: {report.unverified_deleted}."
        )
