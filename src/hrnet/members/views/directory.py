"""The member directory with its map, profile pages, and the pages where an organisation's
admins keep its profile and staff links."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.members.forms.directory import (
    DirectoryFilterForm,
    OrganisationProfileForm,
    PersonProfileForm,
    StaffLinkForm,
)
from hrnet.members.models import Affiliation, Organisation, Person
from hrnet.members.policies import organisation_policy, person_policy
from hrnet.members.selectors import directory as selectors
from hrnet.members.services import profiles as services


@vary_on_headers("HX-Request")
def directory(request: HttpRequest) -> HttpResponse:
    """Current members, filtered and paginated. htmx swaps only the results when a filter
    changes; without JavaScript the filter form is a plain GET form."""
    form = DirectoryFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    rows = selectors.directory_rows(user=request.user, filters=filters)
    per_page = form.page_size()
    fragment = is_htmx_fragment(request)
    member_map = None if fragment else selectors.member_map(request.user)
    paginator = Paginator(rows, per_page)
    if member_map is not None and filters.is_empty and not selectors.map_cache_seconds():
        # Unfiltered, the list is exactly the members the map counts: reuse its total
        # rather than count every member a second time (Paginator.count is cached). Not
        # when the map's counts may be cached: the list must count what it shows.
        paginator.__dict__["count"] = member_map.total
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "per_page": per_page,
        "entries": selectors.directory_entries(user=request.user, rows=page.object_list),
        "previous_url": _page_url(filters, per_page, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(filters, per_page, page.next_page_number())
        if page.has_next()
        else "",
    }
    if fragment:
        return render(request, "members/partials/directory_results.html", context)
    context["member_map"] = member_map
    return render(request, "members/directory_list.html", context)


def _page_url(filters: selectors.DirectoryFilters, per_page: int, number: int) -> str:
    query = filters.as_query()
    if per_page != selectors.PAGE_SIZE:
        query["per_page"] = str(per_page)
    query["page"] = str(number)
    return f"{reverse('members:directory')}?{urlencode(query)}"


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = selectors.organisation_profile_get(user=request.user, pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "members/profile_organisation.html",
        {
            "organisation": organisation,
            "entry": selectors.organisation_entry(user=request.user, organisation=organisation),
            "staff": selectors.organisation_staff_visible(
                user=request.user, organisation=organisation
            ),
            "may_manage": selectors.may_manage_organisation(
                user=request.user, organisation=organisation
            ),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = selectors.person_profile_get(user=request.user, pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "members/profile_person.html",
        {
            "person": person,
            "entry": selectors.person_entry(person=person),
            "links": selectors.person_links_visible(user=request.user, person=person),
            "may_see_email": selectors.person_email_visible(user=request.user, person=person),
            "may_export_data": person_policy.user_has_permission_for_instance(
                request.user, "export_personal_data", person
            ),
            "may_edit": person_policy.user_has_permission_for_instance(
                request.user, "change", person
            ),
            "may_erase": person_policy.user_has_permission_for_instance(
                request.user, "erase", person
            ),
        },
    )


def _organisation_admin_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; people who do not manage the organisation
    (through a current admin link) and are not the secretariat get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk)
        organisation_policy.require(request.user, "change", organisation)
        return view(request, organisation, *args, **kwargs)

    return wrapped


def _add_service_errors_renamed(form: Any, exc: ValidationError, renames: dict[str, str]) -> None:
    """`add_service_errors`, the errors of a field in `renames` going to the form field
    named there."""
    if hasattr(exc, "error_dict"):
        renamed: dict[str, list[ValidationError]] = {}
        for field, errors in exc.error_dict.items():
            renamed.setdefault(renames.get(field, field), []).extend(errors)
        exc = ValidationError(renamed)
    add_service_errors(form, exc)


@_organisation_admin_required
def organisation_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            try:
                services.organisation_profile_update(
                    organisation=organisation,
                    actor=request.user,
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                organisation.refresh_from_db()
                _add_service_errors_renamed(form, exc, {"names": f"name_{settings.LANGUAGE_CODE}"})
            else:
                messages.success(request, _("The profile was saved."))
                return redirect("members:organisation_detail", pk=organisation.pk)
    else:
        form = OrganisationProfileForm(organisation=organisation)
    return render(
        request,
        "members/profile_organisation_edit.html",
        {"organisation": organisation, "form": form},
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A person keeps their own profile; the secretariat may edit anyone's."""
    person = Person.objects.filter(pk=pk, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    person_policy.require(request.user, "change", person)
    initial = {
        "full_name": person.full_name,
        "city": person.city,
        "expertise": person.expertise,
        "languages": ", ".join(person.languages),
        "issue_areas": person.issue_areas.all(),
        "is_public": person.is_public,
    }
    form = PersonProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_profile_update(
                person=person, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            person.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("members:person_detail", pk=person.pk)
    return render(request, "members/profile_person_edit.html", {"person": person, "form": form})


@_organisation_admin_required
def organisation_staff(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = StaffLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = services.affiliation_add(
                organisation=organisation,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now linked to %(organisation)s.")
                % {"name": affiliation.person.full_name, "organisation": organisation.name},
            )
            return redirect("members:organisation_staff", pk=organisation.pk)
    return render(
        request,
        "members/profile_organisation_staff.html",
        {
            "organisation": organisation,
            "form": form,
            "links": selectors.organisation_staff_all(organisation=organisation),
            "today": timezone.localdate(),
        },
    )


@require_POST
@_organisation_admin_required
def organisation_staff_end(
    request: HttpRequest, organisation: Organisation, affiliation_pk: int
) -> HttpResponse:
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"),
        pk=affiliation_pk,
        organisation=organisation,
    )
    try:
        ended = services.affiliation_end(
            affiliation=affiliation, actor=request.user, request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if ended is None:
            messages.success(
                request,
                _("The link of %(name)s, which had not started yet, was removed.")
                % {"name": affiliation.person.full_name},
            )
        else:
            messages.success(
                request,
                _("The link of %(name)s ended on %(date)s.")
                % {"name": affiliation.person.full_name, "date": ended.end_date},
            )
    return redirect("members:organisation_staff", pk=organisation.pk)


urlpatterns = [
    path("directory/", directory, name="directory"),
    path(
        "directory/organisations/<int:pk>/",
        organisation_detail,
        name="organisation_detail",
    ),
    path(
        "directory/organisations/<int:pk>/edit/",
        organisation_edit,
        name="organisation_edit",
    ),
    path(
        "directory/organisations/<int:pk>/staff/",
        organisation_staff,
        name="organisation_staff",
    ),
    path(
        "directory/organisations/<int:pk>/staff/<int:affiliation_pk>/end/",
        organisation_staff_end,
        name="organisation_staff_end",
    ),
    path("directory/people/<int:pk>/", person_detail, name="person_detail"),
    path("directory/people/<int:pk>/edit/", person_edit, name="person_edit"),
]
