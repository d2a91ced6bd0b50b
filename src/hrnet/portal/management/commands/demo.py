"""`hrnet demo`: everything a newcomer needs, in one command."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from hrnet.core.demo import DEMO_PASSWORD, demo_users_create
from hrnet.portal.demo import demo_content_create, demo_site_url
from hrnet.portal.reference import reference_data_load


class Command(BaseCommand):
    help = (
        "Migrate the database, load reference and demo data, print the demo logins and "
        "serve on http://127.0.0.1:PORT (only with DEBUG on)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "hrnet demo creates logins with a published password and refuses to run "
                "with DEBUG off. Use `hrnet migrate` and `hrnet load_reference_data` instead."
            )
        # Links in emails and certificates (HRNET_SITE_URL) point at the port served here.
        site_url = demo_site_url(settings.HRNET_SITE_URL, options["port"])
        with override_settings(HRNET_SITE_URL=site_url):
            self._demo(site_url=site_url, **options)

    def _demo(self, *, site_url: str, **options: Any) -> None:
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        counts = reference_data_load()
        logins = demo_users_create()
        # The demo's own notifications (a moderated submission, say) are not news to the
        # person starting it: keep them off the terminal.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            demo_content_create()
        self.stdout.write(
            f"Loaded {counts['countries']} countries and {counts['issue_areas']} issue areas."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD})"))
        for label, email in logins:
            self.stdout.write(f"  {email:<28} {label}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        address = f"127.0.0.1:{options['port']}"
        self.stdout.write(f"Serving on http://{address}/ (press Ctrl+C to stop)")
        if site_url.rstrip("/") != f"http://{address}":
            self.stdout.write(f"Links in emails and certificates: {site_url}")
        call_command("runserver", address, use_reloader=False, skip_checks=True)
