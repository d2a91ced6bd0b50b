"""The forms of the intake reviewers' queue: give a report to an organisation, share it
with a reviewer, and (for superusers) name or stop naming an intake reviewer. They check
shape; the services check meaning (who may, whether the report still waits)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.members.models import Organisation


def _grouped(organisations: list[Organisation]) -> list[tuple[Any, Any]]:
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for organisation in organisations:
        by_country[organisation.country.name].append((str(organisation.pk), organisation.name))
    return [("", _("Choose an organisation")), *sorted(by_country.items())]


class AssignForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Give it to the documenters of"), coerce=int, choices=()
    )

    def __init__(
        self, *args: Any, organisations: list[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.choices = _grouped(organisations or [])


class QueueShareForm(forms.Form):
    """The choices are built once per page (the reviewers' names), not once per row."""

    reviewer = forms.TypedChoiceField(label=_("Share it with the reviewer"), coerce=int, choices=())

    def __init__(
        self, *args: Any, reviewers: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["reviewer"]
        field.choices = [("", _("Choose a reviewer")), *(reviewers or [])]


class IntakeReviewerForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    named = forms.BooleanField(required=False, widget=forms.HiddenInput)
