"""/api/v1/members: the member directory as JSON, and /api/v1/members/counts: how many
current members the caller may see (the same figures as every page).

Members are organisations and individuals, kept in two tables, so a member is named by its
kind and its id: `/api/v1/members/organisation/12`, `/api/v1/members/individual/34`; every
item of the list carries both (`kind`, `id`).

Anonymous callers get the members who opted in to public listing, with public fields only.
A personal token (`Authorization: Bearer ...`) or the browser session, when present, is used:
network members then see every current member and organisations' email addresses. A token
that is sent but not valid answers 401 rather than falling back to anonymous.
"""

# No `from __future__ import annotations`: @paginate's wrapper makes ninja read the list
# view's annotations in ninja.pagination's namespace, so they must be real objects.

from collections.abc import Sequence
from typing import Any, Literal, cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.core.pagination import LimitOffsetPagination, Paged
from hrnet.members.models import Organisation, Person
from hrnet.members.selectors import directory as selectors
from hrnet.members.selectors.counts import member_counts

router = Router(tags=["membership"])


MemberKind = Literal["organisation", "individual"]


class MemberFilters(Schema):
    subregion: str = Field("", description="Sub-region code, e.g. CENTRAL_ASIA.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")
    type: str = Field(
        "",
        description="An organisation type (ngo, community_led, service_provider, research, "
        "public_body, network) or `individual`.",
    )
    issue_area: str = Field("", description="Issue-area code, e.g. HIV.")
    community_led: bool = Field(False, description="Community-led organisations only.")
    q: str = Field("", description="Part of the name, in any language; case-insensitive.")

    def to_filters(self) -> selectors.DirectoryFilters:
        return selectors.DirectoryFilters(
            subregion=self.subregion.strip(),
            country=self.country.strip().upper(),
            type=self.type.strip(),
            issue_area=self.issue_area.strip(),
            community_led=self.community_led,
            q=self.q.strip(),
        )


class CodeName(Schema):
    code: str
    name: str


class CountryRef(Schema):
    iso2: str
    name: str
    subregion: CodeName


class MemberOut(Schema):
    kind: MemberKind
    id: int
    name: str
    type: str = Field(description="The organisation's type, or `individual`.")
    type_label: str
    country: CountryRef
    city: str
    issue_areas: list[CodeName]
    url: str = Field(description="The profile page.")
    # Organisations
    names: dict[str, str] | None = None
    name_original: str | None = None
    community_led: bool | None = None
    website: str | None = None
    description: str | None = None
    logo: str | None = None
    email: str | None = Field(None, description="Organisations; network members only.")
    # Individuals
    expertise: str | None = None
    languages: list[str] | None = None


class ErrorOut(Schema):
    detail: str


def _caller(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or AnonymousUser()


def _member_out(request: HttpRequest, entry: selectors.DirectoryEntry) -> dict[str, Any]:
    country = entry.country
    item: dict[str, Any] = {
        "kind": entry.kind,
        "id": entry.pk,
        "name": entry.name,
        "type": entry.type,
        "type_label": entry.type_label,
        "country": {
            "iso2": country.iso2,
            "name": country.name,
            "subregion": {"code": country.subregion.code, "name": country.subregion.name},
        },
        "city": entry.city,
        "issue_areas": [{"code": a.code, "name": a.name} for a in entry.issue_areas],
        "url": request.build_absolute_uri(entry.url),
    }
    if isinstance(entry.obj, Organisation):
        item.update(
            names=entry.obj.names,
            name_original=entry.obj.name_original,
            community_led=entry.obj.is_community_led,
            website=entry.website,
            description=entry.description,
            logo=request.build_absolute_uri(entry.logo_url) if entry.logo_url else None,
            email=entry.email or None,
        )
    else:
        item.update(expertise=entry.description, languages=list(entry.obj.languages))
    return item


@router.get("", response=list[MemberOut], auth=OPTIONAL_AUTH, exclude_none=True)
@paginate(LimitOffsetPagination, default_limit=25, max_limit=100)
def member_list(request: HttpRequest, filters: Query[MemberFilters]) -> Paged:
    """Current members, organisations and individuals sorted by name, with the directory's
    filters. Anonymous callers get opted-in members and public fields only."""
    user = _caller(request)
    rows = selectors.directory_rows(user=user, filters=filters.to_filters())
    return Paged(
        cast(Sequence[selectors.Row], rows),  # DirectoryRows counts and slices like one
        render=lambda page: [
            _member_out(request, entry)
            for entry in selectors.directory_entries(user=user, rows=page)
        ],
    )


class CountsFilters(Schema):
    subregion: str = Field("", description="Sub-region code, e.g. CENTRAL_ASIA.")
    country: str = Field("", description="ISO 3166 alpha-2 code, e.g. MD.")


class CountsOut(Schema):
    organisations: int = Field(description="Current member organisations.")
    individuals: int = Field(description="Current individual members.")
    total: int


@router.get("/counts", response=CountsOut, auth=OPTIONAL_AUTH)
def member_count(request: HttpRequest, filters: Query[CountsFilters]) -> dict[str, int]:
    """How many current member organisations and individual members the caller may see,
    in the network or in one sub-region or country: the figures every page shows.
    Anonymous callers count the members listed publicly."""
    counts = member_counts(
        user=_caller(request),
        subregion=filters.subregion.strip(),
        country=filters.country.strip(),
    )
    return {
        "organisations": counts.organisations,
        "individuals": counts.individuals,
        "total": counts.total,
    }


@router.get(
    "/{kind}/{member_id}",
    response={200: MemberOut, 404: ErrorOut},
    auth=OPTIONAL_AUTH,
    exclude_none=True,
)
def member_detail(request: HttpRequest, kind: MemberKind, member_id: int) -> Status:
    """One member: `kind` is `organisation` or `individual`. 404 when it does not exist or
    the caller may not see it."""
    user = _caller(request)
    not_found = Status(404, {"detail": _("Not found.")})
    if kind == selectors.ORGANISATION:
        try:
            organisation = selectors.organisation_profile_get(user=user, pk=member_id)
        except Organisation.DoesNotExist:
            return not_found
        entry = selectors.organisation_entry(user=user, organisation=organisation)
    else:
        try:
            person = selectors.person_profile_get(user=user, pk=member_id)
        except Person.DoesNotExist:
            return not_found
        entry = selectors.person_entry(person=person)
    return Status(200, _member_out(request, entry))
