"""Forms of the network's pages: a new page, and the draft of one language. They check
shape only; the services decide meaning (a taken address, an empty title on publishing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrnet.core.models import IssueArea
from hrnet.network.services.pages import TITLE_MAX_LENGTH


class PageCreateForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("The last part of the page's address, e.g. “about” for /en/pages/about/."),
    )
    menu_position = forms.IntegerField(
        label=_("Position in the menu"), min_value=0, max_value=32767, initial=0
    )
    in_menu = forms.BooleanField(label=_("Show in the menu"), required=False, initial=True)
    issue_area = forms.ModelChoiceField(
        label=_("Issue area"),
        queryset=IssueArea.objects.all(),
        required=False,
        help_text=_("The page then lists the issue area's news, resources, events and campaigns."),
    )


class PageDraftForm(forms.Form):
    # Not required here: a draft may be saved without a title; publishing refuses it.
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown under the title and in lists."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: **bold**, *italic*, ## headings, - lists, [links](https://…). "
            "Scripts and styles are removed when the page is shown."
        ),
    )
