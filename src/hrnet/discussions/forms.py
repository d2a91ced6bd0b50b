"""The shape of what people write in the discussions: a new thread, a reply, an edit, a
flag. Their meaning (length, files, who may) is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrnet.core.forms import MultipleFileField
from hrnet.core.i18n import language_name
from hrnet.core.uploads import ACCEPT, IMAGE_KINDS
from hrnet.discussions.models import Flag
from hrnet.discussions.services.posting import MAX_BODY, MAX_FILE_MB, MAX_FILES, MAX_TITLE

MARKDOWN_HELP = _(
    "Markdown: **bold**, _italic_, > quote, [link](https://…); @name mentions a member"
)
FILE_ACCEPT = ",".join([ACCEPT, *(f".{kind.extension}" for kind in IMAGE_KINDS), ".jpeg"])


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each in its own name, as a writer looks for it."""
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES]


def _body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write something before you post.")},
    )


def _files_help() -> str:
    return gettext(
        "Up to %(count)s files of up to %(size)s MB each: PDF, DOCX, XLSX, PPTX, JPEG or "
        "PNG. Photos lose their location and other hidden data."
    ) % {"count": MAX_FILES, "size": MAX_FILE_MB}


def _files_field() -> MultipleFileField:
    # The help text names numbers, so it is set per form, in the reader's language.
    return MultipleFileField(label=_("Attachments"), required=False, accept=FILE_ACCEPT)


class ReplyForm(forms.Form):
    body = _body_field()
    language = forms.ChoiceField(
        label=_("Language of your text"), choices=language_choices, required=False
    )
    attachments = _files_field()
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["id"] = "reply-body"
        self.fields["attachments"].help_text = _files_help()


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        min_length=5,
        help_text=_("A short question or topic, so others find it in the list and the search."),
        error_messages={
            "required": _("Give the thread a title of at least 5 characters."),
            "min_length": _("Give the thread a title of at least 5 characters."),
        },
    )
    body = _body_field()
    language = forms.ChoiceField(
        label=_("Language of your text"), choices=language_choices, required=False
    )
    attachments = _files_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _files_help()


class PostEditForm(forms.Form):
    """An edit of a post's text; the opening post's edit carries the thread's title."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        min_length=5,
        error_messages={
            "required": _("Give the thread a title of at least 5 characters."),
            "min_length": _("Give the thread a title of at least 5 characters."),
        },
    )
    body = _body_field()

    def __init__(self, *args: Any, with_title: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=[("", _("Choose a reason")), *Flag.Reason.choices],
        error_messages={"required": _("Choose why this post should be looked at.")},
    )
    note = forms.CharField(
        label=_("Note for the secretariat"),
        required=False,
        max_length=2000,
        help_text=_("Needed when you choose “Something else”. The author does not see it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TranslateForm(forms.Form):
    language = forms.ChoiceField(choices=language_choices)
