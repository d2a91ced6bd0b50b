# Hand-written data migration: the audit actions of geo took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `geo/audit.py`); existing audit rows are renamed so that
# the log, its filters and the throttles that count rows keep reading them.

from django.db import migrations

RENAMES = {
    "geo.geography_import": "geo.geography.import",
    "geo.alias_import": "geo.alias.import",
}


def forward(apps, schema_editor):
    entries = apps.get_model("core", "AuditEntry")
    for old, new in RENAMES.items():
        entries.objects.filter(action=old).update(action=new)


def backward(apps, schema_editor):
    entries = apps.get_model("core", "AuditEntry")
    for old, new in RENAMES.items():
        entries.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("geo", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
