# Hand-written data migration: the audit actions of technical assistance took the one
# grammar `<app>.<noun>.<verb>` (issue 15, `assistance/audit.py`); existing audit rows are
# renamed so that the log and its filters keep reading them. The roster's "expert.add" and
# "expert.change" become the names the admin already logs for experts
# ("assistance.expert.add"/"change"), so going backward renames those admin rows too.

from django.db import migrations

RENAMES = {
    "expert.add": "assistance.expert.add",
    "expert.change": "assistance.expert.change",
    "assistance_request.submit": "assistance.request.submit",
    "assistance_request.triaged": "assistance.request.triage",
    "assistance_request.assigned": "assistance.request.assign",
    "assistance_request.in_progress": "assistance.request.start",
    "assistance_request.delivered": "assistance.request.deliver",
    "assistance_request.closed": "assistance.request.close",
    "assistance_request.declined": "assistance.request.decline",
    "assistance_request.rate": "assistance.request.rate",
    "assistance_request.remind_due": "assistance.request.remind_due",
    "assistance_request.remind_overdue": "assistance.request.remind_overdue",
    "assistance_request.log_work": "assistance.work_log.add",
    "assistance_request.add_deliverable": "assistance.deliverable.add",
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
        ("assistance", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
