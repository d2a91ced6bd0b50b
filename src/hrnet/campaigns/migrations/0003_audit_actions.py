# Hand-written data migration: the audit actions of campaigns took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `campaigns/audit.py`); existing audit rows are renamed so that
# the log, its filters and the throttles that count rows keep reading them.

from django.db import migrations

RENAMES = {
    "campaign.create": "campaigns.campaign.create",
    "campaign.change": "campaigns.campaign.change",
    "campaign.join": "campaigns.campaign.join",
    "campaign.leave": "campaigns.campaign.leave",
    "campaign_action.create": "campaigns.campaign_action.create",
    "campaign_action.change": "campaigns.campaign_action.change",
    "campaign_action.delete": "campaigns.campaign_action.delete",
    "campaign_outcome.create": "campaigns.campaign_outcome.create",
    "campaign_outcome.change": "campaigns.campaign_outcome.change",
    "campaign_outcome.delete": "campaigns.campaign_outcome.delete",
    "signature.create": "campaigns.signature.create",
    "signature.verify": "campaigns.signature.verify",
    "signature.reject": "campaigns.signature.reject",
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
        ("campaigns", "0002_signatures_rejected_do_not_block"),
    ]

    operations = [migrations.RunPython(forward, backward)]
