"""The public report form at /<lang>/rights/report/: anyone may tell what happened to them,
without signing in and without saying who they are. The report lands as an unreviewed
case with the organisation chosen (or the secretariat) through `services.cases.case_intake_create`.

What was typed is never logged, printed or kept in a cache: the pages answer with
`Cache-Control: no-store`, error reports leave the form's values out
(`sensitive_post_parameters`) and the thank-you page does not repeat anything sent. A flood
from one network address is refused; the address itself is never stored with a report
(see `_intake_allowed`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from hrnet.core.forms import add_service_errors
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.geo.models import Country
from hrnet.rights.forms.intake import SECRETARIAT, IntakeForm, public_organisations
from hrnet.rights.services.cases import case_intake_create

# The reporter's address is never stored with a report: the throttle keeps a keyed hash
# of it (not the audit log, which would tie the address to the case for good).
INTAKE_THROTTLE = "rights.intake"
THROTTLE_WINDOW = timedelta(hours=1)


def _intake_allowed(request: HttpRequest) -> bool:
    """Count this report from the request's address; False once the address already sent
    HRNET_RIGHTS_INTAKE_PER_HOUR reports. Call it in the transaction that stores the
    report: a report not stored gives its hit back."""
    return throttle_hit(
        scope=INTAKE_THROTTLE,
        key=address_key(request),
        limit=settings.HRNET_RIGHTS_INTAKE_PER_HOUR,
        window=THROTTLE_WINDOW,
    )


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
        with transaction.atomic():
            if not _intake_allowed(request):
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
                    case_intake_create(**form.service_arguments(), request=None)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect("rights:intake_thanks")
            # Nothing was stored: the hit is given back, so only reports received count.
            transaction.set_rollback(True)
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
