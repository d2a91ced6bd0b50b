# Hand-written data migration: the audit actions of accounts took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `accounts/audit.py`); existing audit rows are renamed so that
# the log, its filters and the throttles that count rows keep reading them.

from django.db import migrations

RENAMES = {
    "account.demo_create": "accounts.account.demo_create",
    "account.login": "accounts.account.login",
    "account.login_throttled": "accounts.account.login_throttled",
    "account.logout": "accounts.account.logout",
    "account.two_factor_enable": "accounts.two_factor.enable",
    "account.two_factor_verify": "accounts.two_factor.verify",
    "account.two_factor_disable": "accounts.two_factor.disable",
    "account.two_factor_backup_codes": "accounts.two_factor.backup_codes_regenerate",
    "account.password_change": "accounts.password.change",
    "account.password_reset": "accounts.password.reset",
    "account.password_reset_request": "accounts.password.reset_request",
    "account.profile_change": "accounts.profile.change",
    "api_token.create": "accounts.api_token.create",
    "api_token.revoke": "accounts.api_token.revoke",
    "invitation.create": "accounts.invitation.create",
    "invitation.resend": "accounts.invitation.resend",
    "invitation.delete": "accounts.invitation.delete",
    "invitation.accept": "accounts.invitation.accept",
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
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
