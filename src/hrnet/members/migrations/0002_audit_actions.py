# Hand-written data migration: the member register's audit actions took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `members/audit.py`); existing audit rows are renamed so
# that the log, its filters (erasure finds merged records by their merge entries) and the
# application throttle that counts rows keep reading them.

from django.db import migrations

RENAMES = {
    "organisation.create": "members.organisation.create",
    "organisation.update": "members.organisation.update",
    "organisation.merge": "members.organisation.merge",
    "person.create": "members.person.create",
    "person.update": "members.person.update",
    "person.merge": "members.person.merge",
    "member.account_linked": "members.person.link_account",
    "person.data_export": "members.person_data.export",
    "person.erase": "members.person.erase",
    "affiliation.create": "members.affiliation.create",
    "affiliation.end": "members.affiliation.end",
    "affiliation.delete": "members.affiliation.delete",
    "members.import": "members.register.import",
    "members.export": "members.register.export",
    "membership.start": "members.membership.start",
    "membership.status_change": "members.membership.change_status",
    "membership.override": "members.membership.override",
    "membership.override_clear": "members.membership.clear_override",
    "membership.renew": "members.membership.renew",
    "membership.renewal_reminder": "members.membership.remind_renewal",
    "principles.publish": "members.principles.publish",
    "application.submit": "members.application.submit",
    "application.approve": "members.application.approve",
    "application.reject": "members.application.reject",
    "application.request_info": "members.application.request_info",
    "application.answer": "members.application.answer",
    "application.withdraw": "members.application.withdraw",
    "application.vote_start": "members.application.start_vote",
    "application.vote": "members.application.vote",
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
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
