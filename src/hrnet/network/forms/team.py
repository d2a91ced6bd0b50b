"""Forms of the team pages and the contact form. They check shape; the services in
`network.services.team` check meaning (phones, emails, languages, photos, throttling)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import (
    HoneypotMixin,
    per_language_fields,
    per_language_initial,
    per_language_texts,
)
from hrnet.core.i18n import LANGUAGE_CODES
from hrnet.network.contact_details import phone_display
from hrnet.network.models import ContactTopic, TeamMember


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    # Phone and email are checked by the service, which says why a value is refused; the
    # inputs are still typed so phones offer the right keyboard.
    email = forms.CharField(
        label=_("Email"), required=False, max_length=254, widget=forms.EmailInput
    )
    publish_email = forms.BooleanField(label=_("Publish the email"), required=False)
    phone = forms.CharField(
        label=_("Phone (international format)"),
        required=False,
        max_length=32,
        help_text=_("With the country code, for example +380 44 123 4567."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    publish_phone = forms.BooleanField(label=_("Publish the phone"), required=False)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Language codes separated by commas, for example: en, ru, uk."),
    )
    photo = forms.FileField(label=_("Photo"), required=False)
    photo_clear = forms.BooleanField(label=_("Remove the photo"), required=False)
    photo_alt = forms.CharField(label=_("Photo description"), required=False, max_length=200)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    is_published = forms.BooleanField(label=_("Show on the team page"), required=False)

    def __init__(self, *args: Any, instance: TeamMember | None = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("data") and not args:
            initial = {
                "full_name": instance.full_name,
                "email": instance.email,
                "publish_email": instance.publish_email,
                "phone": phone_display(instance.phone),
                "publish_phone": instance.publish_phone,
                "languages": ", ".join(instance.languages),
                "photo_alt": instance.photo_alt,
                "position": instance.position,
                "is_published": instance.is_published,
            }
            initial.update(per_language_initial(instance.roles, "role"))
            kwargs["initial"] = initial
        elif instance is None and "initial" not in kwargs:
            kwargs["initial"] = {"is_published": True, "position": 0}
        super().__init__(*args, **kwargs)
        per_language_fields(self, "role", _("Role"))
        if instance is None or not instance.photo:
            del self.fields["photo_clear"]
        self.order_fields(
            ["full_name", *[f"role_{code}" for code in LANGUAGE_CODES], "languages", "email"]
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "roles": per_language_texts(data, "role"),
            "photo": data.get("photo"),
            "photo_alt": data.get("photo_alt") or "",
            "languages": data.get("languages") or "",
            "email": data.get("email") or "",
            "phone": data.get("phone") or "",
            "publish_email": data.get("publish_email", False),
            "publish_phone": data.get("publish_phone", False),
            "position": data.get("position") or 0,
            "is_published": data.get("is_published", False),
        }


class ContactTopicForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Recipient"),
        queryset=TeamMember.objects.order_by("position", "full_name"),
        help_text=_("Messages on this topic are emailed to this team member."),
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("Offered on the contact form"), required=False)

    def __init__(self, *args: Any, instance: ContactTopic | None = None, **kwargs: Any) -> None:
        if instance is not None and not args and not kwargs.get("data"):
            initial: dict[str, Any] = {
                "recipient": instance.recipient_id,
                "position": instance.position,
                "is_active": instance.is_active,
            }
            initial.update(per_language_initial(instance.names, "name"))
            kwargs["initial"] = initial
        elif instance is None and "initial" not in kwargs:
            kwargs["initial"] = {"is_active": True, "position": 0}
        super().__init__(*args, **kwargs)
        per_language_fields(self, "name", _("Name"))
        self.order_fields([f"name_{code}" for code in LANGUAGE_CODES])

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "names": per_language_texts(data, "name"),
            "recipient": data["recipient"],
            "position": data.get("position") or 0,
            "is_active": data.get("is_active", False),
        }


def _topic_label(topic: ContactTopic) -> str:
    return topic.name


class ContactForm(HoneypotMixin, forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=ContactTopic.objects.none(), empty_label=_("Choose a topic")
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Checked by the service, so the message names the value typed.
    email = forms.CharField(
        label=_("Your email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    # The honeypot `website` (HoneypotMixin) is hidden from people by CSS (network/css/team.css).

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        topic_field.queryset = topics
        # The recipient stays on the server: the choice shows the topic's name only.
        topic_field.label_from_instance = _topic_label  # type: ignore[method-assign,assignment]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "name": data["name"],
            "email": data["email"],
            "message": data["message"],
            "trap": data.get("website") or "",
        }
