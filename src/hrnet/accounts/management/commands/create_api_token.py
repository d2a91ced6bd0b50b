"""`hrnet create_api_token EMAIL [--name NAME] [--days DAYS]`: a personal API token for
scripts, working for DAYS days (HRNET_API_TOKEN_DAYS unless given).

The token is printed alone on the last line, so `| tail -n 1` captures it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hrnet.accounts import selectors, services


class Command(BaseCommand):
    help = "Create an API token for the person with this email address and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email address the person signs in with.")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How many days the token works (default: HRNET_API_TOKEN_DAYS).",
        )

    def handle(self, *args: Any, email: str, name: str, days: int | None, **options: Any) -> None:
        user = selectors.user_get_by_email(email=email)
        if user is None:
            raise CommandError(_("No account has the email address %(email)s.") % {"email": email})
        if not user.is_active:
            raise CommandError(_("The account %(email)s is deactivated.") % {"email": user.email})
        try:
            token, key = services.api_token_create(
                user=user, name=name.strip() or _("Command-line token"), days=days
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("API token “%(name)s” for %(email)s, valid until %(date)s (shown only this once):")
            % {
                "name": token.name,
                "email": user.email,
                "date": token.expires_at.strftime("%Y-%m-%d %H:%M %Z"),
            }
        )
        self.stdout.write(key)
