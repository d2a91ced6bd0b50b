"""Writes of the resource library: submitting and adding resources with their files,
editing, moderating (publish, reject) and trashing them. Every write is audited, and the
search index is told after each; the text of new files is read by a background task."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.links import site_url
from hrnet.core.models import IssueArea
from hrnet.core.selectors import network_get
from hrnet.core.trash import trash_move
from hrnet.core.types import Actor
from hrnet.core.uploads import CheckedUpload, upload_check
from hrnet.geo.models import Country
from hrnet.library.audit import Action
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.policies import resource_policy
from hrnet.library.selectors import resource_language_taken
from hrnet.library.services.files import storage_delete
from hrnet.library.tasks import resource_file_extract_task
from hrnet.search.services import index_update

logger = logging.getLogger(__name__)

Status = Resource.Status
# Fields `resource_update` may change, besides issue areas and countries.
EDITABLE_FIELDS = (
    "type",
    "title",
    "summary",
    "description",
    "language",
    "publisher",
    "authors",
    "publication_date",
    "visibility",
    "external_url",
)


def _user_or_none(user: Actor) -> User | None:
    return user if isinstance(user, User) else None


def _uploads_check(uploads: Sequence[Any]) -> list[tuple[Any, CheckedUpload]]:
    """Every upload checked; all refusals reported at once under "uploads"."""
    checked: list[tuple[Any, CheckedUpload]] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            checked.append((upload, upload_check(upload)))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError({"uploads": errors})
    return checked


def _language_check(language: str) -> None:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(
            {"language": _("“%(value)s” is not a language of this site.") % {"value": language}}
        )


def _translation_slot_check(resource: Resource) -> None:
    taken = resource_language_taken(resource=resource, language=resource.language)
    if taken is not None:
        raise ValidationError(
            {
                "language": _(
                    "This resource already has a version in %(language)s: “%(title)s”%(trash)s."
                )
                % {
                    "language": resource.get_language_display(),
                    "title": taken.title,
                    "trash": _(" (in the trash)") if taken.in_trash else "",
                }
            }
        )


def _files_store(
    *, resource: Resource, checked: list[tuple[Any, CheckedUpload]], stored: list[str]
) -> list[ResourceFile]:
    files = []
    for upload, info in checked:
        resource_file = ResourceFile(
            resource=resource,
            original_name=info.original_name,
            content_type=info.kind.content_type,
            size=info.size,
            sha256=info.sha256,
            extraction_status=ResourceFile.Extraction.PENDING,
        )
        upload.seek(0)
        resource_file.file.save(info.original_name, upload, save=False)
        stored.append(resource_file.file.name)
        resource_file.save()
        files.append(resource_file)
    return files


def _extraction_enqueue(files: Iterable[ResourceFile]) -> None:
    for resource_file in files:
        transaction.on_commit(
            partial(resource_file_extract_task.enqueue, file_id=resource_file.pk), robust=True
        )


class _StoredFiles:
    """Deletes the files stored so far when the write fails, so none is left orphaned."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __enter__(self) -> list[str]:
        return self.names

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if exc_type is not None:
            storage_delete(self.names)


# --- creating and editing -------------------------------------------------------------


def resource_create(
    *,
    actor: Actor,
    type: str,
    title: str,
    summary: str,
    language: str,
    publication_date: date,
    description: str = "",
    visibility: str = Resource.Visibility.PUBLIC,
    publisher: str = "",
    authors: str = "",
    external_url: str = "",
    issue_areas: Iterable[IssueArea] = (),
    countries: Iterable[Country] = (),
    uploads: Sequence[Any] = (),
    translation_of: Resource | None = None,
    request: HttpRequest | None = None,
) -> Resource:
    """Submit a resource (network members: it waits for moderation) or add one (the
    secretariat: published at once). `uploads` are Django UploadedFiles, each checked
    from its bytes; a resource needs a file or an external link. `translation_of` links
    it as a translation of that resource (another language)."""
    resource_policy.require(actor, "add")
    checked = _uploads_check(uploads)
    if not checked and not external_url.strip():
        raise ValidationError(
            {"uploads": _("Attach a file (PDF, DOCX, XLSX or PPTX) or give an external link.")}
        )
    _language_check(language)
    publish = resource_policy.user_has_permission(actor, "moderate")
    now = timezone.now()
    resource = Resource(
        type=type,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        language=language,
        publication_date=publication_date,
        visibility=visibility,
        publisher=publisher.strip(),
        authors=authors.strip(),
        external_url=external_url.strip(),
        submitted_by=_user_or_none(actor),
        status=Status.PUBLISHED if publish else Status.SUBMITTED,
        moderated_by=_user_or_none(actor) if publish else None,
        moderated_at=now if publish else None,
        published_at=now if publish else None,
    )
    if translation_of is not None:
        resource_policy.require(actor, "view", translation_of)
        resource.translation_key = translation_of.translation_key
    resource.full_clean(exclude=["translation_key"])
    with _StoredFiles() as stored, transaction.atomic():
        if translation_of is not None:
            _translation_slot_check(resource)
        resource.save()
        resource.issue_areas.set(issue_areas)
        resource.countries.set(countries)
        files = _files_store(resource=resource, checked=checked, stored=stored)
        log_action(
            actor=actor,
            action=Action.RESOURCE_CREATE if publish else Action.RESOURCE_SUBMIT,
            obj=resource,
            changes={
                "status": resource.status,
                "language": resource.language,
                "visibility": resource.visibility,
                "files": [f.original_name for f in files],
                "translation_of": translation_of.pk if translation_of else None,
            },
            request=request,
        )
        _extraction_enqueue(files)
        index_update(resource)
    return resource


def resource_update(
    *,
    resource: Resource,
    actor: Actor,
    data: Mapping[str, Any],
    uploads: Sequence[Any] = (),
    files_remove: Iterable[ResourceFile] = (),
    request: HttpRequest | None = None,
) -> Resource:
    """Edit a resource (the secretariat): the fields in `data` (EDITABLE_FIELDS, plus
    `issue_areas` and `countries`), new files, and files to remove."""
    resource_policy.require(actor, "change", resource)
    checked = _uploads_check(uploads)
    before = {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            setattr(resource, name, value.strip() if isinstance(value, str) else value)
    _language_check(resource.language)
    removed = [f for f in files_remove if f.resource_id == resource.pk]
    remaining = resource.files.exclude(pk__in=[f.pk for f in removed]).exists()
    if not checked and not remaining and not resource.external_url:
        raise ValidationError(
            {"uploads": _("Attach a file (PDF, DOCX, XLSX or PPTX) or give an external link.")}
        )
    # The translation slot is checked below, against the trash too.
    resource.full_clean(exclude=["translation_key"])
    changes: dict[str, Any] = changed_fields(
        before, {name: getattr(resource, name) for name in EDITABLE_FIELDS}
    )
    with _StoredFiles() as stored, transaction.atomic():
        if "language" in changes:
            _translation_slot_check(resource)
        resource.save()
        for name, key in (("issue_areas", "code"), ("countries", "iso2")):
            if name in data:
                manager = getattr(resource, name)
                old = sorted(manager.values_list(key, flat=True))
                new = list(data[name])
                manager.set(new)
                new_keys = sorted(getattr(item, key) for item in new)
                if old != new_keys:
                    changes[name] = {"old": old, "new": new_keys}
        files = _files_store(resource=resource, checked=checked, stored=stored)
        if files:
            changes["files_added"] = [f.original_name for f in files]
        if removed:
            changes["files_removed"] = [f.original_name for f in removed]
            names = [f.file.name for f in removed]
            ResourceFile.objects.filter(pk__in=[f.pk for f in removed]).delete()
            transaction.on_commit(lambda: storage_delete(names), robust=True)
        log_action(
            actor=actor,
            action=Action.RESOURCE_CHANGE,
            obj=resource,
            changes=changes,
            request=request,
        )
        _extraction_enqueue(files)
        index_update(resource)
    return resource


# --- moderation -----------------------------------------------------------------------


def _lock(resource: Resource) -> None:
    """Lock the row and read its status again: two moderators cannot both decide."""
    resource.status = (
        Resource.objects.select_for_update()
        .filter(pk=resource.pk)
        .values_list("status", flat=True)
        .get()
    )


def _submitter_notify(*, resource: Resource, step: str) -> None:
    """Email the submitter about `step` in their language, after the commit (a mail server
    that is down must not undo the decision; the failure is logged)."""
    submitter = resource.submitted_by
    if submitter is None or not submitter.email:
        return
    language = submitter.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("library:resource_detail", kwargs={"pk": resource.pk})
        context = {
            "resource": resource,
            "name": submitter.full_name or submitter.email,
            "url": site_url(path),
            "network": network_get(),
        }
        subject = render_to_string(f"library/email/resource_{step}_subject.txt", context)
        body = render_to_string(f"library/email/resource_{step}_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[submitter.email],
        headers={"Content-Language": language},
    )
    transaction.on_commit(message.send, robust=True)


@transaction.atomic
def resource_publish(
    *, resource: Resource, actor: Actor, request: HttpRequest | None = None
) -> Resource:
    """Publish a submitted (or earlier rejected) resource; the submitter is emailed."""
    resource_policy.require(actor, "moderate", resource)
    _lock(resource)
    if resource.status == Status.PUBLISHED:
        raise ValidationError(_("This resource is already published."), code="published")
    old_status = resource.status
    now = timezone.now()
    resource.status = Status.PUBLISHED
    resource.moderated_by = _user_or_none(actor)
    resource.moderated_at = now
    resource.published_at = now
    resource.rejection_reason = ""
    resource.save(
        update_fields=[
            "status",
            "moderated_by",
            "moderated_at",
            "published_at",
            "rejection_reason",
            "updated_at",
        ]
    )
    log_action(
        actor=actor,
        action=Action.RESOURCE_PUBLISH,
        obj=resource,
        changes={"status": {"old": old_status, "new": resource.status}},
        request=request,
    )
    _submitter_notify(resource=resource, step="published")
    index_update(resource)
    return resource


@transaction.atomic
def resource_reject(
    *, resource: Resource, actor: Actor, reason: str, request: HttpRequest | None = None
) -> Resource:
    """Reject a submission, saying why; the submitter is emailed the reason."""
    resource_policy.require(actor, "moderate", resource)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the resource is rejected: the submitter reads it.")}
        )
    _lock(resource)
    if resource.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only a submission waiting for a decision can be rejected (this one is %(status)s).")
            % {"status": resource.get_status_display()},
            code="not_submitted",
        )
    resource.status = Status.REJECTED
    resource.moderated_by = _user_or_none(actor)
    resource.moderated_at = timezone.now()
    resource.rejection_reason = reason
    resource.save(
        update_fields=["status", "moderated_by", "moderated_at", "rejection_reason", "updated_at"]
    )
    log_action(
        actor=actor,
        action=Action.RESOURCE_REJECT,
        obj=resource,
        changes={"status": {"old": Status.SUBMITTED, "new": Status.REJECTED}, "reason": reason},
        request=request,
    )
    _submitter_notify(resource=resource, step="rejected")
    index_update(resource)
    return resource


def resource_trash(*, resource: Resource, actor: Actor, request: HttpRequest | None = None) -> None:
    """Move a resource to the trash (restorable by the secretariat; the search app drops it
    from the index)."""
    resource_policy.require(actor, "delete", resource)
    trash_move(obj=resource, actor=actor, request=request)
