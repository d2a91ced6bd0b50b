"""Audit actions in the one grammar `<app>.<noun>.<verb>` (`evidence/audit.py`): existing
audit entries are renamed, forward and backward. Written by hand: a data migration."""

from django.db import migrations

OLD_TO_NEW = {
    "evidence.values_write": "evidence.values.write",
    "evidence.form_save_draft": "evidence.form.save_draft",
    "evidence.form_submit": "evidence.form.submit",
    "evidence.form_reopen": "evidence.form.reopen",
}


def _rename(apps, schema_editor, mapping):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in mapping.items():
        AuditEntry.objects.filter(action=old).update(action=new)


def forward(apps, schema_editor):
    _rename(apps, schema_editor, OLD_TO_NEW)


def backward(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in OLD_TO_NEW.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("evidence", "0003_datavalue_site_indicator_aggregation_and_more"),
    ]

    operations = [migrations.RunPython(forward, backward)]
