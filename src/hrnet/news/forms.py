"""Forms of news: the listing's filters, the article editor, scheduling and the digest
setting. They check shape; the services check meaning."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import language_name
from hrnet.core.models import IssueArea
from hrnet.geo.models import Country
from hrnet.news.models import Article
from hrnet.news.selectors.articles import ArticleFilters


class ArticleFilterForm(forms.Form):
    """GET filters; a value that does not fit is reported and ignored, never a 500."""

    issue_area = forms.ChoiceField(label=_("Issue area"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, show_state: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("country"):  # ?country=md works as well as ?country=MD
            data = cast(QueryDict, self.data).copy()
            data["country"] = str(data["country"]).upper()
            self.data = data
        anything: list[tuple[str, Any]] = [("", _("All"))]
        by_subregion: dict[str, list[tuple[str, str]]] = {}
        for country in Country.objects.select_related("subregion"):
            by_subregion.setdefault(country.subregion.name, []).append((country.iso2, country.name))
        choices: dict[str, list[tuple[str, Any]]] = {
            "issue_area": anything + [(a.code, a.name) for a in IssueArea.objects.all()],
            "country": anything + list(by_subregion.items()),
            "language": [("", _("Yours where translated"))]
            + [(code, language_name(code)) for code, _name in settings.LANGUAGES],
            "kind": anything + list(Article.Kind.choices),
            "state": anything + list(Article.State.choices),
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices
        if not show_state:
            del self.fields["state"]

    def filters(self, *, prefer_language: str = "") -> ArticleFilters:
        """The valid filters (call after is_valid(); invalid ones count as not set)."""
        data = getattr(self, "cleaned_data", {})
        return ArticleFilters(
            issue_area=data.get("issue_area") or "",
            country=data.get("country") or "",
            language=data.get("language") or "",
            kind=data.get("kind") or "",
            state=data.get("state") or "",
            prefer_language=prefer_language,
        )


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Article.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)
    lead = forms.CharField(
        label=_("Lead"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in the listing, the feeds and the digest."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown or simple HTML: paragraphs, headings, lists, links, tables. Scripts, "
            "styles and images are removed."
        ),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 3 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Image description (alternative text)"),
        required=False,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    image_credit = forms.CharField(
        label=_("Photo credit"),
        required=False,
        max_length=200,
        help_text=_("For example © Olivier Papegnies"),
    )
    issue_areas = forms.ModelMultipleChoiceField(
        label=_("Issue areas"),
        required=False,
        queryset=IssueArea.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "news-choices"}),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        required=False,
        queryset=Country.objects.select_related("subregion"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "news-choices"}),
        help_text=_("Leave empty for news about the whole region."),
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        if article is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": article.kind,
                "language": article.language,
                "title": article.title,
                "lead": article.lead,
                "body": article.body,
                "image": article.image or None,
                "image_alt": article.image_alt,
                "image_credit": article.image_credit,
                "issue_areas": list(article.issue_areas.all()),
                "countries": list(article.countries.all()),
            }
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        image = data.pop("image")
        # ClearableFileInput gives False when "clear" is ticked, the stored file when untouched.
        data["image_clear"] = image is False
        data["image"] = image if image and hasattr(image, "content_type") else None
        return data


class ScheduleForm(forms.Form):
    published_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone (%(zone)s)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["published_at"]
        field.help_text = str(field.help_text) % {"zone": timezone.get_current_timezone_name()}

    def clean_published_at(self) -> Any:
        value = self.cleaned_data["published_at"]
        if value <= timezone.now():
            raise forms.ValidationError(
                _("Choose a time in the future, or publish the article now.")
            )
        return value


class DigestSettingsForm(forms.Form):
    subscribed = forms.BooleanField(
        label=_("Send me the weekly digest of news and resources by email"),
        required=False,
    )
