"""The public report form at /<lang>/rights/report/: anyone may tell what happened to them,
without signing in and without saying who they are. The report lands as an unreviewed
case with the organisation chosen (or the secretariat) through `cases.case_intake_create`.

What was typed is never logged, printed or kept in a cache: the pages answer with
`Cache-Control: no-store`, error reports leave the form's values out
(`sensitive_post_parameters`) and the thank-you page does not repeat anything sent. A flood
from one network address is refused; the address itself is never stored with a report
(see `intake_throttled`).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from hrnet.core.audit import client_ip
from hrnet.core.forms import add_service_errors
from hrnet.geo.models import Country
from hrnet.rights import cases
from hrnet.rights.forms_intake import SECRETARIAT, IntakeForm, public_organisations

THROTTLE_WINDOW = 60 * 60  # seconds


def _throttle_key(request: HttpRequest) -> str | None:
    # A keyed hash: the cache holds no network address a copy of it could give away.
    address = client_ip(request)
    if address is None:
        return None
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"rights:intake:{digest.hexdigest()}"


def intake_throttled(request: HttpRequest) -> bool:
    """Whether the request's address already sent HRNET_RIGHTS_INTAKE_PER_HOUR reports.

    Counted in the cache under a keyed hash of the address for an hour, and not with
    `recent_actions_from_address`: that reads the audit log, which would tie the
    reporter's address to their case for good.
    """
    key = _throttle_key(request)
    if key is None:
        return False
    return int(cache.get(key, 0)) >= settings.HRNET_RIGHTS_INTAKE_PER_HOUR


def _intake_count(request: HttpRequest) -> None:
    key = _throttle_key(request)
    if key is None:
        return
    if not cache.add(key, 1, THROTTLE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, THROTTLE_WINDOW)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@sensitive_variables()
@sensitive_post_parameters()
@never_cache
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot:
            # The same thanks as for a person, so a bot learns nothing; nothing is stored.
            return redirect("rights:intake_thanks")
        if intake_throttled(request):
            form.add_error(
                None,
                _(
                    "Too many reports from your network address. Please try again in an "
                    "hour: what you wrote is still here."
                ),
            )
        elif form.is_valid():
            try:
                # No request: its audit entry would keep the reporter's network address
                # beside their case.
                cases.case_intake_create(**form.service_arguments(), request=None)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _intake_count(request)
                return redirect("rights:intake_thanks")
    return _no_store(render(request, "rights/intake/intake_form.html", {"form": form}))


@never_cache
def intake_thanks(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "rights/intake/intake_thanks.html"))


@never_cache
def intake_contact(request: HttpRequest) -> HttpResponse:
    """htmx: the contact field, shown once "I want to be contacted" is ticked."""
    form = IntakeForm()
    context: dict[str, Any] = {"form": form, "show": "wants_contact" in request.GET}
    return _no_store(render(request, "rights/intake/partials/intake_contact.html", context))


@never_cache
def intake_organisations(request: HttpRequest) -> HttpResponse:
    """htmx: the organisations of the country chosen, as the options of the select."""
    value = request.GET.get("country", "")
    country = Country.objects.filter(pk=int(value)).first() if value.isdigit() else None
    organisations = [
        o for o in public_organisations() if country is not None and o.country_id == country.pk
    ]
    context = {"organisations": organisations, "secretariat": SECRETARIAT}
    return _no_store(
        render(request, "rights/intake/partials/intake_organisation_options.html", context)
    )


urlpatterns: list[URLPattern] = [
    path("report/", intake, name="intake"),
    path("report/thanks/", intake_thanks, name="intake_thanks"),
    path("report/contact/", intake_contact, name="intake_contact"),
    path("report/organisations/", intake_organisations, name="intake_organisations"),
]
