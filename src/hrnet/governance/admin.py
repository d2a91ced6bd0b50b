"""Governance in the admin, for the secretariat only: elections with their constituencies,
candidates (read here; the committee decides on the pages), assemblies with their agenda,
resolutions and voter rolls. Each asks the governance policies; changes are audited.

There is deliberately no admin for ballots, their choices or who voted: nothing here may
put a ballot beside a voter. Counts are read-only; rolls show how many voters they hold
(the election's roll page lists them) and can be frozen here."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.core.audit import log_action
from hrnet.core.forms import per_language_initial, per_language_texts
from hrnet.core.i18n import LANGUAGE_CODES, language_name
from hrnet.core.policies import ModelPolicy, PolicyAdminMixin
from hrnet.governance.models import (
    AgendaItem,
    Assembly,
    Candidate,
    Constituency,
    Election,
    Resolution,
    Roll,
)
from hrnet.governance.policies import (
    assembly_policy,
    candidate_policy,
    election_policy,
    roll_policy,
)
from hrnet.governance.services.roll import roll_freeze
from hrnet.members.policies import is_secretariat

# --- texts per language -------------------------------------------------------------------


def _per_language(prefix: str, label: Any, *, textarea: bool = False) -> dict[str, forms.Field]:
    return {
        f"{prefix}_{code}": forms.CharField(
            label=format_lazy("{} ({})", label, language_name(code)),
            required=False,
            max_length=20000 if textarea else 300,
            widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
            if textarea
            else forms.TextInput(attrs={"class": "vTextField"}),
        )
        for code in LANGUAGE_CODES
    }


def per_language_form(
    model: type[Any], texts: dict[str, tuple[Any, bool]], *, required: str = ""
) -> type[forms.ModelForm]:
    """A ModelForm editing each {language: text} field of `texts` (name: (label,
    textarea)) as one field per language; `required` names the one that needs a text."""

    editable = [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and getattr(field, "concrete", False)
        and not field.auto_created
        and field.name not in texts
    ]

    class Form(forms.ModelForm):
        class Meta:
            fields = editable

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name in texts:
                self.initial.update(per_language_initial(getattr(self.instance, name) or {}, name))

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or {}
            for name in texts:
                values = {k: v for k, v in per_language_texts(cleaned, name).items() if v}
                if name == required and not values:
                    self.add_error(
                        f"{name}_{LANGUAGE_CODES[0]}", _("Write it in at least one language.")
                    )
                setattr(self.instance, name, values)
            return cleaned

    Form.Meta.model = model
    for name, (label, textarea) in texts.items():
        fields = _per_language(name, label, textarea=textarea)
        Form.declared_fields.update(fields)
        Form.base_fields.update(fields)
    return Form


def _language_fields(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in LANGUAGE_CODES]


# --- the secretariat's admin ----------------------------------------------------------------


class SecretariatAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Only the secretariat sees governance here, even what members may read on the pages;
    what it may change on a record is the record's policy's answer."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_secretariat(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_secretariat(request.user) and self.policy.user_has_permission(request.user, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not is_secretariat(request.user):
            return False
        if obj is None:
            return self.policy.user_has_permission(request.user, "change")
        return self.policy.user_has_permission_for_instance(request.user, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # votes and results hang on these records

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        if not is_secretariat(request.user):
            return self.model._default_manager.none()
        return super(PolicyAdminMixin, self).get_queryset(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            actor=request.user,
            action=f"governance.{obj._meta.model_name}.{'change' if change else 'add'}",
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )


class SecretariatInline(admin.TabularInline):
    """Inline rows follow their parent's permission to change."""

    extra = 0
    parent_policy: ModelPolicy

    def _may_change(self, request: HttpRequest, obj: Any) -> bool:
        if not is_secretariat(request.user):
            return False
        if obj is None:
            return self.parent_policy.user_has_permission(request.user, "add")
        return self.parent_policy.user_has_permission_for_instance(request.user, "change", obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_secretariat(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)


def _pretty_json(value: Any) -> Any:
    if not value:
        return "—"
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2))


# --- elections ----------------------------------------------------------------------------


class ConstituencyInline(SecretariatInline):
    model = Constituency
    parent_policy = election_policy
    form = per_language_form(Constituency, {"names": (_("Name"), False)}, required="names")
    fields = (*_language_fields("names"), "seats", "subregion", "community_led_only", "position")


ElectionForm = per_language_form(
    Election,
    {"titles": (_("Title"), False), "descriptions": (_("Description"), True)},
    required="titles",
)


@admin.register(Election)
class ElectionAdmin(SecretariatAdmin):
    policy = election_policy
    form = ElectionForm
    inlines = (ConstituencyInline,)
    list_display = ("__str__", "status_label", "opens_at", "closes_at", "published_at")
    search_fields = ("titles",)
    date_hierarchy = "opens_at"
    filter_horizontal = ("committee",)
    readonly_fields = ("status_label", "result_count", "confirmed_by", "published_at")
    fieldsets = (
        (None, {"fields": (*_language_fields("titles", "descriptions"), "roll", "status_label")}),
        (
            _("Dates"),
            {
                "fields": (
                    "announced_at",
                    "nominations_open_at",
                    "nominations_close_at",
                    "opens_at",
                    "closes_at",
                )
            },
        ),
        (_("Rules"), {"fields": ("quorum_percent", "tie_break", "committee")}),
        (_("Result"), {"fields": ("result_count", "confirmed_by", "published_at")}),
    )

    @admin.display(description=_("status"))
    def status_label(self, obj: Election) -> str:
        return obj.get_status_display() if obj.pk else "—"

    @admin.display(description=_("count frozen by the first confirmation"))
    def result_count(self, obj: Election) -> Any:
        return _pretty_json(obj.result)

    @admin.display(description=_("confirmed by"))
    def confirmed_by(self, obj: Election) -> Any:
        confirmations = obj.confirmations.select_related("user").order_by("confirmed_at")
        if not obj.pk or not confirmations:
            return "—"
        return format_html_join(
            ", ",
            "{} ({})",
            (
                (c.user.full_name or c.user.email, timezone.localtime(c.confirmed_at).date())
                for c in confirmations
            ),
        )


CandidateForm = per_language_form(Candidate, {"statements": (_("Statement"), True)})


@admin.register(Candidate)
class CandidateAdmin(SecretariatAdmin):
    """Read here; candidates are nominated, accepted and withdrawn on the pages."""

    policy = candidate_policy
    form = CandidateForm
    list_display = ("__str__", "election", "constituency", "nominated_by", "status")
    list_filter = ("status",)
    list_select_related = ("person", "election", "constituency", "nominated_by")
    search_fields = ("person__full_name",)
    fields = (
        "election",
        "constituency",
        "person",
        "nominated_by",
        *_language_fields("statements"),
        "photo",
        "status",
        "decision_note",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- assemblies ---------------------------------------------------------------------------


class AgendaItemInline(SecretariatInline):
    model = AgendaItem
    parent_policy = assembly_policy
    form = per_language_form(
        AgendaItem,
        {"titles": (_("Title"), False), "descriptions": (_("Description"), True)},
        required="titles",
    )
    fields = ("position", *_language_fields("titles", "descriptions"), "documents")
    autocomplete_fields = ("documents",)


AssemblyForm = per_language_form(
    Assembly,
    {
        "titles": (_("Title"), False),
        "descriptions": (_("Description"), True),
        "minutes": (pgettext_lazy("assembly", "Minutes"), True),
    },
    required="titles",
)


@admin.register(Assembly)
class AssemblyAdmin(SecretariatAdmin):
    policy = assembly_policy
    form = AssemblyForm
    inlines = (AgendaItemInline,)
    list_display = ("__str__", "date", "event", "published_at")
    search_fields = ("titles",)
    date_hierarchy = "date"
    autocomplete_fields = ("minutes_document",)
    readonly_fields = ("published_at",)
    fields = (
        *_language_fields("titles", "descriptions"),
        "date",
        "event",
        "roll",
        *_language_fields("minutes"),
        "minutes_document",
        "published_at",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False  # its results are published: the record stays as voted
        return super().has_change_permission(request, obj)


ResolutionForm = per_language_form(
    Resolution, {"titles": (_("Title"), False), "texts": (_("Text"), True)}, required="titles"
)


@admin.register(Resolution)
class ResolutionAdmin(SecretariatAdmin):
    policy = assembly_policy
    form = ResolutionForm
    list_display = ("__str__", "assembly", "majority", "opens_at", "closes_at")
    list_select_related = ("assembly",)
    search_fields = ("titles",)
    readonly_fields = ("result_count",)
    fields = (
        "assembly",
        "agenda_item",
        *_language_fields("titles", "texts"),
        "majority",
        "quorum_percent",
        "opens_at",
        "closes_at",
        "adopts_minutes_of",
        "result_count",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # from the assembly's page, where it is checked

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return super().has_change_permission(request, obj)
        # What members vote on never changes once voting opens.
        return (
            is_secretariat(request.user)
            and obj.assembly.published_at is None
            and timezone.now() < obj.opens_at
        )

    @admin.display(description=_("published count"))
    def result_count(self, obj: Resolution) -> Any:
        return _pretty_json(obj.result)


# --- rolls --------------------------------------------------------------------------------


@admin.register(Roll)
class RollAdmin(SecretariatAdmin):
    policy = roll_policy
    list_display = ("__str__", "used_by", "frozen_at", "voters_count")
    readonly_fields = ("frozen_at", "voters_count", "used_by")
    fields = ("voters", "cutoff", "frozen_at", "voters_count", "used_by")
    actions = ("freeze",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("election", "assembly")
            .annotate(entries_count=Count("entries"))
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.frozen_at is not None:
            return False  # a frozen roll never changes
        return super().has_change_permission(request, obj)

    @admin.display(description=_("voters"))
    def voters_count(self, obj: Roll) -> Any:
        if obj.frozen_at is None:
            return _("not frozen yet")
        return getattr(obj, "entries_count", None) or obj.entries.count()

    @admin.display(description=_("used by"))
    def used_by(self, obj: Roll) -> str:
        for name in ("election", "assembly"):
            try:
                return str(getattr(obj, name))
            except (Election.DoesNotExist, Assembly.DoesNotExist):
                continue
        return "—"

    @admin.action(description=_("Freeze the chosen voter rolls from the register now"))
    def freeze(self, request: HttpRequest, queryset: QuerySet) -> None:
        for roll in queryset:
            try:
                count = roll_freeze(actor=request.user, roll=roll, request=request)  # type: ignore[arg-type]
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{roll}: {' '.join(getattr(error, 'messages', []))}")
            else:
                messages.success(
                    request,
                    _("%(roll)s: frozen with %(count)s voters.") % {"roll": roll, "count": count},
                )
