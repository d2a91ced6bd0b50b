# Hand-written data migration: the audit actions of library took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `library/audit.py`); existing audit rows are renamed so that
# the log and its filters keep reading them.

from django.db import migrations

RENAMES = {
    "resource.create": "library.resource.create",
    "resource.submit": "library.resource.submit",
    "resource.change": "library.resource.change",
    "resource.publish": "library.resource.publish",
    "resource.reject": "library.resource.reject",
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
        ("library", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
