"""Reads of the resource library. Every selector takes the acting user and returns only
what that user may see (through `policies.resource_policy`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from hrnet.core.models import IssueArea
from hrnet.core.types import Actor
from hrnet.library.models import Resource, ResourceFile
from hrnet.library.policies import resource_policy
from hrnet.members.policies import is_network_member, is_secretariat

PAGE_SIZE = 20


@dataclass(frozen=True)
class ResourceFilters:
    type: str = ""
    language: str = ""
    issue_area: str = ""  # IssueArea code
    country: str = ""  # ISO2
    year: int | None = None
    # Without `language`: one resource per document, in this language when it has one.
    prefer_language: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.as_query()

    def as_query(self) -> dict[str, str]:
        data = asdict(self)
        data.pop("prefer_language")
        return {key: str(value) for key, value in data.items() if value}


def _with_relations(resources: QuerySet) -> QuerySet:
    return resources.prefetch_related(
        "issue_areas",
        "countries",
        Prefetch("files", queryset=ResourceFile.objects.defer("extracted_text")),
    )


def _published(user: Actor) -> QuerySet:
    return resource_policy.instances_user_has_permission_for(user, "list").filter(
        status=Resource.Status.PUBLISHED
    )


def resource_list(*, user: Actor, filters: ResourceFilters | None = None) -> QuerySet:
    """Published resources `user` may see, newest first, narrowed by `filters`."""
    filters = filters or ResourceFilters()
    resources = _published(user)
    if filters.type:
        resources = resources.filter(type=filters.type)
    if filters.language:
        resources = resources.filter(language=filters.language)
    if filters.issue_area:
        resources = resources.filter(issue_areas__code=filters.issue_area)
    if filters.country:
        resources = resources.filter(countries__iso2=filters.country.upper())
    if filters.year:
        resources = resources.filter(publication_date__year=filters.year)
    if filters.prefer_language and not filters.language:
        # A document in several languages shows once: in the reader's language if it is
        # among the matching resources, else in each language it has.
        preferred = resources.filter(
            translation_key=OuterRef("translation_key"), language=filters.prefer_language
        )
        resources = resources.exclude(~Q(language=filters.prefer_language) & Exists(preferred))
    return _with_relations(resources.distinct().order_by("-published_at", "-id"))


def resource_years(*, user: Actor) -> list[int]:
    """Years of publication of the resources `user` may see, latest first (a filter)."""
    years = (
        _published(user)
        .annotate(year=ExtractYear("publication_date"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return [year for year in years if year]


def resource_get(*, user: Actor, pk: int) -> Resource:
    """One resource `user` may see (published, or their own submission); raises
    Resource.DoesNotExist otherwise."""
    resource = _with_relations(Resource.objects.select_related("submitted_by")).get(pk=pk)
    if not resource_policy.user_has_permission_for_instance(user, "view", resource):
        raise Resource.DoesNotExist
    return resource


def resource_requires_sign_in(*, pk: int) -> bool:
    """True when resource `pk` is a published members-only one: an anonymous visitor is
    asked to sign in rather than told it does not exist."""
    return Resource.objects.filter(
        pk=pk, status=Resource.Status.PUBLISHED, visibility=Resource.Visibility.MEMBERS
    ).exists()


def resource_file_get(*, user: Actor, pk: int) -> ResourceFile:
    """A file whose resource `user` may see; raises ResourceFile.DoesNotExist otherwise."""
    resource_file = ResourceFile.objects.select_related("resource").get(pk=pk)
    if resource_file.resource.in_trash or not resource_policy.user_has_permission_for_instance(
        user, "view", resource_file.resource
    ):
        raise ResourceFile.DoesNotExist
    return resource_file


def resource_translations(*, user: Actor, resource: Resource) -> list[Resource]:
    """The other-language versions of `resource` that `user` may see, in the order of
    settings.LANGUAGES."""
    others = (
        resource_policy.instances_user_has_permission_for(user, "view")
        .filter(translation_key=resource.translation_key, status=Resource.Status.PUBLISHED)
        .exclude(pk=resource.pk)
    )
    order = [code for code, _name in settings.LANGUAGES]
    return sorted(others, key=lambda r: order.index(r.language) if r.language in order else 99)


def resource_language_taken(*, resource: Resource, language: str) -> Resource | None:
    """The resource already in `language` among `resource`'s translations (also in the
    trash), if any."""
    return (
        Resource.all_objects.filter(translation_key=resource.translation_key, language=language)
        .exclude(pk=resource.pk)
        .first()
    )


def moderation_queue(*, user: Actor) -> QuerySet:
    """Submissions waiting for a decision, oldest first; the secretariat's only."""
    if not resource_policy.user_has_permission(user, "moderate"):
        return Resource.objects.none()
    return _with_relations(
        Resource.objects.filter(status=Resource.Status.SUBMITTED)
        .select_related("submitted_by")
        .order_by("created_at", "id")
    )


def moderation_selection(*, user: Actor, ids: list[int]) -> QuerySet:
    """The ticked submissions, whatever their status now (a bulk action names those
    decided meanwhile), oldest first; the secretariat's only."""
    if not resource_policy.user_has_permission(user, "moderate"):
        return Resource.objects.none()
    return Resource.objects.filter(pk__in=ids).order_by("created_at", "id")


def resources_submitted_by(*, user: Actor) -> QuerySet:
    """What `user` submitted, whatever its status, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Resource.objects.none()
    return _with_relations(Resource.objects.filter(submitted_by=user).order_by("-created_at"))


def resources_published_between(*, user: Actor, start: datetime, end: datetime) -> list[Resource]:
    """Published resources with `start <= published_at < end` that `user` may see, oldest
    first (the weekly digest)."""
    resources = (
        _published(user)
        .filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "id")
    )
    return list(_with_relations(resources))


def sitemap_resources() -> QuerySet:
    """Public published resources: what a search engine may list."""
    return Resource.objects.filter(
        status=Resource.Status.PUBLISHED, visibility=Resource.Visibility.PUBLIC
    ).order_by("-published_at", "-id")


def issue_areas_all() -> list[IssueArea]:
    return list(IssueArea.objects.all())


def may_see_members_only(user: Actor) -> bool:
    return is_network_member(user) or is_secretariat(user)
