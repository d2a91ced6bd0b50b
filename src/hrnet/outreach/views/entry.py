"""Fast entry of a contact at one of a worker's sites, on a phone.

The page is a plain form that saves without JavaScript (find or register the client, record
the contact under the id drawn into the page, so a double submit is stored once). Its
script (static/outreach/entry.js) saves through the API instead and keeps the contacts it
could not send on the phone until the connection returns; a service worker, served from
under the page's own path so that its scope covers the page, keeps the page and its static
files for opening offline.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hrnet.core.forms import add_service_errors
from hrnet.core.policies import policy_required
from hrnet.outreach import uic
from hrnet.outreach.forms.entry import NEED_CODE, ContactCorrectForm, ContactEntryForm
from hrnet.outreach.models import Client, Contact, Site
from hrnet.outreach.policies import client_site_ids, contact_policy, correctable_contacts
from hrnet.outreach.services import clients, contacts

# The static files the page needs, kept by the service worker for opening offline.
OFFLINE_STATIC = (
    "hrnet/css/hrnet.css",
    "hrnet/vendor/htmx/htmx.min.js",
    "hrnet/js/app.js",
    "hrnet/favicon.svg",
    "outreach/entry.css",
    "outreach/entry.js",
)

# The API the page's script saves through (hrnet.outreach.api, mounted at /api/v1/outreach).
API_CONTACTS_URL = "/api/v1/outreach/contacts"
API_CLIENTS_URL = "/api/v1/outreach/clients/lookup"


def _entry_site(request: HttpRequest, site_id: int) -> Site:
    """The site, if the user records contacts there (its staff); 403 for anyone else."""
    site = get_object_or_404(Site, pk=site_id, is_active=True)
    if site.pk not in client_site_ids(request.user, "add"):
        raise PermissionDenied
    return site


def _client_for(form: ContactEntryForm, request: HttpRequest, site: Site) -> tuple[Client, bool]:
    """Find the client by code (normalised, or built from the parts), or register them.
    Returns (client, registered now)."""
    data = form.cleaned_data
    if data.get("uic"):
        code = uic.uic_normalise(data["uic"])
    else:
        code = uic.uic_build(
            sex=data.get("sex") or Client.Sex.UNKNOWN,
            birth_year=data.get("birth_year"),
            mother_name=data.get("mother_name") or "",
            father_name=data.get("father_name") or "",
        )
    coded_sex, coded_year = uic.uic_sex_and_year(code)
    sex = data.get("sex") or coded_sex
    birth_year = data.get("birth_year") or coded_year
    found = clients.client_find(user=request.user, site=site, uic=code, request=request)
    if found is not None:
        return found, False
    registered = clients.client_register(
        actor=request.user,
        site=site,
        uic=code,
        sex=sex,
        birth_year=birth_year,
        request=request,
    )
    return registered, True


@never_cache
@policy_required(contact_policy, "add")
def contact_entry(request: HttpRequest, site_id: int) -> HttpResponse:
    site = _entry_site(request, site_id)
    form = ContactEntryForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a client registered for a contact that is then refused is
            # not kept.
            with transaction.atomic():
                client, registered = _client_for(form, request, site)
                _contact, created = contacts.contact_record(
                    actor=request.user,
                    contact_id=form.cleaned_data["contact_id"],
                    site=site,
                    client=client,
                    request=request,
                    **form.contact_fields(),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not created:
                messages.info(request, _("This contact was already saved."))
            elif registered:
                messages.success(request, _("New client registered; the contact was saved."))
            else:
                messages.success(request, _("Returning client; the contact was saved."))
            return redirect("outreach:contact_entry", site_id=site.pk)
    return render(
        request,
        "outreach/entry/contact_entry.html",
        {
            "site": site,
            "form": form,
            "service_worker_url": reverse("outreach:entry_service_worker", args=[site.pk]),
            "api_contacts_url": API_CONTACTS_URL,
            "api_clients_url": API_CLIENTS_URL,
            "text_need_code": NEED_CODE,
            # Filled in by the page's script (placeholders kept in the translation).
            "text_queue": _("Contacts waiting to be sent: %(count)s"),
            "text_rejected": _(
                "A contact was refused by the server; check it with your site manager: %(reason)s"
            ),
            "uic_segments": json.dumps(uic.uic_scheme().segments),
            "correct_url": reverse(
                "outreach:contact_correct", args=[site.pk, "00000000-0000-0000-0000-000000000000"]
            ),
        },
    )


@never_cache
@policy_required(contact_policy, "change")
def contact_correct(request: HttpRequest, site_id: int, contact_id: uuid.UUID) -> HttpResponse:
    """Correct a contact the worker recorded here in the last day (from the list of the
    last contacts saved on their phone). Anyone else, or later, finds nothing (404)."""
    site = _entry_site(request, site_id)
    contact: Contact | None = (
        correctable_contacts(request.user)
        .filter(pk=contact_id, site=site)
        .select_related("site")
        .first()
    )
    if contact is None:
        raise Http404
    form = ContactCorrectForm(request.POST or None, contact=contact)
    if request.method == "POST":
        if form.is_valid():
            try:
                contacts.contact_correct(
                    actor=request.user,
                    contact=contact,
                    request=request,
                    **form.contact_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The contact was corrected."))
                return redirect("outreach:contact_entry", site_id=site.pk)
    else:
        contacts.contact_open_audit(actor=request.user, contact=contact, request=request)
    return render(
        request,
        "outreach/entry/contact_correct.html",
        {"site": site, "contact": contact, "form": form},
    )


@never_cache
@policy_required(contact_policy, "add")
def entry_service_worker(request: HttpRequest, site_id: int) -> HttpResponse:
    """The service worker, under the page's path so that its scope is the page."""
    site = _entry_site(request, site_id)
    page = reverse("outreach:contact_entry", args=[site.pk])
    response = render(
        request,
        "outreach/entry/service_worker.js",
        {
            "config": json.dumps(
                {
                    "cache": f"hrnet-entry-{site.pk}-v1",
                    "page": page,
                    "static": [static(name) for name in OFFLINE_STATIC],
                }
            )
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = page
    return response


urlpatterns: list[URLPattern] = [
    path("<int:site_id>/entry/", contact_entry, name="contact_entry"),
    path("<int:site_id>/entry/sw.js", entry_service_worker, name="entry_service_worker"),
    path(
        "<int:site_id>/entry/<uuid:contact_id>/correct/",
        contact_correct,
        name="contact_correct",
    ),
]
