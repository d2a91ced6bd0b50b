"""`hrnet images_strip_metadata`: rewrite every stored picture (each ImageField of every
app: news photos, logos, team and candidate photos) without EXIF, GPS and other metadata.
New uploads are stored without it already; this is for files stored before, and can be run
again at any time (a clean picture is left as it is). The news and members migrations that
introduced the clean uploads ran the same for their pictures."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from hrnet.core.images import model_images_strip


class Command(BaseCommand):
    help = "Rewrite stored pictures without EXIF, GPS and other metadata."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            total += model_images_strip(model)
        self.stdout.write(f"{total} pictures rewritten without metadata.")
