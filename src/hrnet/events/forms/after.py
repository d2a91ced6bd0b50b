"""Forms of the pages after an event: check-in search, attendance import, the feedback
survey, looking up a certificate, the reports' date range."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized
from hrnet.events.models import Event, Feedback, Session

MAX_IMPORT_MB = 5
SCALE = [(str(value), label) for value, label in Feedback.SCALE]


def session_label(session: Session) -> str:
    """The session's title, else its start in the viewer's time zone."""
    start = formats.date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")
    title = localized(session.titles)
    return f"{start} · {title}" if title else start


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return session_label(obj)


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False, max_length=200, strip=True)


class AttendanceImportForm(forms.Form):
    session = SessionChoiceField(label=_("Session"), queryset=Session.objects.none())
    file = forms.FileField(
        label=_("Participant list (CSV)"),
        help_text=_(
            "The participants report exported from Zoom or Microsoft Teams, or any CSV "
            "with an “email” column."
        ),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = event.sessions.all()
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = sessions
        if len(sessions) == 1:
            field.initial = sessions[0].pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_IMPORT_MB}
            )
        return upload


class AttendanceConfirmForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall, how was the event? (1 poor, 5 excellent)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it for your work? (1 not at all, 5 very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What should we change? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The organisers see your comment without your name."),
    )


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed at the bottom of the certificate."),
    )


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("Events from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the range must not be before its start."))
        return data
