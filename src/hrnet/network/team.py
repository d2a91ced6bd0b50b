"""The team and the contact form: services (writes) and selectors (reads) of team members,
contact topics and the messages visitors send.

A member's contact details are published only when they chose so. Published emails never
reach the page as plain text (scrapers): the team page carries them encoded and a small
static script turns them into a mailto link on click; the contact form reaches anyone by
topic without showing an address at all.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hrnet.core import images
from hrnet.core.audit import changed_fields, log_action, recent_actions_from_address
from hrnet.network.models import ContactMessage, ContactTopic, TeamMember
from hrnet.network.policies import (
    contact_message_policy,
    contact_topic_policy,
    team_member_policy,
)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
MESSAGE_MAX_LENGTH = 5000
CONTACT_ACTION = "contact.message"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def _require(policy: Any, actor: Any, action: str) -> None:
    if not policy.user_has_permission(actor, action):
        raise PermissionDenied


def _squash(text: str) -> str:
    return " ".join((text or "").split())


# --- phones, emails, languages ----------------------------------------------------------


def phone_normalize(value: str, *, field: str = "phone") -> str:
    """The phone in E.164 ("+380441234567"), or "" for an empty value; a ValidationError
    naming `field` for anything that is not a valid number in international format."""
    value = (value or "").strip()
    if not value:
        return ""
    invalid = ValidationError(
        {
            field: _(
                "“%(value)s” is not a valid phone number in international format "
                "(for example +380 44 123 4567)."
            )
            % {"value": value}
        },
        code="invalid_phone",
    )
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """A stored E.164 number formatted for reading ("+380 44 123 4567")."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_check(value: str, *, field: str = "email") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError:
        raise ValidationError(
            {field: _("“%(value)s” is not an email address.") % {"value": value}},
            code="invalid_email",
        ) from None
    return value


def email_obfuscate(email: str) -> str:
    """The address reversed and base64-encoded: no "@" or domain for a harvester to find;
    network/js/team.js decodes it when a visitor asks."""
    return base64.b64encode(email[::-1].encode()).decode()


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    if not info or "name_local" not in info:
        return code
    return str(info["name_local"])


def languages_parse(value: str | list[str], *, field: str = "languages") -> list[str]:
    """Language codes ("en, ru, uk") as a list; unknown codes are refused by name."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    codes: list[str] = []
    for item in items:
        code = item.strip().lower()
        if not code:
            continue
        if code not in LANG_INFO:
            raise ValidationError(
                {
                    field: _("“%(code)s” is not a language code (such as en, ru, uk).")
                    % {"code": code}
                },
                code="invalid_language",
            )
        if code not in codes:
            codes.append(code)
    return codes


# --- team members -----------------------------------------------------------------------


def _member_snapshot(member: TeamMember) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "roles": member.roles,
        "photo": member.photo.name or "",
        "photo_alt": member.photo_alt,
        "languages": member.languages,
        "email": member.email,
        "phone": member.phone,
        "publish_email": member.publish_email,
        "publish_phone": member.publish_phone,
        "position": member.position,
        "is_published": member.is_published,
    }


def _member_write(
    member: TeamMember,
    *,
    full_name: str,
    roles: dict[str, str],
    photo: UploadedFile | None,
    photo_clear: bool,
    photo_alt: str,
    languages: str | list[str],
    email: str,
    phone: str,
    publish_email: bool,
    publish_phone: bool,
    position: int,
    is_published: bool,
) -> None:
    errors: dict[str, list[str]] = {}

    def collect(exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)

    member.full_name = _squash(full_name)
    if not member.full_name:
        errors["full_name"] = [_("Give the team member's name.")]
    member.roles = {code: _squash(text) for code, text in roles.items() if _squash(text)}
    if not member.roles:
        errors["roles"] = [_("Give the team member's role in at least one language.")]
    member.photo_alt = _squash(photo_alt)
    extension = ""
    if photo is not None:
        try:
            extension = images.image_check(
                photo, field="photo", max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS
            )
        except ValidationError as exc:
            collect(exc)
    elif photo_clear:
        member.photo.name = ""
    if (photo is not None or member.photo) and not member.photo_alt:
        errors.setdefault("photo_alt", []).append(
            _("Describe the photo for people who cannot see it.")
        )
    try:
        member.languages = languages_parse(languages)
    except ValidationError as exc:
        collect(exc)
    try:
        member.email = email_check(email)
    except ValidationError as exc:
        collect(exc)
    try:
        member.phone = phone_normalize(phone)
    except ValidationError as exc:
        collect(exc)
    if publish_email and not member.email and "email" not in errors:
        errors["email"] = [_("Give the email address to publish it.")]
    if publish_phone and not member.phone and "phone" not in errors:
        errors["phone"] = [_("Give the phone number to publish it.")]
    member.publish_email = publish_email
    member.publish_phone = publish_phone
    member.position = position
    member.is_published = is_published
    if errors:
        raise ValidationError(errors)
    # The file is stored only once everything is valid, so a refused form leaves none.
    if photo is not None:
        member.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
    member.save()


@transaction.atomic
def team_member_create(
    *,
    actor: Any,
    full_name: str,
    roles: dict[str, str],
    photo: UploadedFile | None = None,
    photo_alt: str = "",
    languages: str | list[str] = "",
    email: str = "",
    phone: str = "",
    publish_email: bool = False,
    publish_phone: bool = False,
    position: int = 0,
    is_published: bool = True,
    request: HttpRequest | None = None,
) -> TeamMember:
    """A new member of the team page; the phone is stored in E.164."""
    _require(team_member_policy, actor, "add")
    member = TeamMember()
    _member_write(
        member,
        full_name=full_name,
        roles=roles,
        photo=photo,
        photo_clear=False,
        photo_alt=photo_alt,
        languages=languages,
        email=email,
        phone=phone,
        publish_email=publish_email,
        publish_phone=publish_phone,
        position=position,
        is_published=is_published,
    )
    log_action(
        actor=actor,
        action="team_member.create",
        obj=member,
        changes=changed_fields({}, _member_snapshot(member)),
        request=request,
    )
    return member


@transaction.atomic
def team_member_update(
    *,
    member: TeamMember,
    actor: Any,
    full_name: str,
    roles: dict[str, str],
    photo: UploadedFile | None = None,
    photo_clear: bool = False,
    photo_alt: str = "",
    languages: str | list[str] = "",
    email: str = "",
    phone: str = "",
    publish_email: bool = False,
    publish_phone: bool = False,
    position: int = 0,
    is_published: bool = True,
    request: HttpRequest | None = None,
) -> TeamMember:
    _require(team_member_policy, actor, "change")
    before = _member_snapshot(member)
    _member_write(
        member,
        full_name=full_name,
        roles=roles,
        photo=photo,
        photo_clear=photo_clear,
        photo_alt=photo_alt,
        languages=languages,
        email=email,
        phone=phone,
        publish_email=publish_email,
        publish_phone=publish_phone,
        position=position,
        is_published=is_published,
    )
    changes = changed_fields(before, _member_snapshot(member))
    if changes:
        log_action(
            actor=actor, action="team_member.update", obj=member, changes=changes, request=request
        )
    return member


# --- contact topics ---------------------------------------------------------------------


def _topic_snapshot(topic: ContactTopic) -> dict[str, Any]:
    return {
        "names": topic.names,
        "recipient": topic.recipient_id,
        "position": topic.position,
        "is_active": topic.is_active,
    }


def _topic_write(
    topic: ContactTopic,
    *,
    names: dict[str, str],
    recipient: TeamMember,
    position: int,
    is_active: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    topic.names = {code: _squash(text) for code, text in names.items() if _squash(text)}
    if not topic.names:
        errors["names"] = [_("Give the topic's name in at least one language.")]
    if not recipient.email:
        errors["recipient"] = [
            _("%(name)s has no email address: messages on this topic could not reach them.")
            % {"name": recipient.full_name}
        ]
    if errors:
        raise ValidationError(errors)
    topic.recipient = recipient
    topic.position = position
    topic.is_active = is_active
    topic.save()


@transaction.atomic
def contact_topic_create(
    *,
    actor: Any,
    names: dict[str, str],
    recipient: TeamMember,
    position: int = 0,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> ContactTopic:
    """A topic of the contact form; its messages go to `recipient`."""
    _require(contact_topic_policy, actor, "add")
    topic = ContactTopic()
    _topic_write(topic, names=names, recipient=recipient, position=position, is_active=is_active)
    log_action(
        actor=actor,
        action="contact_topic.create",
        obj=topic,
        changes=changed_fields({}, _topic_snapshot(topic)),
        request=request,
    )
    return topic


@transaction.atomic
def contact_topic_update(
    *,
    topic: ContactTopic,
    actor: Any,
    names: dict[str, str],
    recipient: TeamMember,
    position: int = 0,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> ContactTopic:
    _require(contact_topic_policy, actor, "change")
    before = _topic_snapshot(topic)
    _topic_write(topic, names=names, recipient=recipient, position=position, is_active=is_active)
    changes = changed_fields(before, _topic_snapshot(topic))
    if changes:
        log_action(
            actor=actor, action="contact_topic.update", obj=topic, changes=changes, request=request
        )
    return topic


# --- the contact form -------------------------------------------------------------------


def contact_messages_per_hour() -> int:
    return int(getattr(settings, "HRNET_CONTACT_MESSAGES_PER_HOUR", 5))


def _notification(message: ContactMessage) -> EmailMessage | None:
    recipient = message.topic.recipient
    if not recipient.email:
        return None
    user = recipient.user
    language = getattr(user, "preferred_language", "") or message.language
    if language not in LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"message": message, "topic": message.topic, "recipient": recipient}
        subject = render_to_string("network/team/email/contact_subject.txt", context)
        body = render_to_string("network/team/email/contact_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        reply_to=[message.email],
        headers={"Content-Language": language},
    )


@transaction.atomic
def contact_message_send(
    *,
    topic: ContactTopic | None,
    name: str,
    email: str,
    message: str,
    language: str = "",
    trap: str = "",
    actor: Any = None,
    request: HttpRequest | None = None,
) -> ContactMessage | None:
    """Store a visitor's message and email it to the topic's recipient (after the commit).

    A filled `trap` (the honeypot field people never see) marks a bot: nothing is stored
    or sent, and None is returned so that the bot sees the same thanks as a person. More
    than HRNET_CONTACT_MESSAGES_PER_HOUR messages an hour from one address are refused.
    """
    if trap.strip():
        return None
    if recent_actions_from_address(request=request, action=CONTACT_ACTION) >= (
        contact_messages_per_hour()
    ):
        raise ValidationError(
            _("Too many messages from your network address. Please try again in an hour."),
            code="throttled",
        )
    errors: dict[str, list[str]] = {}
    name = _squash(name)
    text = (message or "").strip()
    if topic is None or not topic.is_active:
        errors["topic"] = [_("Choose what you are writing about.")]
    if not name:
        errors["name"] = [_("Give your name.")]
    elif len(name) > 200:
        errors["name"] = [_("The name is too long (200 characters at most).")]
    if not (email or "").strip():
        errors["email"] = [_("Give your email address so that we can answer.")]
    else:
        try:
            email = email_check(email)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not text:
        errors["message"] = [_("Write your message.")]
    elif len(text) > MESSAGE_MAX_LENGTH:
        errors["message"] = [
            _("The message is too long (%(limit)s characters at most).")
            % {"limit": MESSAGE_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    assert topic is not None  # noqa: S101 - checked above
    stored = ContactMessage.objects.create(
        topic=topic,
        name=name,
        email=email,
        message=text,
        language=language if language in LANGUAGE_CODES else "",
    )
    # The sender's name and address are personal data: the audit names the topic only.
    log_action(
        actor=actor,
        action=CONTACT_ACTION,
        obj=stored,
        changes={"topic": {"old": None, "new": topic.pk}},
        request=request,
    )
    notification = _notification(stored)
    if notification is not None:
        transaction.on_commit(notification.send, robust=True)
    return stored


# --- selectors --------------------------------------------------------------------------


@dataclass
class PublicMember:
    """A team member as the public team page shows them: only what they chose to publish."""

    pk: int
    full_name: str
    role: str
    photo_url: str
    photo_alt: str
    languages: list[str] = field(default_factory=list)
    phone: str = ""  # E.164, for tel: links
    phone_display: str = ""
    email_encoded: str = ""  # see email_obfuscate
    topics: list[ContactTopic] = field(default_factory=list)


def team_members_public(*, user: Any) -> list[PublicMember]:
    """Published team members in their order, with only their published contact details."""
    members = (
        team_member_policy.instances_user_has_permission_for(user, "list")
        .filter(is_published=True)
        .order_by("position", "full_name")
    )
    topics: dict[int, list[ContactTopic]] = {}
    for topic in ContactTopic.objects.filter(is_active=True, recipient__in=members):
        topics.setdefault(topic.recipient_id, []).append(topic)
    return [
        PublicMember(
            pk=member.pk,
            full_name=member.full_name,
            role=member.role,
            photo_url=member.photo.url if member.photo else "",
            photo_alt=member.photo_alt,
            languages=[language_name(code) for code in member.languages],
            phone=member.phone if member.publish_phone else "",
            phone_display=phone_display(member.phone) if member.publish_phone else "",
            email_encoded=email_obfuscate(member.email)
            if member.publish_email and member.email
            else "",
            topics=topics.get(member.pk, []),
        )
        for member in members
    ]


def team_member_list(*, user: Any) -> QuerySet[TeamMember]:
    """Every team member, published or not (the secretariat's list)."""
    return team_member_policy.instances_user_has_permission_for(user, "change").order_by(
        "position", "full_name"
    )


def team_member_get(*, user: Any, pk: int) -> TeamMember:
    return team_member_list(user=user).get(pk=pk)


def contact_topics_active(*, user: Any) -> QuerySet[ContactTopic]:
    """Topics a visitor may choose (their recipients stay on the server)."""
    return ContactTopic.objects.filter(is_active=True).order_by("position", "pk")


def contact_topic_list(*, user: Any) -> QuerySet[ContactTopic]:
    return contact_topic_policy.instances_user_has_permission_for(user, "change").select_related(
        "recipient"
    )


def contact_topic_get(*, user: Any, pk: int) -> ContactTopic:
    return contact_topic_list(user=user).get(pk=pk)


def contact_message_list(*, user: Any) -> QuerySet[ContactMessage]:
    """Received messages, newest first (the secretariat's inbox)."""
    return (
        contact_message_policy.instances_user_has_permission_for(user, "list")
        .select_related("topic__recipient")
        .order_by("-created_at", "-pk")
    )
