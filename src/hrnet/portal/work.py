"""What waits for a signed-in person: the queues of their start page (/<lang>/me/) and of
`GET /api/v1/me/work`, one section per role they hold.

Each queue is a label, a count and the page that lists it (oldest first), built from the
owning app's own selectors and policies, so the start page counts exactly what the queue
page shows. Every count is one query (a few shared lookups aside), whatever the amount
of data: a test holds the secretariat's start page to the same number of queries for
ten times the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.accounts.roles import Role, user_roles
from hrnet.assistance.models import AssistanceRequest
from hrnet.assistance.selectors import overdue_requests, request_list, requests_assigned
from hrnet.campaigns.selectors import CampaignFilters, campaign_list, signature_queue
from hrnet.core.models import TaskProgress
from hrnet.core.selectors import job_list
from hrnet.core.types import Actor
from hrnet.discussions.selectors import flag_queue, follows_anything, unread_followed
from hrnet.events.models import Event, Registration
from hrnet.events.selectors.calendar import EventFilters, event_list, my_registrations
from hrnet.evidence.selectors.reporting import forms_overdue, forms_waiting
from hrnet.governance.selectors import (
    candidates_to_review,
    counts_to_confirm,
    elections_to_vote,
    on_any_committee,
    results_to_publish,
    voter_entries,
)
from hrnet.library.selectors import moderation_queue, resource_list
from hrnet.members.models import Affiliation, Application, Membership, Organisation, Person
from hrnet.members.policies import administered_organisation_ids
from hrnet.members.selectors import lapsed_memberships, renewals_due
from hrnet.members.selectors.applications import application_list_mine, application_queue
from hrnet.network.selectors import unanswered_messages
from hrnet.outreach.models import Contact, Site
from hrnet.outreach.policies import staff_site_ids
from hrnet.rights.models import Case
from hrnet.rights.policies import case_queryset_for, documenter_organisation_ids, shared_case_ids
from hrnet.rights.selectors import intake_waiting

# What counts as "new" in a member's issue areas, and how soon a due date is "soon".
RECENT_DAYS = 30
DUE_SOON_DAYS = 30
RENEWAL_DAYS = 30


@dataclass(frozen=True)
class Queue:
    """One line of the start page: `count` things wait at `url`."""

    queue: str  # a stable key, as the API gives it
    label: str
    count: int
    url: str


@dataclass
class OrganisationCard:
    """An organisation admin's own organisation: its profile and membership."""

    organisation: Organisation
    membership: Membership | None
    renewal_due: bool  # the term ends within RENEWAL_DAYS, or has ended


@dataclass
class Section:
    """One role's part of the start page."""

    key: str  # the role, as accounts.roles.Role
    title: str
    queues: list[Queue] = field(default_factory=list)
    organisations: list[OrganisationCard] = field(default_factory=list)
    note: str = ""  # said when the role has nothing to work on yet (no organisation...)


def _url(name: str, *args: Any, **query: Any) -> str:
    url = reverse(name, args=args)
    query = {key: value for key, value in query.items() if value not in ("", None)}
    return f"{url}?{urlencode(query)}" if query else url


def _issue_area_codes(user: Actor) -> QuerySet:
    """The codes of the issue areas on `user`'s own member profile."""
    return Person.objects.filter(user=user.pk, issue_areas__isnull=False).values_list(
        "issue_areas__code", flat=True
    )


# Sections ----------------------------------------------------------------------------


def _secretariat(user: Actor) -> Section:
    today = timezone.localdate()
    open_applications = application_queue(user=user)
    in_vote = application_queue(user=user, awaiting_my_vote=True)
    requests = request_list(user=user)
    # (counted by site, as the network chases a site; the page lists each month behind)
    overdue_sites = {item.site.pk for item in forms_overdue(user=user, today=today)}
    queues = [
        Queue(
            "applications",
            _("Applications to decide"),
            open_applications.count(),
            _url("members:application_queue"),
        ),
        Queue(
            "votes_owed",
            _("Applications waiting for your vote"),
            in_vote.count(),
            _url("members:application_queue", awaiting_my_vote="1"),
        ),
        Queue(
            "moderation",
            _("Member submissions to moderate"),
            moderation_queue(user=user).count(),
            _url("library:moderation_queue"),
        ),
        Queue(
            "discussion_flags",
            _("Flagged posts in the discussions"),
            flag_queue(user=user).count(),
            _url("discussions:flag_queue"),
        ),
        Queue(
            "signatures",
            _("Signatures to verify"),
            signature_queue(user=user).count(),
            _url("campaigns:signature_queue"),
        ),
        Queue(
            "assistance_triage",
            _("Assistance requests to triage"),
            requests.filter(status=AssistanceRequest.Status.SUBMITTED).count(),
            _url("assistance:queue", status=AssistanceRequest.Status.SUBMITTED),
        ),
        Queue(
            "assistance_overdue",
            _("Assistance requests past their due date"),
            overdue_requests(requests, today=today).count(),
            _url("assistance:queue", overdue="1"),
        ),
        Queue(
            "reporting_overdue",
            _("Sites with reporting forms overdue"),
            len(overdue_sites),
            _url("evidence:reporting_due", overdue="1"),
        ),
        Queue(
            "renewals_due",
            _("Renewals due in 30 days"),
            renewals_due(user=user, days=RENEWAL_DAYS).count(),
            _url("members:renewals_due"),
        ),
        Queue(
            "lapsed",
            _("Lapsed members"),
            lapsed_memberships(user=user).count(),
            _url("members:lapsed"),
        ),
        Queue(
            "jobs_failed",
            _("Failed imports and background jobs"),
            job_list(user=user).filter(status=TaskProgress.Status.FAILED).count(),
            _url("core:job_list", status=TaskProgress.Status.FAILED),
        ),
        Queue(
            "cases_shared",
            _("Rights cases shared with me"),
            case_queryset_for(user)
            .filter(pk__in=shared_case_ids(user))
            .exclude(status=Case.Status.CLOSED)
            .count(),
            _url("rights:case_list"),
        ),
        Queue(
            "messages_unanswered",
            _("Contact-form messages unanswered"),
            unanswered_messages(user=user).count(),
            _url("network:message_list", state="unanswered"),
        ),
        _election_queue(
            "results_to_publish",
            _("Election results to publish"),
            results_to_publish(user=user).values_list("pk", flat=True),
            "governance:results",
        ),
    ]
    return Section(Role.SECRETARIAT, _("Secretariat"), queues)


def _election_queue(
    key: str, label: str, election_ids: QuerySet, page: str, count: int | None = None
) -> Queue:
    """A queue about elections: `count` (by default, of the elections), leading to the
    election's own `page` when they all belong to one, else to the governance page. Two
    queries whatever the data."""
    ids = list(election_ids.order_by().distinct()[:2])
    one = ids[0] if len(ids) == 1 else None
    if count is None:
        count = election_ids.order_by().distinct().count()
    return Queue(
        key,
        label,
        count,
        _url(page, one) if one else _url("governance:index"),
    )


def _intake_reviewer(user: Actor) -> Section:
    queues = [
        Queue(
            "rights_intake",
            _("Public rights reports waiting for a reviewer"),
            intake_waiting(user=user).count(),
            _url("rights:intake_queue"),
        )
    ]
    return Section(Role.INTAKE_REVIEWER, _("Intake of rights reports"), queues)


def _forms_to_fill(user: Actor) -> Queue:
    """The months of the user's sites still open for entry and not submitted yet."""
    return Queue(
        "reporting_due",
        _("Reporting forms to fill in"),
        len(forms_waiting(user=user)),
        _url("evidence:reporting_due", waiting="1"),
    )


def _organisation_cards(organisation_ids: set[int]) -> list[OrganisationCard]:
    """Each organisation with its own (not inherited) membership, the latest term first."""
    organisations = Organisation.objects.filter(pk__in=organisation_ids).order_by("name_key")
    memberships: dict[int, Membership] = {}
    for membership in Membership.objects.filter(
        organisation__in=organisation_ids, inherited_from__isnull=True
    ).order_by("organisation_id", "-end_date", "-pk"):
        memberships.setdefault(membership.organisation_id or 0, membership)
    horizon = timezone.localdate() + timedelta(days=RENEWAL_DAYS)
    cards = []
    for organisation in organisations:
        own = memberships.get(organisation.pk)
        due = bool(own and own.end_date and own.end_date <= horizon)
        cards.append(OrganisationCard(organisation, own, due))
    return cards


def _orgadmin(user: Actor) -> Section:
    section = Section(Role.ORGADMIN, _("My organisation"))
    ids = administered_organisation_ids(user)
    if not ids:
        section.note = _("You do not administer an organisation yet.")
        return section
    section.organisations = _organisation_cards(ids)
    now = timezone.now()
    today = timezone.localdate(now)
    first = min(ids)
    current_staff = Affiliation.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        organisation__in=ids,
    )
    registrations = Registration.objects.filter(
        user__person__affiliations__in=current_staff,
        status__in=Registration.ACTIVE,
        event__ends_at__gte=now,
        event__deleted_at__isnull=True,
    ).distinct()
    statements = campaign_list(user=user, filters=CampaignFilters(open=True, unsigned=True))
    section.queues = [
        Queue(
            "staff",
            _("Staff linked to the organisation"),
            current_staff.values("person").distinct().count(),
            _url("members:organisation_staff", first),
        ),
        Queue(
            "registrations",
            _("Staff registrations for upcoming events"),
            registrations.count(),
            _url("events:organisation_registrations"),
        ),
        Queue(
            "assistance_requests",
            _("Open assistance requests"),
            request_list(user=user)
            .filter(organisation__in=ids, status__in=AssistanceRequest.OPEN_STATUSES)
            .count(),
            _url("assistance:my_requests"),
        ),
        _forms_to_fill(user),
        Queue(
            "statements_open",
            _("Sign-on statements open for signature"),
            statements.values("pk").distinct().count(),
            _url("campaigns:campaign_list", open="1", unsigned="1"),
        ),
    ]
    return section


def _member(user: Actor) -> Section:
    now = timezone.now()
    areas = list(_issue_area_codes(user))
    one_area = areas[0] if len(areas) == 1 else ""
    resources = resource_list(user=user).filter(
        issue_areas__code__in=areas, published_at__gte=now - timedelta(days=RECENT_DAYS)
    )
    events = event_list(user=user, filters=EventFilters(), now=now).filter(
        status=Event.Status.PUBLISHED, issue_areas__code__in=areas
    )
    queues = [
        Queue(
            "my_events",
            _("My upcoming events"),
            my_registrations(user=user, include_past=False)
            .filter(status__in=Registration.ACTIVE)
            .count(),
            _url("events:my_events"),
        ),
        Queue(
            "my_applications",
            _("My applications in progress"),
            application_list_mine(user=user).filter(status__in=Application.OPEN_STATUSES).count(),
            _url("members:application_mine"),
        ),
        Queue(
            "resources_my_areas",
            _("New resources in my issue areas"),
            resources.values("pk").distinct().count() if areas else 0,
            _url("library:resource_list", issue_area=one_area),
        ),
        Queue(
            "events_my_areas",
            _("Upcoming events in my issue areas"),
            events.values("pk").distinct().count() if areas else 0,
            _url("events:event_list", issue_area=one_area),
        ),
    ]
    return Section(Role.MEMBER, _("Member"), queues)


def _expert(user: Actor) -> Section:
    today = timezone.localdate()
    working = requests_assigned(user=user).filter(status__in=AssistanceRequest.WORK_STATUSES)
    queues = [
        Queue(
            "assigned",
            _("Requests assigned to me"),
            working.count(),
            _url("assistance:assigned"),
        ),
        Queue(
            "assigned_due_soon",
            _("Due within 30 days or overdue"),
            working.filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS)).count(),
            _url("assistance:assigned", due_within=str(DUE_SOON_DAYS)),
        ),
    ]
    return Section(Role.EXPERT, _("Technical-assistance expert"), queues)


def _sitestaff(user: Actor) -> Section:
    section = Section(Role.SITESTAFF, _("My sites"))
    ids = staff_site_ids(user)
    if not ids:
        section.note = _("You are not on the staff of a site yet.")
        return section
    today = timezone.localdate()
    sites = Site.objects.filter(pk__in=ids).order_by("name")
    # A count per site (no client is read), one GROUP BY for all the sites.
    counts = dict(
        Contact.objects.filter(site__in=ids, date=today)
        .values_list("site")
        .annotate(n=Count("pk"))
        .values_list("site", "n")
    )
    section.queues = [
        _forms_to_fill(user),
        *(
            Queue(
                f"contacts_today:{site.pk}",
                _("%(site)s: contacts today") % {"site": site.name},
                counts.get(site.pk, 0),
                _url("outreach:contact_entry", site.pk),
            )
            for site in sites
        ),
    ]
    return section


def _documenter(user: Actor) -> Section:
    own = case_queryset_for(user).filter(organisation__in=documenter_organisation_ids(user))
    queues = [
        Queue(
            "my_cases",
            _("Open cases of my organisation"),
            own.filter(status=Case.Status.OPEN).count(),
            _url("rights:case_list", status=Case.Status.OPEN),
        ),
        Queue(
            "cases_unreviewed",
            _("Reports given to my organisation, not reviewed yet"),
            own.filter(status=Case.Status.UNREVIEWED).count(),
            _url("rights:case_list", status=Case.Status.UNREVIEWED),
        ),
    ]
    return Section(Role.DOCUMENTER, _("Rights documentation"), queues)


def _committee(user: Actor) -> Section:
    """Members of an election committee (anyone the secretariat named): the candidacies
    to decide on and the counts to confirm."""
    waiting = candidates_to_review(user=user)
    queues = [
        _election_queue(
            "candidates_to_review",
            _("Candidates to review"),
            waiting.values_list("election", flat=True),
            "governance:candidates_review",
            count=waiting.count(),
        ),
        _election_queue(
            "counts_to_confirm",
            _("Election counts to confirm"),
            counts_to_confirm(user=user).values_list("pk", flat=True),
            "governance:results",
        ),
    ]
    return Section("committee", _("Election committee"), queues)


def _elections_to_vote(user: Actor) -> Queue | None:
    """Open elections where the person still has a vote to cast; offered to those on the
    roll of an election now open (voted or not), so "0" says their vote is in."""
    now = timezone.now()
    on_open_roll = voter_entries(user=user).filter(
        roll__election__announced_at__isnull=False,
        roll__election__published_at__isnull=True,
        roll__election__opens_at__lte=now,
        roll__election__closes_at__gt=now,
    )
    if not on_open_roll.exists():
        return None
    return _election_queue(
        "elections_to_vote",
        _("Elections you can vote in"),
        elections_to_vote(user=user).values_list("pk", flat=True),
        "governance:vote",
    )


SECTIONS = (
    (Role.SECRETARIAT, _secretariat),
    (Role.INTAKE_REVIEWER, _intake_reviewer),
    (Role.ORGADMIN, _orgadmin),
    (Role.EXPERT, _expert),
    (Role.SITESTAFF, _sitestaff),
    (Role.DOCUMENTER, _documenter),
    (Role.MEMBER, _member),
)


# The sections of people in the network: the first of them a person has lists the unread
# posts in the discussions they follow (once, whatever their roles).
NETWORK_SECTIONS = (Role.SECRETARIAT, Role.ORGADMIN, Role.EXPERT, Role.MEMBER)


def _discussions_unread(user: Actor) -> Queue | None:
    """Threads followed (or in a followed category) with posts not read yet; offered to
    those who follow something."""
    if not follows_anything(user=user):
        return None
    return Queue(
        "discussions_unread",
        _("Unread in discussions you follow"),
        unread_followed(user=user).count(),
        _url("discussions:settings") + "#unread",
    )


def work_sections(*, user: Actor) -> list[Section]:
    """One section per role `user` holds (a person with several roles sees them all); a
    signed-in person without a role sees the member's section (their events and
    applications). Superusers see the roles they were given, not every role."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user_roles(user)
    sections = [build(user) for role, build in SECTIONS if role in roles]
    if not sections:
        sections.append(_member(user))
    network = next((s for s in sections if s.key in NETWORK_SECTIONS), None)
    if network is not None and (to_vote := _elections_to_vote(user)) is not None:
        network.queues.insert(0, to_vote)  # a vote has a deadline: first
    if network is not None and (unread := _discussions_unread(user)) is not None:
        network.queues.append(unread)
    if on_any_committee(user=user):
        sections.append(_committee(user))
    return sections


def work_queues(*, user: Actor) -> list[Queue]:
    """Every queue of `user`'s start page, in the page's order."""
    return [queue for section in work_sections(user=user) for queue in section.queues]
