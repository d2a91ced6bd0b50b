"""Governance by the members: elections of the steering committee (seats per
constituency, candidates, secret ballots with receipts) and general assemblies (agenda,
resolutions voted yes/no/abstain, minutes).

Secrecy is in the schema: who voted (`VoterRecord`: a roll entry and a day) and what was
voted (`Ballot`: a random id, a random receipt and the choices) share no key, no foreign
key in either direction and no time finer than the day; nothing in the code joins them
(a test reads the schema). One vote per voter is the unique `VoterRecord` row, written in
the same transaction as the ballot."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.i18n import localized
from hrnet.core.models import TimeStampedModel
from hrnet.events.models import Event
from hrnet.geo.models import SubRegion
from hrnet.library.models import Resource
from hrnet.members.models import Organisation, Person


class Roll(models.Model):
    """Who votes in an election or at an assembly: frozen from the register (current
    members only) when the secretariat freezes it, on or after the cut-off date."""

    class Voters(models.TextChoices):
        ORGANISATIONS = "organisations", _("Member organisations (one vote each)")
        INDIVIDUALS = "individuals", _("Individual members")
        BOTH = "both", _("Member organisations and individual members")

    voters = models.CharField(
        _("who votes"), max_length=20, choices=Voters.choices, default=Voters.ORGANISATIONS
    )
    cutoff = models.DateField(_("cut-off date of the voter roll"))
    frozen_at = models.DateTimeField(_("roll frozen"), null=True, blank=True)

    class Meta:
        verbose_name = _("voter roll")
        verbose_name_plural = _("voter rolls")

    def __str__(self) -> str:
        return f"{self.get_voters_display()} ({self.cutoff})"


class RollEntry(models.Model):
    """One vote: a member organisation (cast by its designated admin, or any current admin
    when none is designated) or an individual member."""

    roll = models.ForeignKey(Roll, on_delete=models.CASCADE, related_name="entries")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designated to vote"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subregion = models.ForeignKey(
        SubRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # frozen with the roll: constituencies of a sub-region count its voters only
    name = models.CharField(max_length=300)  # as on the cut-off date

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering: ClassVar[list[str]] = ["roll", "name", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="governance_roll_entry_one_voter",
            ),
            models.UniqueConstraint(
                fields=["roll", "organisation"],
                condition=Q(organisation__isnull=False),
                name="governance_roll_organisation_once",
            ),
            models.UniqueConstraint(
                fields=["roll", "person"],
                condition=Q(person__isnull=False),
                name="governance_roll_person_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Election(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATIONS = "nominations", _("Nominations")
        OPEN = "open", _("Voting open")
        CLOSED = "closed", _("Closed, counting")
        PUBLISHED = "published", _("Results published")

    class TieBreak(models.TextChoices):
        LOT = "lot", _("Drawn by lot from the published bulletin")
        RUNOFF = "runoff", _("A runoff between the tied candidates")

    titles = models.JSONField(_("title"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    roll = models.OneToOneField(Roll, on_delete=models.PROTECT, related_name="election")
    nominations_open_at = models.DateTimeField(_("nominations open"), null=True, blank=True)
    nominations_close_at = models.DateTimeField(_("nominations close"), null=True, blank=True)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum: percentage of the roll that must vote"), default=50
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=10, choices=TieBreak.choices, default=TieBreak.LOT
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("election committee")
    )
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)  # None: draft
    # The count, frozen by the first committee confirmation; published with the summaries.
    result = models.JSONField(default=dict, blank=True, editable=False)
    result_summaries = models.JSONField(_("result statement"), default=dict, blank=True)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    notices_sent = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering: ClassVar[list[str]] = ["-opens_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="governance_election_dates"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="governance_election_quorum"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles) or f"#{self.pk}"

    @property
    def description(self) -> str:
        return localized(self.descriptions)

    def status_at(self, now: datetime) -> str:
        if self.published_at is not None:
            return self.Status.PUBLISHED
        if self.announced_at is None:
            return self.Status.DRAFT
        if now >= self.closes_at:
            return self.Status.CLOSED
        if now >= self.opens_at:
            return self.Status.OPEN
        return self.Status.NOMINATIONS

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def nominations_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status_at(now) == self.Status.NOMINATIONS
            and self.nominations_open_at is not None
            and self.nominations_open_at <= now
            and (self.nominations_close_at is None or now < self.nominations_close_at)
        )


class Constituency(models.Model):
    """Seats chosen together: the whole network, a sub-region (its voters only), or a seat
    reserved for candidates of community-led organisations."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="constituencies")
    names = models.JSONField(_("name"), default=dict)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    subregion = models.ForeignKey(
        SubRegion,
        verbose_name=_("voters of the sub-region only"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community_led_only = models.BooleanField(
        _("candidates of community-led organisations only"), default=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering: ClassVar[list[str]] = ["election", "position", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="governance_seats_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or f"#{self.pk}"


def _photo_path(instance: Candidate, filename: str) -> str:
    return f"governance/candidates/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Candidate(TimeStampedModel):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated, awaiting the committee")
        ACCEPTED = "accepted", pgettext_lazy("candidate", "Accepted")
        REJECTED = "rejected", pgettext_lazy("candidate", "Not accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("candidate", "Withdrawn")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        on_delete=models.PROTECT,
        related_name="candidates",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_by = models.ForeignKey(
        Organisation,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: self-nomination
    nominated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    statements = models.JSONField(_("statement"), default=dict)
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("committee's note"), blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering: ClassVar[list[str]] = ["constituency__position", "person__full_name", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["constituency", "person"], name="governance_candidate_once"
            )
        ]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def statement(self) -> str:
        return localized(self.statements)


class Assembly(TimeStampedModel):
    """A general assembly: a meeting (an event, for registration and attendance) with an
    agenda and resolutions voted by its roll."""

    titles = models.JSONField(_("title"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    date = models.DateField(_("date"))
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    roll = models.OneToOneField(Roll, on_delete=models.PROTECT, related_name="assembly")
    minutes = models.JSONField(_("minutes"), default=dict, blank=True)
    minutes_document = models.ForeignKey(
        Resource,
        verbose_name=_("minutes document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")
        ordering: ClassVar[list[str]] = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles) or f"#{self.pk}"


class AgendaItem(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    titles = models.JSONField(_("title"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    documents = models.ManyToManyField(
        Resource, blank=True, related_name="+", verbose_name=_("documents")
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering: ClassVar[list[str]] = ["assembly", "position", "id"]

    def __str__(self) -> str:
        return localized(self.titles)


class Resolution(TimeStampedModel):
    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (more yes than no)")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority of yes and no")

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="resolutions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="resolutions"
    )
    titles = models.JSONField(_("title"), default=dict)
    texts = models.JSONField(_("text"), default=dict)
    majority = models.CharField(
        _("majority"), max_length=10, choices=Majority.choices, default=Majority.SIMPLE
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum: percentage of the roll that must vote"), default=50
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    # "Adopt the minutes of <assembly>": adopting it adopts those minutes.
    adopts_minutes_of = models.ForeignKey(
        Assembly,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("adopts the minutes of"),
    )
    result = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering: ClassVar[list[str]] = ["assembly", "opens_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="governance_resolution_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles) or f"#{self.pk}"


def _ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class Ballot(models.Model):
    """What was voted, and nothing of who: a random id, a random receipt, the choices (the
    candidates through `BallotChoice`, or the answer to a resolution). No time."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    id = models.UUIDField(primary_key=True, default=_ballot_id, editable=False)
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    receipt = models.CharField(max_length=20, unique=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    candidates: models.ManyToManyField[Candidate, BallotChoice] = models.ManyToManyField(
        Candidate, through="BallotChoice", related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(election__isnull=False, resolution__isnull=True)
                | Q(
                    election__isnull=True,
                    resolution__isnull=False,
                    answer__in=["yes", "no", "abstain"],
                ),
                name="governance_ballot_one_vote",
            )
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    # Random too: counting ids would follow the order of voting, like the voter records'.
    id = models.UUIDField(primary_key=True, default=_ballot_id, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="choices")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="governance_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}"


class VoterRecord(models.Model):
    """Who voted, and nothing of what: a roll entry and the day. One per roll entry and
    election (or resolution): the database refuses a second vote."""

    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="records")
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.PROTECT, related_name="voter_records"
    )
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="voter_records"
    )
    voted_on = models.DateField()
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(election__isnull=False, resolution__isnull=True)
                | Q(election__isnull=True, resolution__isnull=False),
                name="governance_record_one_vote",
            ),
            models.UniqueConstraint(
                fields=["roll_entry", "election"],
                condition=Q(election__isnull=False),
                name="governance_one_vote_per_election",
            ),
            models.UniqueConstraint(
                fields=["roll_entry", "resolution"],
                condition=Q(resolution__isnull=False),
                name="governance_one_vote_per_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roll_entry} ({self.voted_on})"


class ResultConfirmation(models.Model):
    """A member of the election committee confirms the count; two are needed to publish."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["election", "user"], name="governance_confirm_once")
        ]

    def __str__(self) -> str:
        return f"{self.election_id}: {self.user_id}"


class Notice(models.Model):
    """An email a voter got about an election (nominations open, voting open, reminder,
    results): each at most once."""

    class Kind(models.TextChoices):
        NOMINATIONS = "nominations", _("Nominations open")
        VOTING = "voting", _("Voting open")
        REMINDER = "reminder", _("Two days left")
        RESULTS = "results", _("Results published")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="notices")
    roll_entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["election", "roll_entry", "kind"], name="governance_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.roll_entry_id}"
