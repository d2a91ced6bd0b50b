"""Stored pictures rewritten without EXIF, GPS and other metadata (new uploads are stored
without it; `hrnet images_strip_metadata` does the same for every app at any time)."""

from django.db import migrations

from hrnet.core.images import model_images_strip


def strip(apps, schema_editor):
    model_images_strip(apps.get_model("members", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("members", "0002_audit_actions")]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
