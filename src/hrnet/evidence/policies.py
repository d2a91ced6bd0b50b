"""Who may see and change indicators and their values. Views, the API and the admin ask
these. Public indicators and their values are for everyone; the others for network
members and the secretariat. Only the secretariat changes anything.

A site's own values (site x month) are its organisation's and the secretariat's: anyone
else sees them only through the dashboards, which suppress small numbers
(`HRNET_SUPPRESSION_THRESHOLD`) and never through this policy.

Funding records, need estimates and exchange rates are public evidence, read by everyone
(pages, API, CSV export); only the secretariat adds, changes, deletes and imports them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from hrnet.core.policies import PublicReadPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.evidence.models import (
    AGGREGATED_SOURCE,
    Category,
    CategorySet,
    DataValue,
    DataValueHistory,
    Dhis2Mapping,
    ExchangeRate,
    FundingRecord,
    Indicator,
    NeedEstimate,
    ReportingForm,
)
from hrnet.members.policies import is_network_member, is_secretariat
from hrnet.outreach.policies import site_policy

READ_ACTIONS = frozenset({"list", "view"})


class IndicatorPolicy(PublicReadPolicy):
    model = Indicator

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        if action in READ_ACTIONS and not instance.is_public:
            return is_network_member(user) or super().user_has_permission(
                user or AnonymousUser(), "change"
            )
        return self.user_has_permission(user or AnonymousUser(), action)

    def instances_user_has_permission_for(self, user: Actor | None, action: str) -> QuerySet:
        indicators = Indicator.objects.all()
        if action not in READ_ACTIONS:
            return (
                indicators
                if self.user_has_permission(user or AnonymousUser(), action)
                else indicators.none()
            )
        if is_network_member(user) or self.user_has_permission(user or AnonymousUser(), "change"):
            return indicators
        return indicators.filter(is_public=True)


class DataValuePolicy(PublicReadPolicy):
    """A value is visible to whoever may see its indicator."""

    model = DataValue

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        if action in READ_ACTIONS:
            if instance.site_id and not site_policy.user_has_permission_for_instance(
                user, "view", instance.site
            ):
                return False
            return indicator_policy.user_has_permission_for_instance(
                user, action, instance.indicator
            )
        return self.user_has_permission(user or AnonymousUser(), action)

    def instances_user_has_permission_for(self, user: Actor | None, action: str) -> QuerySet:
        values = DataValue.objects.all()
        if action not in READ_ACTIONS:
            return (
                values
                if self.user_has_permission(user or AnonymousUser(), action)
                else values.none()
            )
        visible = indicator_policy.instances_user_has_permission_for(user, action)
        values = values.filter(indicator__in=visible)
        if is_secretariat(user):
            return values
        own_sites = site_policy.instances_user_has_permission_for(user, "view")
        return values.filter(Q(site__isnull=True) | Q(site__in=own_sites)).exclude(
            small_derived_counts()
        )


def small_derived_counts() -> Q:
    """Country values summed here from sites that count fewer people than the suppression
    threshold: they could single out the clients of one small site, so only the
    secretariat sees them. (Values reported by a source are published figures.)"""
    return Q(
        site__isnull=True,
        source=AGGREGATED_SOURCE,
        indicator__unit="people",
        value__lt=settings.HRNET_SUPPRESSION_THRESHOLD,
    )


def visible_site_ids(user: Actor | None) -> set[int]:
    """The sites whose values `user` sees unsuppressed."""
    return set(
        site_policy.instances_user_has_permission_for(user, "view").values_list("pk", flat=True)
    )


class DataValueHistoryPolicy(PublicReadPolicy):
    """The history names who entered what: the secretariat's only."""

    model = DataValueHistory
    read_actions = frozenset()


indicator_policy = IndicatorPolicy()
data_value_policy = DataValuePolicy()
data_value_history_policy = DataValueHistoryPolicy()


class CategoryPolicy(PublicReadPolicy):
    """Disaggregation categories and sets: reference data anyone reads."""

    model = Category


class CategorySetPolicy(PublicReadPolicy):
    model = CategorySet


class Dhis2MappingPolicy(SecretariatOnlyPolicy):
    model = Dhis2Mapping


class ReportingFormPolicy(SecretariatOnlyPolicy):
    """Defining forms is the secretariat's; filling them is the sites' (`services.reporting`)."""

    model = ReportingForm


category_policy = CategoryPolicy()
category_set_policy = CategorySetPolicy()
dhis2_mapping_policy = Dhis2MappingPolicy()
reporting_form_policy = ReportingFormPolicy()


class FundingRecordPolicy(PublicReadPolicy):
    model = FundingRecord


class NeedEstimatePolicy(PublicReadPolicy):
    model = NeedEstimate


class ExchangeRatePolicy(PublicReadPolicy):
    model = ExchangeRate


funding_record_policy = FundingRecordPolicy()
need_estimate_policy = NeedEstimatePolicy()
exchange_rate_policy = ExchangeRatePolicy()
