# Hand-written data migration: the audit actions of events took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `events/audit.py`); existing audit rows are renamed so that
# the log and its filters keep reading them.

from django.db import migrations

RENAMES = {
    "event.create": "events.event.create",
    "event.change": "events.event.change",
    "event.publish": "events.event.publish",
    "event.cancel": "events.event.cancel",
    "event.question_add": "events.question.add",
    "event.question_delete": "events.question.delete",
    "event.report_export": "events.report.export",
    "event.participants_export": "events.participant_list.export",
    "registration.create": "events.registration.create",
    "registration.offer": "events.registration.offer",
    "registration.offer_expire": "events.registration.offer_expire",
    "registration.offer_accept": "events.registration.offer_accept",
    "registration.offer_decline": "events.registration.offer_decline",
    "registration.cancel": "events.registration.cancel",
    "registration.approve": "events.registration.approve",
    "registration.decline": "events.registration.decline",
    "attendance.check_in": "events.attendance.check_in",
    "attendance.undo": "events.attendance.undo",
    "attendance.import": "events.attendance.import",
    "certificate.issue": "events.certificate.issue",
    "certificate.revoke": "events.certificate.revoke",
    "feedback.request": "events.feedback.request",
    "feedback.submit": "events.feedback.submit",
    "feedback.change": "events.feedback.change",
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
        ("events", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
