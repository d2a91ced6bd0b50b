"""Pages of sites: the list (the secretariat's all with filters, an organisation admin's
own), adding and editing a site, assigning and removing staff, closing a site."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.members.policies import is_secretariat
from hrnet.outreach.forms.sites import SiteFilterForm, SiteForm, StaffForm
from hrnet.outreach.models import Site, SiteStaff
from hrnet.outreach.policies import client_site_ids, site_policy, staff_site_ids
from hrnet.outreach.selectors import sites as site_selectors
from hrnet.outreach.services import sites as site_services


def _site(request: HttpRequest, pk: int, action: str = "view") -> Site:
    try:
        site = site_selectors.site_get(user=request.user, pk=pk)
    except Site.DoesNotExist as exc:
        raise Http404 from exc
    site_policy.require(request.user, action, site)
    return site


@policy_required(site_policy, "list")
def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET)
    filters = site_selectors.SiteFilters()
    if form.is_valid():
        country = form.cleaned_data["country"]
        organisation = form.cleaned_data["organisation"]
        filters = site_selectors.SiteFilters(
            country=country.iso2 if country else "",
            organisation=organisation.pk if organisation else None,
            active_only=not form.cleaned_data["inactive"],
        )
    sites = site_selectors.site_list(user=request.user, filters=filters)
    return render(
        request,
        "outreach/site_list.html",
        {
            "sites": sites,
            "form": form,
            "show_filters": is_secretariat(request.user),
            "may_add": site_selectors.organisations_for_sites(user=request.user).exists(),
            "may_see_clients": bool(client_site_ids(request.user, "view")),
        },
    )


@policy_required(site_policy, "view")
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk)
    may_change = site_policy.user_has_permission_for_instance(request.user, "change", site)
    return render(
        request,
        "outreach/site_detail.html",
        {
            "site": site,
            "staff": site.staff.select_related("user"),
            "may_change": may_change,
            "staff_form": StaffForm() if may_change else None,
            "may_record": site.is_active and site.pk in staff_site_ids(request.user),
            "may_see_clients": site.pk in client_site_ids(request.user, "view"),
        },
    )


@policy_required(site_policy, "add")
def site_add(request: HttpRequest) -> HttpResponse:
    organisations = site_selectors.organisations_for_sites(user=request.user)
    form = SiteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            site = site_services.site_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                country=form.cleaned_data["country"],
                kind=form.cleaned_data["kind"],
                city=form.cleaned_data["city"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site was added."))
            return redirect("outreach:site_detail", pk=site.pk)
    return render(request, "outreach/site_form.html", {"form": form, "site": None})


@policy_required(site_policy, "change")
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk, "change")
    initial: dict[str, Any] = {
        "name": site.name,
        "kind": site.kind,
        "city": site.city,
        "country": site.country,
    }
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            site_services.site_update(
                actor=request.user,
                site=site,
                name=form.cleaned_data["name"],
                country=form.cleaned_data["country"],
                kind=form.cleaned_data["kind"],
                city=form.cleaned_data["city"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site was saved."))
            return redirect("outreach:site_detail", pk=site.pk)
    return render(request, "outreach/site_form.html", {"form": form, "site": site})


@require_POST
@policy_required(site_policy, "change")
def site_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk, "change")
    site_services.site_deactivate(actor=request.user, site=site, request=request)
    messages.success(request, _("The site was closed."))
    return redirect("outreach:site_detail", pk=site.pk)


@require_POST
@policy_required(site_policy, "change")
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site(request, pk, "change")
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            site_services.site_staff_assign(
                actor=request.user,
                site=site,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person was assigned to the site."))
            return redirect("outreach:site_detail", pk=site.pk)
    return render(
        request,
        "outreach/site_detail.html",
        {
            "site": site,
            "staff": site.staff.select_related("user"),
            "may_change": True,
            "staff_form": form,
        },
        status=400,
    )


@require_POST
@policy_required(site_policy, "change")
def staff_remove(request: HttpRequest, pk: int, staff_id: int) -> HttpResponse:
    site = _site(request, pk, "change")
    staff = get_object_or_404(SiteStaff, pk=staff_id, site=site)
    site_services.site_staff_remove(actor=request.user, staff=staff, request=request)
    messages.success(request, _("The person no longer works at the site."))
    return redirect("outreach:site_detail", pk=site.pk)
