# Hand-written data migration: the audit actions of core took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `core/trash.py: CoreAction`); existing audit rows are renamed so that
# the log, its filters and the throttles that count rows keep reading them.

from django.db import migrations

RENAMES = {
    "trash.move": "core.trash.move",
    "trash.restore": "core.trash.restore",
    "trash.purge": "core.trash.purge",
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
    ]

    operations = [migrations.RunPython(forward, backward)]
