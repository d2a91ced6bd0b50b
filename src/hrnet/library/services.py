"""Writes of the resource library: submitting and adding resources with their files,
editing, moderating (publish, reject) and trashing them, and the text extraction the
background task runs. Every write is audited, and the search index is told after each."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.core.audit import changed_fields, log_action
from hrnet.core.models import IssueArea
from hrnet.core.selectors import network_get
from hrnet.core.trash import trash_move
from hrnet.geo.models import Country
from hrnet.library.extraction import ExtractionError, text_extract
from hrnet.library.models import UPLOAD_FOLDER, Resource, ResourceFile
from hrnet.library.policies import resource_policy
from hrnet.library.selectors import resource_language_taken
from hrnet.library.uploads import KINDS_BY_CONTENT_TYPE, CheckedUpload, upload_check
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


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


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
    from hrnet.library.tasks import resource_file_extract_task

    for resource_file in files:
        transaction.on_commit(
            partial(resource_file_extract_task.enqueue, file_id=resource_file.pk), robust=True
        )


def _storage_delete(names: Iterable[str]) -> None:
    from hrnet.library.storage import private_storage

    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.warning("Could not delete library file %s", name, exc_info=True)


class _StoredFiles:
    """Deletes the files stored so far when the write fails, so none is left orphaned."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def __enter__(self) -> list[str]:
        return self.names

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if exc_type is not None:
            _storage_delete(self.names)


# --- creating and editing -------------------------------------------------------------


def resource_create(
    *,
    actor: Any,
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
    if not resource_policy.user_has_permission(actor, "add"):
        raise PermissionDenied
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
        if not resource_policy.user_has_permission_for_instance(actor, "view", translation_of):
            raise PermissionDenied
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
            action="resource.create" if publish else "resource.submit",
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
    actor: Any,
    data: Mapping[str, Any],
    uploads: Sequence[Any] = (),
    files_remove: Iterable[ResourceFile] = (),
    request: HttpRequest | None = None,
) -> Resource:
    """Edit a resource (the secretariat): the fields in `data` (EDITABLE_FIELDS, plus
    `issue_areas` and `countries`), new files, and files to remove."""
    if not resource_policy.user_has_permission_for_instance(actor, "change", resource):
        raise PermissionDenied
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
            transaction.on_commit(lambda: _storage_delete(names), robust=True)
        log_action(
            actor=actor, action="resource.change", obj=resource, changes=changes, request=request
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
            "url": settings.HRNET_SITE_URL.rstrip("/") + path,
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
    *, resource: Resource, actor: Any, request: HttpRequest | None = None
) -> Resource:
    """Publish a submitted (or earlier rejected) resource; the submitter is emailed."""
    if not resource_policy.user_has_permission_for_instance(actor, "moderate", resource):
        raise PermissionDenied
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
        action="resource.publish",
        obj=resource,
        changes={"status": {"old": old_status, "new": resource.status}},
        request=request,
    )
    _submitter_notify(resource=resource, step="published")
    index_update(resource)
    return resource


@transaction.atomic
def resource_reject(
    *, resource: Resource, actor: Any, reason: str, request: HttpRequest | None = None
) -> Resource:
    """Reject a submission, saying why; the submitter is emailed the reason."""
    if not resource_policy.user_has_permission_for_instance(actor, "moderate", resource):
        raise PermissionDenied
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
        action="resource.reject",
        obj=resource,
        changes={"status": {"old": Status.SUBMITTED, "new": Status.REJECTED}, "reason": reason},
        request=request,
    )
    _submitter_notify(resource=resource, step="rejected")
    index_update(resource)
    return resource


def resource_trash(*, resource: Resource, actor: Any, request: HttpRequest | None = None) -> None:
    """Move a resource to the trash (restorable by the secretariat; the search app drops it
    from the index)."""
    if not resource_policy.user_has_permission_for_instance(actor, "delete", resource):
        raise PermissionDenied
    trash_move(obj=resource, actor=actor, request=request)


# --- housekeeping ---------------------------------------------------------------------


def resource_files_orphans_delete(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Delete stored files that no ResourceFile names any more: the trash purge deletes
    resources (and their file rows) in bulk, leaving the bytes behind. Files younger than
    `older_than` are kept: their row may not be committed yet. Returns how many went."""
    from hrnet.library.storage import private_storage

    try:
        _folders, names = private_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    known = set(ResourceFile.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    orphans = []
    for name in names:
        path = f"{UPLOAD_FOLDER}/{name}"
        if path in known:
            continue
        try:
            if private_storage.get_modified_time(path) > cutoff:
                continue
        except (OSError, NotImplementedError):
            continue
        orphans.append(path)
    _storage_delete(orphans)
    return len(orphans)


# --- text extraction ------------------------------------------------------------------


def resource_file_extract(*, file_id: int) -> str:
    """Read the text of one file into `extracted_text` and re-index its resource. A file
    that cannot be read is marked failed, and stays downloadable. Returns the status."""
    resource_file = ResourceFile.objects.filter(pk=file_id).first()
    if resource_file is None:
        return "missing"
    kind = KINDS_BY_CONTENT_TYPE.get(resource_file.content_type)
    Extraction = ResourceFile.Extraction
    if kind is None:
        resource_file.extraction_status = Extraction.NONE
        resource_file.save(update_fields=["extraction_status", "updated_at"])
        return resource_file.extraction_status
    try:
        with resource_file.file.open("rb") as handle:
            data = handle.read()
        text = text_extract(data, kind.code)
    except (ExtractionError, OSError) as exc:
        logger.warning("Text extraction of library file %s failed: %s", file_id, exc)
        resource_file.extraction_status = Extraction.FAILED
        resource_file.extraction_error = str(exc)[:500]
        resource_file.extracted_text = ""
    else:
        resource_file.extraction_status = Extraction.DONE
        resource_file.extraction_error = ""
        resource_file.extracted_text = text
    resource_file.save(
        update_fields=["extraction_status", "extraction_error", "extracted_text", "updated_at"]
    )
    resource = Resource.all_objects.get(pk=resource_file.resource_id)
    index_update(resource)
    return resource_file.extraction_status
