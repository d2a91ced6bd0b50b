"""Reads of segments and mailings, for the secretariat only.

A segment's filters are the directory's (`members.selectors.directory.DirectoryFilters`,
applied by the register's own `register_filter`) plus the register's: membership status,
language, event attendance and an open technical-assistance request. Its *members* are
organisations and individual members; its *recipients* are the addresses a mailing goes
to: each matching organisation's current contact people and profile managers (the
organisation's own address when it has none with an address) and each matching
individual member, one per address (case ignored). Erased people, people in the trash,
addresses without an email and addresses unsubscribed from the mailing's category are
left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hrnet.assistance.models import AssistanceRequest
from hrnet.core.types import Actor
from hrnet.events.models import Attendance, Event
from hrnet.mailings.models import Mailing, Recipient, Segment, Unsubscription
from hrnet.mailings.policies import mailing_policy, recipient_policy, segment_policy
from hrnet.members.models import Affiliation, Membership, Organisation, Person
from hrnet.members.selectors.directory import DirectoryFilters
from hrnet.members.selectors.register import register_filter

CURRENT = "current"  # the membership_status meaning "active or in the grace period"
ANY = "any"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class SegmentFilters:
    """A segment's filters; empty values filter nothing (membership status: current)."""

    subregion: str = ""
    country: str = ""
    type: str = ""  # an Organisation.Kind value, or "individual"
    issue_area: str = ""
    community_led: bool = False
    membership_status: str = CURRENT  # "current", "any" or a Membership.Status value
    language: str = ""  # a language code people speak
    event: str = ""  # "" (no filter), "any" (attended an event) or an Event pk
    open_assistance: bool = False  # has a technical-assistance request not yet closed

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SegmentFilters:
        data = data or {}
        known = set(cls.__dataclass_fields__)
        values: dict[str, Any] = {}
        for name in known & set(data):
            value = data[name]
            if name in ("community_led", "open_assistance"):
                values[name] = value in (True, "1", "true", "on", 1)
            else:
                values[name] = "" if value is None else str(value).strip()
        if not values.get("membership_status"):
            values["membership_status"] = CURRENT
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """Only what filters something, for storage and the API."""
        defaults = SegmentFilters()
        return {
            name: value
            for name, value in asdict(self).items()
            if value != getattr(defaults, name) or name == "membership_status"
        }

    @property
    def directory(self) -> DirectoryFilters:
        return DirectoryFilters(
            subregion=self.subregion,
            country=self.country,
            type=self.type,
            issue_area=self.issue_area,
            community_led=self.community_led,
        )


def _membership_q(status: str, *, person: bool) -> Q:
    if status == ANY:
        condition = Q(memberships__isnull=False)
    elif status == CURRENT:
        condition = Q(memberships__status__in=Membership.CURRENT_STATUSES)
    else:
        condition = Q(memberships__status=status)
    if person:
        # Staff who are members through their organisation are not individual members.
        condition &= Q(memberships__inherited_from__isnull=True)
    return condition


def _attendances(event: str) -> QuerySet[Attendance] | None:
    if not event:
        return None
    attendances = Attendance.objects.all()
    if event != ANY:
        attendances = attendances.filter(
            registration__event_id=int(event) if event.isdigit() else 0
        )
    return attendances


def segment_organisations(filters: SegmentFilters) -> QuerySet[Organisation]:
    organisations = register_filter(
        Organisation.objects.all(), filters.directory, kind="organisation"
    )
    organisations = organisations.filter(
        pk__in=Organisation.objects.filter(_membership_q(filters.membership_status, person=False))
    )
    if filters.language:
        speakers = _current_contacts().filter(person__languages__icontains=f'"{filters.language}"')
        organisations = organisations.filter(pk__in=speakers.values("organisation_id"))
    attendances = _attendances(filters.event)
    if attendances is not None:
        organisations = organisations.filter(
            pk__in=attendances.values("registration__organisation_id")
        )
    if filters.open_assistance:
        organisations = organisations.filter(
            pk__in=AssistanceRequest.objects.filter(
                status__in=AssistanceRequest.OPEN_STATUSES
            ).values("organisation_id")
        )
    return organisations


def segment_people(filters: SegmentFilters) -> QuerySet[Person]:
    """Individual members matching the filters (technical assistance is asked for by
    organisations, so that filter leaves no individual)."""
    if filters.open_assistance:
        return Person.objects.none()
    people = register_filter(
        Person.objects.filter(erased_at__isnull=True), filters.directory, kind="person"
    )
    people = people.filter(
        pk__in=Person.objects.filter(_membership_q(filters.membership_status, person=True))
    )
    if filters.language:
        people = people.filter(languages__icontains=f'"{filters.language}"')
    attendances = _attendances(filters.event)
    if attendances is not None:
        people = people.filter(
            user_id__in=attendances.filter(registration__user__isnull=False).values(
                "registration__user_id"
            )
        )
    return people


@dataclass(frozen=True)
class SegmentCount:
    organisations: int
    individuals: int
    recipients: int

    @property
    def members(self) -> int:
        return self.organisations + self.individuals


def segment_count(*, user: Actor, filters: SegmentFilters, category: str = "") -> SegmentCount:
    segment_policy.require(user, "view")
    return SegmentCount(
        organisations=segment_organisations(filters).count(),
        individuals=segment_people(filters).count(),
        recipients=len(segment_recipients(filters=filters, category=category)),
    )


# --- recipients -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientIn:
    email: str
    name: str
    language: str
    person_id: int | None = None
    organisation: str = ""


def _current_contacts() -> QuerySet[Affiliation]:
    today = timezone.localdate()
    return (
        Affiliation.objects.filter(Q(role=Affiliation.Role.CONTACT) | Q(is_admin=True))
        .filter(person__deleted_at__isnull=True, person__erased_at__isnull=True)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )


def person_language(person: Person) -> str:
    """The language a person reads: their account's, else the first they speak that the
    site has, else the site's default."""
    user = person.user
    if user is not None and user.preferred_language in LANGUAGE_CODES:
        return user.preferred_language
    for code in person.languages or []:
        if code in LANGUAGE_CODES:
            return str(code)
    return settings.LANGUAGE_CODE


def segment_recipients(*, filters: SegmentFilters, category: str = "") -> list[RecipientIn]:
    """The addresses a mailing of `category` to this segment goes to (see the module)."""
    found: dict[str, RecipientIn] = {}

    def add(recipient: RecipientIn) -> None:
        key = recipient.email.strip().lower()
        if key and key not in found:
            found[key] = recipient

    for person in (
        segment_people(filters).exclude(email="").select_related("user").order_by("name_key", "pk")
    ):
        add(
            RecipientIn(
                email=person.email.strip(),
                name=person.full_name,
                language=person_language(person),
                person_id=person.pk,
            )
        )
    organisations = {o.pk: o for o in segment_organisations(filters).order_by("name_key", "pk")}
    contacts = (
        _current_contacts()
        .filter(organisation_id__in=list(organisations))
        .exclude(person__email="")
        .select_related("person__user")
        .order_by("organisation__name_key", "person__name_key", "pk")
    )
    reached: set[int] = set()
    for link in contacts:
        reached.add(link.organisation_id)
        add(
            RecipientIn(
                email=link.person.email.strip(),
                name=link.person.full_name,
                language=person_language(link.person),
                person_id=link.person_id,
                organisation=organisations[link.organisation_id].name,
            )
        )
    for pk, organisation in organisations.items():
        if pk not in reached and organisation.email:
            add(
                RecipientIn(
                    email=organisation.email.strip(),
                    name=organisation.name,
                    language=settings.LANGUAGE_CODE,
                    organisation=organisation.name,
                )
            )
    if category and found:
        unsubscribed = set(
            Unsubscription.objects.filter(category=category).values_list("email", flat=True)
        )
        for email in unsubscribed & set(found):
            del found[email]
    return list(found.values())


# --- segments and mailings --------------------------------------------------------------


def segment_list(*, user: Actor) -> QuerySet[Segment]:
    return segment_policy.instances_user_has_permission_for(user, "list").order_by("name")


def segment_get(*, user: Actor, pk: int) -> Segment:
    return segment_policy.instances_user_has_permission_for(user, "view").get(pk=pk)


def mailing_list(*, user: Actor) -> QuerySet[Mailing]:
    return (
        mailing_policy.instances_user_has_permission_for(user, "list")
        .select_related("segment")
        .order_by("-created_at", "-pk")
    )


def mailing_get(*, user: Actor, pk: int) -> Mailing:
    return (
        mailing_policy.instances_user_has_permission_for(user, "view")
        .select_related("segment", "job")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class MailingCounts:
    recipients: int
    sent: int
    failed: int
    pending: int


def mailing_counts(*, mailing: Mailing) -> MailingCounts:
    by_state = dict(
        Recipient.objects.filter(mailing=mailing)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return MailingCounts(
        recipients=sum(by_state.values()),
        sent=by_state.get(Recipient.State.SENT, 0),
        failed=by_state.get(Recipient.State.FAILED, 0),
        pending=by_state.get(Recipient.State.PENDING, 0) + by_state.get(Recipient.State.SENDING, 0),
    )


def mailing_recipients(*, user: Actor, mailing: Mailing) -> QuerySet[Recipient]:
    return (
        recipient_policy.instances_user_has_permission_for(user, "list")
        .filter(mailing=mailing)
        .order_by("pk")
    )


def recent_events() -> QuerySet[Event]:
    """Events a segment may filter by attendance: those that have started, latest first."""
    return Event.objects.filter(starts_at__lte=timezone.now()).order_by("-starts_at")[:100]
