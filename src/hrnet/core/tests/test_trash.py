from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from hrnet.accounts.models import Invitation
from hrnet.core.models import AuditEntry
from hrnet.core.trash import trash_list, trash_move, trash_purge


@pytest.fixture
def invitation(secretariat):
    return Invitation.objects.create(
        email="new@example.org",
        role="member",
        token=Invitation.new_token(),
        invited_by=secretariat,
        expires_at=timezone.now() + timedelta(days=7),
    )


def test_trashed_record_disappears_from_normal_queries_and_appears_in_trash(
    secretariat, invitation
):
    trash_move(obj=invitation, actor=secretariat)

    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert [item.obj.pk for item in trash_list(user=secretariat)] == [invitation.pk]
    assert AuditEntry.objects.filter(
        action="core.trash.move", object_id=str(invitation.pk)
    ).exists()


def test_secretariat_restores_from_the_trash_page(client, secretariat, invitation):
    trash_move(obj=invitation, actor=secretariat)
    client.force_login(secretariat)
    content_type = ContentType.objects.get_for_model(Invitation)

    page = client.get(reverse("core:trash"))
    response = client.post(reverse("core:trash_restore", args=[content_type.pk, invitation.pk]))

    assert "new@example.org" in page.content.decode()
    assert response.status_code == 302
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert AuditEntry.objects.filter(action="core.trash.restore").exists()


def test_members_cannot_see_or_restore_the_trash(client, member, secretariat, invitation):
    trash_move(obj=invitation, actor=secretariat)
    client.force_login(member)
    content_type = ContentType.objects.get_for_model(Invitation)

    response = client.post(reverse("core:trash_restore", args=[content_type.pk, invitation.pk]))

    assert response.status_code == 403
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    with pytest.raises(PermissionDenied):
        trash_list(user=member)


def test_purge_deletes_only_what_outlived_the_retention_period(settings, secretariat, invitation):
    settings.HRNET_TRASH_RETENTION_DAYS = 30
    recent = Invitation.objects.create(
        email="recent@example.org",
        role="member",
        token=Invitation.new_token(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    trash_move(obj=invitation, actor=secretariat)
    trash_move(obj=recent, actor=secretariat)
    Invitation.all_objects.filter(pk=invitation.pk).update(
        deleted_at=timezone.now() - timedelta(days=31)
    )

    purged = trash_purge()

    assert purged == 1
    assert not Invitation.all_objects.filter(pk=invitation.pk).exists()
    assert Invitation.all_objects.filter(pk=recent.pk).exists()


def test_restoring_something_not_in_the_trash_is_404(client, secretariat, invitation):
    client.force_login(secretariat)
    content_type = ContentType.objects.get_for_model(Invitation)

    live = client.post(reverse("core:trash_restore", args=[content_type.pk, invitation.pk]))
    no_trash = client.post(reverse("core:trash_restore", args=[999999, 1]))

    assert live.status_code == 404
    assert no_trash.status_code == 404
