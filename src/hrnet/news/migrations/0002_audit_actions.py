# Hand-written data migration: the audit actions of news took the one grammar
# `<app>.<noun>.<verb>` (issue 15, `news/audit.py`); existing audit rows are renamed so that
# the log and its filters keep reading them.

from django.db import migrations

RENAMES = {
    "article.create": "news.article.create",
    "article.change": "news.article.change",
    "article.publish": "news.article.publish",
    "article.schedule": "news.article.schedule",
    "article.unpublish": "news.article.unpublish",
    "digest.subscribe": "news.digest.subscribe",
    "digest.unsubscribe": "news.digest.unsubscribe",
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
        ("news", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
