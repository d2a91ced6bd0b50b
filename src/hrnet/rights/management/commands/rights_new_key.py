"""Print a new key for HRNET_RIGHTS_KEYS (put it first to start encrypting with it, then
run `hrnet rights_rotate_keys`)."""

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new encryption key for HRNET_RIGHTS_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(Fernet.generate_key().decode())
