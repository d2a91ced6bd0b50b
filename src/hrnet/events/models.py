"""Events the network runs (webinars, trainings, discussion sessions, meetings,
conferences) and global events it prepares members for; registrations with a waiting
list; attendance per session; feedback; certificates of attendance.

An Event is what people register for. It has one or more Sessions (a webinar has one, a
training of four meetings has four); attendance is recorded per session, and a
certificate goes to those who attended every session. Times are stored in UTC and shown
in each viewer's time zone; `Event.time_zone` is the organisers' zone, named on the page.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.accounts.models import time_zone_choices
from hrnet.core.i18n import localized
from hrnet.core.models import IssueArea, SoftDeleteModel, TimeStampedModel
from hrnet.geo.models import Country


class Event(TimeStampedModel, SoftDeleteModel):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        TRAINING = "training", _("Training")
        DISCUSSION = "discussion", _("Discussion session")
        MEETING = "meeting", _("Meeting")
        CONFERENCE = "conference", _("Conference")
        # Not ours: UN General Assembly special sessions, the Commission on Narcotic Drugs,
        # Global Fund board meetings, international conferences. No registration here.
        GLOBAL = "global", _("Global event")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    titles = models.JSONField(_("title"), default=dict, help_text=_("Per language code."))
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    # For global events: how the network prepares its members, and where to read more.
    preparation_notes = models.JSONField(_("how we prepare"), default=dict, blank=True)
    external_url = models.URLField(_("event website"), max_length=500, blank=True)

    # Cached from the sessions (first start, last end) for listing, filters and iCalendar.
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone of the organisers"), max_length=64, default="UTC", choices=time_zone_choices
    )

    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to confirmed participants and the organisers."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpretation = models.CharField(
        _("interpretation"), max_length=200, blank=True, help_text=_("For example EN ↔ RU.")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="events_organised",
        help_text=_("They see the participants, check them in and import attendance."),
    )
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line."))
    issue_areas = models.ManyToManyField(IssueArea, verbose_name=_("issue areas"), blank=True)
    materials = models.ManyToManyField(
        "library.Resource", verbose_name=_("materials"), blank=True, related_name="events"
    )
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)

    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, people can join a waiting list."),
    )
    # 15 minutes of a 90-minute webinar is not attendance: a certificate needs this share of
    # the event's minutes (summed over its sessions).
    certificate_min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate, in per cent"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the event's time a participant must attend, from 1 to 100."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    approval_required = models.BooleanField(
        _("organisers approve each registration"), default=False
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # A public event takes guests (no account: name and email, confirmed by a link); a
    # members-only one keeps registration to people who sign in.
    members_only = models.BooleanField(
        _("registration for members only"),
        default=False,
        help_text=_(
            "Visitors without an account cannot register as guests; they are asked to sign in."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # iCalendar: UID never changes; SEQUENCE goes up with every change attendees must see.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def description(self) -> str:
        return localized(self.descriptions)

    @property
    def takes_registrations(self) -> bool:
        return self.kind != self.Kind.GLOBAL

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )
        if not localized(self.titles):
            raise ValidationError({"titles": _("Give the event a title.")})


class Session(models.Model):
    """One meeting of an event in time. Attendance is recorded per session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    titles = models.JSONField(_("title"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return localized(self.titles) or f"{self.event} · {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})


class RegistrationQuestion(models.Model):
    """An extra question the organisers ask when people register."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One of a list")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    labels = models.JSONField(_("question"), default=dict)
    kind = models.CharField(_("answer"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    # For CHOICE: [{"en": "...", "ru": "..."}, ...]; the answer stores the index.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return localized(self.labels)


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        # A guest who has not yet opened the confirmation link: holds no seat.
        UNVERIFIED = "unverified", _("Waiting for email confirmation")
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined by the organisers")
        EXPIRED = "expired", _("Offer expired")

    # A seat is taken by these; the capacity is never exceeded by them.
    HOLDS_SEAT = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITING, Status.OFFERED)

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary or another gender")
        UNSAID = "unsaid", _("Prefer not to say")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # A signed-in person's registration has a user; a guest's has a name and an email.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    guest_name = models.CharField(_("name"), max_length=200, blank=True)
    guest_email = models.EmailField(_("email"), blank=True, db_index=True)
    # The guest's zone when they registered (from their browser), for the emails.
    guest_time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    # Who they are, for the organisers' reports (as given at registration).
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSAID
    )
    language = models.CharField(_("language for emails"), max_length=10, default="en")
    answers = models.JSONField(_("answers"), default=dict, blank=True)  # {question id: value}

    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_24h_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_1h_at = models.DateTimeField(null=True, blank=True, editable=False)
    feedback_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per person and event; a cancelled one may be followed
            # by a new registration.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["pending", "confirmed", "waiting", "offered"]),
                name="events_registration_one_active",
            ),
            # One live registration per guest address and event (unconfirmed included: a
            # second try sends the link again).
            models.UniqueConstraint(
                "event",
                Lower("guest_email"),
                condition=Q(
                    user__isnull=True,
                    status__in=["unverified", "pending", "confirmed", "waiting", "offered"],
                ),
                name="events_registration_one_active_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_email=""),
                name="events_registration_user_or_guest_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} → {self.event}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def display_name(self) -> str:
        """The registrant's name as the organisers' lists show it."""
        if self.user is not None:
            return self.user.full_name or self.user.email
        return self.guest_name or self.guest_email

    @property
    def email(self) -> str:
        return self.user.email if self.user is not None else self.guest_email

    @property
    def full_name(self) -> str:
        """The name given (empty when none), e.g. for a certificate."""
        if self.user is not None:
            return (self.user.full_name or "").strip()
        return self.guest_name.strip()

    @property
    def holds_seat(self) -> bool:
        return self.status in self.HOLDS_SEAT


class Attendance(models.Model):
    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in")
        IMPORT = "import", _("Imported from the call's participant list")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    minutes = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="events_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"


class Feedback(models.Model):
    """The answers to the survey sent after the event: one per registration."""

    SCALE = [(n, str(n)) for n in range(1, 6)]

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    overall = models.PositiveSmallIntegerField(_("overall, from 1 to 5"), choices=SCALE)
    usefulness = models.PositiveSmallIntegerField(
        _("useful for my work, from 1 to 5"), choices=SCALE
    )
    comment = models.TextField(_("what should we change?"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.registration}: {self.overall}/5"


def _certificate_code() -> str:
    # Easy to read aloud and type: no 0/O or 1/I/L.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Certificate(models.Model):
    """A certificate of attendance; anyone can verify it by its code."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=_certificate_code
    )
    # What the certificate says, fixed when issued (a later rename does not change it).
    holder_name = models.CharField(_("name"), max_length=200)
    event_title = models.CharField(_("event"), max_length=500)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "holder": self.holder_name, "event": self.event_title}
