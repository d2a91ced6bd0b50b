from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from hrnet.core.progress import ProgressPrinter, job_finish, job_start
from hrnet.news.services.digest import digest_send


class Command(BaseCommand):
    help = (
        "Send this week's news digest to every subscribed member who has not had it yet. "
        "Each member gets at most one digest per ISO week, so running it again is harmless."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        job = job_start(name="Weekly digest")
        report = digest_send(progress=ProgressPrinter(job, cast(TextIO, self.stderr._out)))
        job_finish(job, result=report.as_dict(), failed=bool(report.failed))
        self.stdout.write(
            f"Digests sent: {report.sent}; nothing new: {report.empty}; already sent this "
            f"week: {report.already}; no longer network members: {report.not_members}; "
            f"failed: {report.failed}."
        )
        if report.failed:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{report.failed} digests could not be sent; run again to retry.")
