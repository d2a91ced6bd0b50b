"""Show the fingerprint of each key in HRNET_RIGHTS_KEYS and which keys the stored rights
data needs; exits non-zero when this server cannot read all of it. Run it before dropping
an old key (it must no longer be needed) and after a restore."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrnet.rights import crypto


class Command(BaseCommand):
    help = (
        "Print the fingerprints of HRNET_RIGHTS_KEYS and which keys the rights cases and "
        "evidence files are encrypted with; fails when a needed key is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crypto.keyring()
        except ImproperlyConfigured as exc:
            raise CommandError(_("HRNET_RIGHTS_KEYS is not set.")) from exc
        report = crypto.key_report()
        for position, fingerprint in enumerate(report.configured):
            role = "encrypts and decrypts" if position == 0 else "decrypts"
            used = report.used.get(fingerprint, 0)
            self.stdout.write(f"key {fingerprint}: {role}; needed by {used} values and files")
        for fingerprint, count in sorted(report.used.items()):
            if fingerprint not in report.configured:
                self.stdout.write(f"key {fingerprint}: NOT CONFIGURED; needed by {count}")
        self.stdout.write(f"Checked {report.fields} encrypted values and {report.files} files.")
        if not report.readable:
            raise CommandError(crypto.key_report_problems(report))
