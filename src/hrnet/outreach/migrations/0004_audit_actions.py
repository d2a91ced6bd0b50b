"""Audit actions in the one grammar `<app>.<noun>.<verb>` (`outreach/audit.py`): existing
audit entries are renamed, forward and backward. Written by hand: a data migration."""

from django.db import migrations

OLD_TO_NEW = {
    "outreach.site_create": "outreach.site.create",
    "outreach.site_update": "outreach.site.update",
    "outreach.site_deactivate": "outreach.site.deactivate",
    "outreach.site_staff_assign": "outreach.site_staff.assign",
    "outreach.site_staff_remove": "outreach.site_staff.remove",
    "outreach.client_find": "outreach.client.find",
    "outreach.client_register": "outreach.client.register",
    "outreach.client_merge": "outreach.client.merge",
    "outreach.client_list": "outreach.client.list",
    "outreach.client_view": "outreach.client.view",
    "outreach.contact_record": "outreach.contact.record",
    "outreach.referral_outcome_set": "outreach.referral_outcome.set",
    "outreach.contacts_export": "outreach.contacts.export",
    "outreach.aggregate_export": "outreach.aggregate.export",
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
        ("outreach", "0003_client_records_permission"),
    ]

    operations = [migrations.RunPython(forward, backward)]
