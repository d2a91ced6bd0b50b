from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrnet.core.admin import AuditedAdmin
from hrnet.evidence.models import DataValue, Indicator
from hrnet.evidence.policies import data_value_policy, indicator_policy


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    policy = indicator_policy
    list_display = ("code", "__str__", "kind", "unit", "low_below", "high_above", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("code", "names")


@admin.register(DataValue)
class DataValueAdmin(AuditedAdmin):
    policy = data_value_policy
    list_display = ("indicator", "country", "period", "disaggregation_key", "source", "value")
    list_filter = ("indicator", "source")

    # Values change through imports (services.data_values_write), which keep the history.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
