"""/api/v1/resources: the resource library as JSON, with the listing's filters and the
same visibility as the pages (`library.policies`).

Anonymous callers get public resources only. A personal token (`Authorization: Bearer
...`) or the browser session, when present, is used: network members then also get
members-only resources, and submitters their own submissions by id. A token that is sent
but not valid answers 401 rather than falling back to anonymous.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.core.rendering import body_html
from hrnet.core.types import Actor
from hrnet.library import selectors
from hrnet.library.models import Resource

resources_router = Router(tags=["library"])
# The one router the API mounts at its root; it carries the library's own prefix.
router = Router()


class ResourceFiltersIn(Schema):
    type: str = Field("", description="A resource type code, e.g. guidance, report.")
    language: str = Field("", description="A language code, e.g. en, ru.")
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    year: int | None = Field(None, description="Year of publication.", ge=1900, le=9999)

    def to_filters(self) -> selectors.ResourceFilters:
        return selectors.ResourceFilters(
            type=self.type.strip(),
            language=self.language.strip(),
            issue_area=self.issue_area.strip(),
            country=self.country.strip().upper(),
            year=self.year,
        )


class CodeName(Schema):
    code: str
    name: str


class CountryRef(Schema):
    iso2: str
    name: str


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Download address (the same permission check).")


class TranslationOut(Schema):
    id: int
    language: str
    title: str
    url: str


class ResourceOut(Schema):
    id: int
    type: str
    type_label: str
    title: str
    summary: str
    description: str = Field(description="Markdown, as written.")
    description_html: str = Field(description="The description rendered and sanitised.")
    language: str
    publisher: str
    authors: str
    publication_date: date
    visibility: str = Field(description="`public` or `members` (network members only).")
    status: str
    published_at: datetime | None
    external_url: str | None
    issue_areas: list[CodeName]
    countries: list[CountryRef]
    files: list[FileOut]
    translations: list[TranslationOut]
    url: str = Field(description="The resource's page.")


class ErrorOut(Schema):
    detail: str


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _page_url(request: HttpRequest, resource: Resource) -> str:
    with translation.override(resource.language):
        path = reverse("library:resource_detail", kwargs={"pk": resource.pk})
    return request.build_absolute_uri(path)


def _resource_out(
    request: HttpRequest, resource: Resource, translations: list[Resource]
) -> dict[str, Any]:
    return {
        "id": resource.pk,
        "type": resource.type,
        "type_label": resource.get_type_display(),
        "title": resource.title,
        "summary": resource.summary,
        "description": resource.description,
        "description_html": str(body_html(resource.description)),
        "language": resource.language,
        "publisher": resource.publisher,
        "authors": resource.authors,
        "publication_date": resource.publication_date,
        "visibility": resource.visibility,
        "status": resource.status,
        "published_at": resource.published_at,
        "external_url": resource.external_url or None,
        "issue_areas": [{"code": a.code, "name": a.name} for a in resource.issue_areas.all()],
        "countries": [{"iso2": c.iso2, "name": c.name} for c in resource.countries.all()],
        "files": [
            {
                "id": f.pk,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": request.build_absolute_uri(
                    reverse("library:file_download", kwargs={"pk": f.pk})
                ),
            }
            for f in resource.files.all()
        ],
        "translations": [
            {"id": t.pk, "language": t.language, "title": t.title, "url": _page_url(request, t)}
            for t in translations
        ],
        "url": _page_url(request, resource),
    }


def _translations_by_key(user: Actor, resources: list[Resource]) -> dict[Any, list[Resource]]:
    keys = {r.translation_key for r in resources}
    others = selectors.resource_list(user=user).filter(translation_key__in=keys)
    grouped: dict[Any, list[Resource]] = {}
    for other in others:
        grouped.setdefault(other.translation_key, []).append(other)
    return grouped


@resources_router.get("", response=list[ResourceOut], auth=OPTIONAL_AUTH)
@paginate(LimitOffsetPagination, default_limit=25, max_limit=100)
def resource_list(request: HttpRequest, filters: Query[ResourceFiltersIn]) -> Paged:
    """Published resources the caller may see, newest first, with the library's filters.
    Anonymous callers get public resources only."""
    user = _caller(request)
    resources = selectors.resource_list(user=user, filters=filters.to_filters())

    def render(page: list[Resource]) -> list[dict[str, Any]]:
        translations = _translations_by_key(user, page)
        return [
            _resource_out(
                request,
                resource,
                [t for t in translations.get(resource.translation_key, []) if t.pk != resource.pk],
            )
            for resource in page
        ]

    return Paged(resources, render=render)


@resources_router.get(
    "/{resource_id}", response={200: ResourceOut, 404: ErrorOut}, auth=OPTIONAL_AUTH
)
def resource_detail(request: HttpRequest, resource_id: int) -> Status:
    """One resource; 404 when it does not exist or the caller may not see it."""
    user = _caller(request)
    try:
        resource = selectors.resource_get(user=user, pk=resource_id)
    except Resource.DoesNotExist:
        return Status(404, {"detail": _("Not found.")})
    translations = selectors.resource_translations(user=user, resource=resource)
    return Status(200, _resource_out(request, resource, translations))


router.add_router("/resources", resources_router)
