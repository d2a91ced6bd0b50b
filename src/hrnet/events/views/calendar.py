"""Pages of the calendar: upcoming and past events, the month view, "my events", one
event, and the iCalendar files (one per event, and the public feed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.models import IssueArea
from hrnet.events import ics
from hrnet.events.forms.events import EventFilterForm
from hrnet.events.models import Event, Registration
from hrnet.events.policies import event_policy, is_organiser
from hrnet.events.selectors import calendar as selectors
from hrnet.events.services.registration import registration_refusal, seats_free, waiting_position
from hrnet.events.views.zone import zone_context, zone_override
from hrnet.library.selectors import resource_list
from hrnet.members.policies import is_secretariat


def _page_url(name: str, filters: selectors.EventFilters, number: int) -> str:
    query = filters.as_query()
    query.pop("when", None)
    query["page"] = str(number)
    return f"{reverse(name)}?{urlencode(query)}"


@vary_on_headers("HX-Request")
def event_list(request: HttpRequest, *, when: str = "upcoming") -> HttpResponse:
    """Upcoming (or past) events with filters by type, language and issue area; htmx swaps
    only the results, and without JavaScript the filters are a plain GET form."""
    form = EventFilterForm(request.GET)
    form.is_valid()
    filters = form.filters(when=when)
    events = selectors.event_list(user=request.user, filters=filters)
    page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    name = "events:event_past" if when == "past" else "events:event_list"
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "when": when,
        "page": page,
        "list_url": reverse(name),
        "may_add": event_policy.user_has_permission(request.user, "add"),
        "previous_url": _page_url(name, filters, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(name, filters, page.next_page_number()) if page.has_next() else "",
        **zone_context(request),
    }
    if is_htmx_fragment(request):
        return render(request, "events/partials/event_results.html", context)
    context["issue_areas"] = IssueArea.objects.all()
    return render(request, "events/event_list.html", context)


def event_past(request: HttpRequest) -> HttpResponse:
    return event_list(request, when="past")


def event_month(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    today = timezone.localdate()
    year = year or today.year
    month = month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    form = EventFilterForm(request.GET)
    form.is_valid()
    filters = form.filters(when="")
    grid = selectors.event_month(user=request.user, year=year, month=month, filters=filters)
    query = filters.as_query()
    suffix = f"?{urlencode(query)}" if query else ""
    previous, following = grid.previous, grid.next
    return render(
        request,
        "events/event_month.html",
        {
            "form": form,
            "grid": grid,
            "first_day": grid.weeks[0][0].day.replace(year=year, month=month, day=1),
            "previous_url": reverse("events:event_month", args=[previous.year, previous.month])
            + suffix,
            "next_url": reverse("events:event_month", args=[following.year, following.month])
            + suffix,
            **zone_context(request),
        },
    )


def my_events(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    registrations = list(selectors.my_registrations(user=request.user))
    now = timezone.now()
    upcoming = [r for r in registrations if r.event.ends_at >= now]
    past = [r for r in registrations if r.event.ends_at < now]
    past.reverse()
    organised = selectors.event_list(user=request.user).filter(organisers=request.user)
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": upcoming,
            "past": past,
            "organised": organised,
            **zone_context(request),
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        event = selectors.event_get(user=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    user = request.user
    registration = selectors.my_registration(user=user, event=event)
    manages = event_policy.user_has_permission_for_instance(user, "manage", event)
    refusal = registration_refusal(event=event, user=user)
    may_register = (
        refusal is None
        and event.status == Event.Status.PUBLISHED
        and event.takes_registrations
        and (
            not user.is_authenticated
            or event_policy.user_has_permission_for_instance(user, "register", event)
        )
    )
    materials: list[Any] = []
    if event.pk:
        materials = list(resource_list(user=user).filter(events=event))
    with zone_override(request, event):
        return render(
            request,
            "events/event_detail.html",
            {
                "event": event,
                "sessions": list(event.sessions.all()),
                "registration": registration,
                "registration_active": registration is not None
                and registration.status in Registration.ACTIVE,
                "position": waiting_position(registration) if registration else None,
                "manages": manages,
                "may_change": event_policy.user_has_permission_for_instance(user, "change", event),
                "is_organiser": is_organiser(user, event),
                "sees_online_link": selectors.sees_online_link(user=user, event=event),
                "refusal": refusal.messages[0] if refusal is not None else "",
                "may_register": may_register,
                "members_only_refused": user.is_authenticated
                and not may_register
                and refusal is None
                and event.takes_registrations
                and event.status == Event.Status.PUBLISHED
                and not event_policy.user_has_permission_for_instance(user, "register", event),
                "seats_free": seats_free(event) if event.takes_registrations else None,
                "counts": selectors.event_counts(event) if manages else {},
                "materials": materials,
                "is_past": event.ends_at < timezone.now(),
                **zone_context(request, event),
                "secretariat": is_secretariat(user),
                "Status": Registration.Status,
            },
        )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's .ics; with the online link for its confirmed participants and those
    who manage it."""
    try:
        event = selectors.event_get(user=request.user, pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    with_link = selectors.sees_online_link(user=request.user, event=event)
    return _ics_response(ics.ics_event(event, with_online_link=with_link), ics.ics_filename(event))


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The public feed: what an anonymous visitor sees, never an online link, whoever
    asks (calendar apps share subscription URLs)."""
    body = ics.ics_calendar(
        selectors.feed_events(), name=_("Events of the network"), with_online_link=False
    )
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


urlpatterns: list[URLPattern] = [
    path("", event_list, name="event_list"),
    path("past/", event_past, name="event_past"),
    path("month/", event_month, name="event_month_current"),
    path("month/<int:year>/<int:month>/", event_month, name="event_month"),
    path("mine/", my_events, name="my_events"),
    path("calendar.ics", calendar_feed, name="calendar_feed"),
    path("<int:pk>/", event_detail, name="event_detail"),
    path("<int:pk>/event.ics", event_ics, name="event_ics"),
]
