"""The secretariat's membership queues (renewals due, lapsed members), paged and oldest
first, with bulk actions on the ticked rows: renewal reminders and an export."""

from __future__ import annotations

from typing import cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hrnet.accounts.models import User
from hrnet.core.bulk import BulkResult, bulk_apply, bulk_report, selected_ids
from hrnet.core.exports import download_response
from hrnet.core.policies import policy_required
from hrnet.members.models import Membership
from hrnet.members.policies import membership_policy
from hrnet.members.selectors.renewals import lapsed_memberships, renewals_due
from hrnet.members.services import exports
from hrnet.members.services.memberships import renewal_reminder_send

PAGE_SIZE = 50

QUEUES = {
    "renewals_due": gettext_lazy("Renewals due in the next 30 days"),
    "lapsed": gettext_lazy("Lapsed members"),
}


def _queue(request: HttpRequest, name: str) -> QuerySet[Membership]:
    if name == "renewals_due":
        return renewals_due(user=request.user)
    return lapsed_memberships(user=request.user)


def _page(request: HttpRequest, name: str) -> HttpResponse:
    page = Paginator(_queue(request, name), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/membership_queue.html",
        {
            "queue": name,
            "title": QUEUES[name],
            "page": page,
            "memberships": page.object_list,
            "bulk_actions": [
                *([("remind", _("Send renewal reminders"))] if name == "renewals_due" else []),
                ("csv", _("Export as CSV")),
                ("xlsx", _("Export as XLSX")),
            ],
        },
    )


@policy_required(membership_policy, "list")
def renewals_due_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "renewals_due")


@policy_required(membership_policy, "list")
def lapsed_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "lapsed")


@policy_required(membership_policy, "list")
@require_POST
def membership_bulk(request: HttpRequest, queue: str) -> HttpResponse:
    """One form for both queues; the button pressed says what to do with the ticked rows."""
    if queue not in QUEUES:
        return HttpResponseBadRequest(_("No such queue."))
    chosen = _queue(request, queue).filter(pk__in=selected_ids(request))
    action = request.POST.get("action", "")
    back = redirect(f"members:{queue}")
    if action in exports.FORMATS:
        if not chosen.exists():
            bulk_report(request, BulkResult(), done=str)  # says: select rows first
            return back
        export = exports.memberships_export(
            user=request.user, memberships=chosen, fmt=action, request=request
        )
        return download_response(
            b"".join(export.chunks), filename=export.filename, content_type=export.content_type
        )
    if action == "remind" and queue == "renewals_due":
        actor = cast(User, request.user)  # the secretariat (policy_required above)
        result = bulk_apply(
            chosen,
            lambda membership: renewal_reminder_send(
                membership=membership, actor=actor, request=request
            ),
            label=lambda membership: str(membership.member),
        )
        bulk_report(
            request,
            result,
            done=lambda count: (
                ngettext(
                    "A renewal reminder was sent to %(count)s member.",
                    "Renewal reminders were sent to %(count)s members.",
                    count,
                )
                % {"count": count}
            ),
        )
        return back
    return HttpResponseBadRequest(_("Choose an action for the selected rows."))


urlpatterns: list[URLPattern] = [
    path("memberships/renewals-due/", renewals_due_page, name="renewals_due"),
    path("memberships/lapsed/", lapsed_page, name="lapsed"),
    path("memberships/<slug:queue>/bulk/", membership_bulk, name="membership_bulk"),
]
