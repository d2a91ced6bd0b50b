# Hand-written data migration: the audit actions of rights took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `rights/audit.py`); existing audit rows are renamed so that
# the log and its filters keep reading them. The other rights actions had it already.

from django.db import migrations

RENAMES = {
    "rights.case_list": "rights.case.list",
    "rights.case.response_add": "rights.case_response.add",
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
        ("rights", "0002_closure_reason_encrypted"),
    ]

    operations = [migrations.RunPython(forward, backward)]
