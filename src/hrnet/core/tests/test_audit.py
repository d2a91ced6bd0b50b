"""Audit actions: every app declares its own, once, in one grammar `<app>.<noun>.<verb>`."""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter

import pytest
from django.apps import apps

from hrnet.core.audit import ACTION_GRAMMAR, AuditAction, log_action
from hrnet.core.models import AuditEntry


def _action_enums() -> list[type[AuditAction]]:
    """Every AuditAction subclass, once each installed app's `audit` module is imported."""
    for config in apps.get_app_configs():
        module = f"{config.name}.audit"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    found: list[type[AuditAction]] = []
    pending = list(AuditAction.__subclasses__())
    while pending:
        enum_class = pending.pop()
        found.append(enum_class)
        pending.extend(enum_class.__subclasses__())
    return found


def test_apps_declare_their_actions():
    assert len(_action_enums()) > 1


def test_every_action_follows_the_grammar_and_starts_with_its_app_label():
    wrong = []
    for enum_class in _action_enums():
        config = apps.get_containing_app_config(enum_class.__module__)
        assert config is not None, f"{enum_class.__module__} is not in an installed app"
        for member in enum_class:
            if not ACTION_GRAMMAR.match(member.value) or not member.value.startswith(
                f"{config.label}."
            ):
                wrong.append(f"{enum_class.__module__}.{enum_class.__name__}.{member.name}")
    assert wrong == []


def test_no_two_actions_share_a_value():
    values = Counter(
        member.value
        for enum_class in _action_enums()
        # An enum's aliases (two names, one value) are one member.
        for member in enum_class
    )
    assert [value for value, count in values.items() if count > 1] == []


@pytest.mark.django_db
def test_an_action_outside_the_grammar_is_refused_and_nothing_is_logged():
    with pytest.raises(ValueError, match=r"not <app>\.<noun>\.<verb>"):
        log_action(actor=None, action="member.approve")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_declared_action_is_stored_as_its_value():
    action = next(iter(_action_enums()[0]))
    entry = log_action(actor=None, action=action)
    assert AuditEntry.objects.get(pk=entry.pk).action == action.value


def test_the_audit_log_shows_fields_and_statuses_by_their_labels(client, secretariat):
    from hrnet.core.progress import job_start

    job = job_start(name="Weekly digest")
    log_action(
        actor=secretariat,
        action="core.job.update",
        obj=job,
        changes={"status": {"old": "queued", "new": "done"}, "total": 12},
    )
    client.force_login(secretariat)

    english = client.get("/en/audit/").content.decode()
    russian = client.get("/ru/audit/").content.decode()

    assert "Status: Queued → Done" in english
    assert "Total: 12" in english
    assert "Статус: В очереди → Завершена" in russian
    assert "Обновлено" in russian  # what was done, beside the action's code
    assert "core.job.update" in russian


def test_the_audit_log_shows_changes_recorded_under_a_reverse_relation(client, secretariat):
    # A service may record related rows under the name of a reverse relation (an event's
    # "sessions"): shown by that name, not an error.
    log_action(
        actor=secretariat,
        action="accounts.account.change",
        obj=secretariat,
        changes={"groups": ["secretariat"], "api_tokens": [1], "title": "x"},
    )
    client.force_login(secretariat)

    response = client.get("/ru/audit/")

    assert response.status_code == 200
    assert "Название: x" in response.content.decode()
