# Hand-written data migration: the audit actions of network took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `network/audit.py`); existing audit rows are renamed so that
# the log, its filters and the throttles that count rows keep reading them.

from django.db import migrations

RENAMES = {
    "partner.create": "network.partner.create",
    "partner.change": "network.partner.change",
    "project.create": "network.project.create",
    "project.change": "network.project.change",
    "commitment.create": "network.commitment.create",
    "commitment.change": "network.commitment.change",
    "commitment.output_link": "network.commitment_output.link",
    "commitment.output_unlink": "network.commitment_output.unlink",
    "team_member.create": "network.team_member.create",
    "team_member.update": "network.team_member.update",
    "contact_topic.create": "network.contact_topic.create",
    "contact_topic.update": "network.contact_topic.update",
    "contact.message": "network.contact_message.send",
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
        ("network", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
