"""Forms of segments (the directory's filters plus the register's, and a name) and of
mailings (subject and message per language). They check shape; services check meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import per_language_fields, per_language_texts
from hrnet.core.i18n import language_name, localized
from hrnet.mailings.models import Category, Segment
from hrnet.mailings.selectors import ANY, CURRENT, SegmentFilters, recent_events
from hrnet.members.forms.directory import DirectoryFilterForm
from hrnet.members.models import Membership

# Languages people in the region list on their profiles.
SPOKEN = (
    "en", "ru", "uk", "be", "ro", "ka", "hy", "az", "kk", "ky", "uz", "tg", "tk",
    "et", "lv", "lt", "pl", "cs", "sk", "hu", "bg", "sr", "hr", "bs", "sq", "mk", "sl",
)  # fmt: skip


def _language_label(code: str) -> str:
    try:
        return str(translation.get_language_info(code)["name_translated"]).capitalize()
    except KeyError:
        return code


class SegmentForm(DirectoryFilterForm):
    """A segment's name and filters; the directory's filters keep their labels."""

    name = forms.CharField(label=_("Name of the segment"), max_length=200, required=False)
    membership_status = forms.ChoiceField(label=_("Membership status"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    event = forms.ChoiceField(label=_("Attended"), required=False)
    open_assistance = forms.BooleanField(
        label=_("Has a technical-assistance request in progress"), required=False
    )

    field_order = (
        "name",
        "subregion",
        "country",
        "type",
        "issue_area",
        "membership_status",
        "language",
        "event",
        "community_led",
        "open_assistance",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"], self.fields["per_page"]
        cast(forms.ChoiceField, self.fields["membership_status"]).choices = [
            (CURRENT, _("Current members (active or in grace period)")),
            (ANY, _("Any status")),
            *Membership.Status.choices,
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", _("Any language")),
            *sorted(((c, _language_label(c)) for c in SPOKEN), key=lambda item: item[1]),
        ]
        events = [
            (str(e.pk), f"{localized(e.titles)} ({e.starts_at:%Y-%m-%d})") for e in recent_events()
        ]
        cast(forms.ChoiceField, self.fields["event"]).choices = [
            ("", _("No condition")),
            (ANY, _("Any event")),
            *events,
        ]
        self.order_fields(self.field_order)

    def segment_filters(self) -> SegmentFilters:
        data = getattr(self, "cleaned_data", {})
        return SegmentFilters.from_dict(
            {
                **{k: v for k, v in self.filters().__dict__.items() if k != "q"},
                "membership_status": data.get("membership_status") or CURRENT,
                "language": data.get("language") or "",
                "event": data.get("event") or "",
                "open_assistance": bool(data.get("open_assistance")),
            }
        )

    @staticmethod
    def initial_from(segment: Segment) -> dict[str, Any]:
        return {"name": segment.name, **SegmentFilters.from_dict(segment.filters).as_dict()}


class MailingForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.none())
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Category.choices,
        help_text=_("People unsubscribe per category."),
    )

    def __init__(self, *args: Any, segments: QuerySet[Segment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["segment"]).queryset = segments
        per_language_fields(self, "subject", _("Subject"), max_length=200)
        per_language_fields(self, "body", _("Message (Markdown)"), textarea=True, rows=10)

    def subjects(self) -> dict[str, str]:
        return per_language_texts(self.cleaned_data, "subject")

    def bodies(self) -> dict[str, str]:
        return per_language_texts(self.cleaned_data, "body")

    def language_fields(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (code, language_name(code), self[f"subject_{code}"], self[f"body_{code}"])
            for code, _name in settings.LANGUAGES
        ]


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("Send at a time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "later" and not data.get("send_at"):
            self.add_error("send_at", _("Choose when to send it."))
        return data
