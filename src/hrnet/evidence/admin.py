"""Admin of the evidence catalogue and its configuration (the secretariat's). Values,
funding and forms are entered through the evidence pages and imports, which keep history
and audit; here they are read-only or absent."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrnet.core.admin import AuditedAdmin
from hrnet.evidence.models import (
    Category,
    CategorySet,
    DataValue,
    Dhis2Mapping,
    Indicator,
    ReportingForm,
    ReportingFormField,
)
from hrnet.evidence.policies import (
    category_policy,
    category_set_policy,
    data_value_policy,
    dhis2_mapping_policy,
    indicator_policy,
    reporting_form_policy,
)


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    policy = indicator_policy
    list_display = (
        "code",
        "__str__",
        "kind",
        "unit",
        "aggregation",
        "low_below",
        "high_above",
        "target",
        "is_public",
    )
    list_filter = ("kind", "aggregation", "is_public")
    search_fields = ("code", "names")


@admin.register(DataValue)
class DataValueAdmin(AuditedAdmin):
    policy = data_value_policy
    list_display = (
        "indicator",
        "country",
        "site",
        "period",
        "disaggregation_key",
        "source",
        "value",
    )
    list_filter = ("indicator", "source", "period_kind")
    raw_id_fields = ("site",)

    # Values change through imports and forms (services.values.data_values_write), which keep
    # the history.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    policy = category_policy
    list_display = ("code", "__str__")
    search_fields = ("code", "names")


@admin.register(CategorySet)
class CategorySetAdmin(AuditedAdmin):
    policy = category_set_policy
    list_display = ("code", "__str__")
    filter_horizontal = ("categories",)


@admin.register(Dhis2Mapping)
class Dhis2MappingAdmin(AuditedAdmin):
    policy = dhis2_mapping_policy
    list_display = ("kind", "dhis2_id", "indicator", "disaggregation", "country", "site")
    list_filter = ("kind",)
    search_fields = ("dhis2_id",)
    raw_id_fields = ("site",)


class ReportingFormFieldInline(admin.TabularInline):
    model = ReportingFormField
    extra = 0


@admin.register(ReportingForm)
class ReportingFormAdmin(AuditedAdmin):
    policy = reporting_form_policy
    list_display = ("code", "__str__", "source", "deadline_days", "first_period", "is_active")
    inlines = (ReportingFormFieldInline,)
