"""Writes of the team and the contact form: team members, contact topics and the messages
visitors send (stored, audited without the sender's details, and emailed to the topic's
recipient). A member's contact details are published only when they chose so; the contact
form reaches anyone by topic without showing an address at all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrnet.accounts.models import User
from hrnet.core.audit import changed_fields, log_action
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.core.types import Actor
from hrnet.network.audit import Action
from hrnet.network.contact_details import email_check, languages_parse, phone_normalize
from hrnet.network.models import ContactMessage, ContactTopic, TeamMember
from hrnet.network.pictures import picture_check, picture_store
from hrnet.network.policies import (
    contact_message_policy,
    contact_topic_policy,
    team_member_policy,
)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
MESSAGE_MAX_LENGTH = 5000
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def _squash(text: str) -> str:
    return " ".join((text or "").split())


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
    extension = picture_check(
        picture=member.photo,
        upload=photo,
        clear=photo_clear,
        alt=member.photo_alt,
        field="photo",
        max_bytes=PHOTO_MAX_BYTES,
        max_pixels=PHOTO_MAX_PIXELS,
        alt_missing=_("Describe the photo for people who cannot see it."),
        errors=errors,
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
    picture_store(picture=member.photo, upload=photo, extension=extension)
    member.save()


@transaction.atomic
def team_member_create(
    *,
    actor: Actor,
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
    team_member_policy.require(actor, "add")
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
        action=Action.TEAM_MEMBER_CREATE,
        obj=member,
        changes=changed_fields({}, _member_snapshot(member)),
        request=request,
    )
    return member


@transaction.atomic
def team_member_update(
    *,
    member: TeamMember,
    actor: Actor,
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
    team_member_policy.require(actor, "change")
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
            actor=actor,
            action=Action.TEAM_MEMBER_UPDATE,
            obj=member,
            changes=changes,
            request=request,
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
    actor: Actor,
    names: dict[str, str],
    recipient: TeamMember,
    position: int = 0,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> ContactTopic:
    """A topic of the contact form; its messages go to `recipient`."""
    contact_topic_policy.require(actor, "add")
    topic = ContactTopic()
    _topic_write(topic, names=names, recipient=recipient, position=position, is_active=is_active)
    log_action(
        actor=actor,
        action=Action.CONTACT_TOPIC_CREATE,
        obj=topic,
        changes=changed_fields({}, _topic_snapshot(topic)),
        request=request,
    )
    return topic


@transaction.atomic
def contact_topic_update(
    *,
    topic: ContactTopic,
    actor: Actor,
    names: dict[str, str],
    recipient: TeamMember,
    position: int = 0,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> ContactTopic:
    contact_topic_policy.require(actor, "change")
    before = _topic_snapshot(topic)
    _topic_write(topic, names=names, recipient=recipient, position=position, is_active=is_active)
    changes = changed_fields(before, _topic_snapshot(topic))
    if changes:
        log_action(
            actor=actor,
            action=Action.CONTACT_TOPIC_UPDATE,
            obj=topic,
            changes=changes,
            request=request,
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
    actor: Actor | None = None,
    request: HttpRequest | None = None,
) -> ContactMessage | None:
    """Store a visitor's message and email it to the topic's recipient (after the commit).

    A filled `trap` (the honeypot field people never see) marks a bot: nothing is stored
    or sent, and None is returned so that the bot sees the same thanks as a person. More
    than HRNET_CONTACT_MESSAGES_PER_HOUR messages an hour from one address are refused.
    """
    if trap.strip():
        return None
    # Counted in this function's transaction: a refused message gives its hit back, so only
    # messages received count.
    if not throttle_hit(
        scope="network.contact_message",
        key=address_key(request),
        limit=contact_messages_per_hour(),
        window=timedelta(hours=1),
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
        action=Action.CONTACT_MESSAGE_SEND,
        obj=stored,
        changes={"topic": {"old": None, "new": topic.pk}},
        request=request,
    )
    notification = _notification(stored)
    if notification is not None:
        transaction.on_commit(notification.send, robust=True)
    return stored


@transaction.atomic
def contact_message_mark_answered(
    *, message: ContactMessage, actor: User, request: HttpRequest | None = None
) -> ContactMessage:
    """Record that the secretariat answered a message (by email, outside hrnet), once."""
    contact_message_policy.require(actor, "change", message)
    locked = ContactMessage.objects.select_for_update().get(pk=message.pk)
    if locked.answered_at is not None:
        raise ValidationError(_("This message is already marked as answered."))
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.save(update_fields=["answered_at", "answered_by", "updated_at"])
    # As for sending: the audit entry names the message, not the sender's details.
    log_action(
        actor=actor,
        action=Action.CONTACT_MESSAGE_ANSWER,
        obj=locked,
        changes={"answered_at": locked.answered_at},
        request=request,
    )
    return locked
