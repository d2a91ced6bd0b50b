"""An organisation admin's page of their staff's registrations for upcoming events (the
start page's "staff registrations" queue): names and events, soonest event first."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from hrnet.core.policies import policy_required
from hrnet.events.policies import registration_policy
from hrnet.events.selectors import staff as selectors
from hrnet.events.views.zone import zone_context


@policy_required(registration_policy, "list_staff")
def organisation_registrations(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.staff_organisations(user=request.user))
    chosen = request.GET.get("organisation", "")
    organisation = next((o for o in organisations if str(o.pk) == chosen), None)
    registrations = selectors.staff_registrations(
        user=request.user, organisation=organisation.pk if organisation else None
    )
    page = Paginator(registrations, selectors.STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/organisation_registrations.html",
        {
            "page": page,
            "organisations": organisations,
            "organisation": organisation,
            "filters": {"organisation": organisation.pk} if organisation else {},
            **zone_context(request),
        },
    )


urlpatterns: list[URLPattern] = [
    path(
        "organisations/registrations/",
        organisation_registrations,
        name="organisation_registrations",
    ),
]
