"""Contact details of team members: phones in E.164, email addresses checked and encoded
for the page, and language codes with their own names."""

from __future__ import annotations

import base64

import phonenumbers
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _


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
