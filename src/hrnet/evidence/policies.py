"""Who may see and change indicators and their values. Views, the API and the admin ask
these. Public indicators and their values are for everyone; the others for network
members and the secretariat. Only the secretariat changes anything.

A site's own values (site x month) are its organisation's and the secretariat's: anyone
else sees them only through the dashboards, which suppress small numbers
(`HRNET_SUPPRESSION_THRESHOLD`) and never through this policy.

A computed indicator (numerator / denominator x factor) gives either input back to whoever
reads the other, so it is hidden wherever one of its inputs is: an indicator computed from
one that is not public is not public either, and a value computed here from a small count
summed from sites is the secretariat's like that count (`suppressed_values`).

Funding records, need estimates and exchange rates are public evidence, read by everyone
(pages, API, CSV export); only the secretariat adds, changes, deletes and imports them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from hrnet.core.policies import PublicReadPolicy, SecretariatOnlyPolicy
from hrnet.core.types import Actor
from hrnet.evidence.models import (
    AGGREGATED_SOURCE,
    COMPUTED_SOURCE,
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
# How deep computed indicators built on computed ones are followed back to their inputs:
# as deep as they are computed (`services.values.MAX_DEPTH`).
INPUT_DEPTH = 5
# How deep a computed value is followed back to small counts. Each level nests a subquery
# and SQLite's parser stops at about five; a deeper chain is hidden, unchecked.
VALUE_DEPTH = 3


def _inputs_of(indicators: QuerySet[Indicator]) -> Q:
    """Indicators with a numerator or a denominator among `indicators`."""
    return Q(
        Exists(indicators.filter(Q(pk=OuterRef("numerator_id")) | Q(pk=OuterRef("denominator_id"))))
    )


def not_public_indicators() -> QuerySet[Indicator]:
    """The indicators that are not public, and those computed from one of them however
    deep (one query however deep, each level a subquery of the one below)."""
    hidden = Indicator.objects.filter(is_public=False)
    for _level in range(INPUT_DEPTH):
        hidden = Indicator.objects.filter(Q(is_public=False) | _inputs_of(hidden))
    return hidden


def is_public_with_inputs(indicator: Indicator, depth: int = INPUT_DEPTH) -> bool:
    """Whether `indicator` is public and so is everything it is computed from."""
    if not indicator.is_public:
        return False
    if depth == 0:
        return True
    return all(
        is_public_with_inputs(found, depth - 1)
        for found in (indicator.numerator, indicator.denominator)
        if found is not None
    )


class IndicatorPolicy(PublicReadPolicy):
    model = Indicator

    def user_has_permission_for_instance(
        self, user: Actor | None, action: str, instance: Any
    ) -> bool:
        if action in READ_ACTIONS:
            if is_network_member(user) or super().user_has_permission(
                user or AnonymousUser(), "change"
            ):
                return True
            # Asked only of the public: it reads the inputs of a computed indicator.
            if not is_public_with_inputs(instance):
                return False
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
        return indicators.filter(is_public=True).exclude(_inputs_of(not_public_indicators()))


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
            suppressed_values()
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


def _same_place(**place: Any) -> dict[str, Any]:
    """Lookups of the country-level values of the place and period of the outer value."""
    return {
        "country_id": OuterRef("country_id"),
        "site__isnull": True,
        "period": OuterRef("period"),
        "disaggregation_key": OuterRef("disaggregation_key"),
        **place,
    }


def _hidden_inputs(depth: int) -> QuerySet[DataValue]:
    """The inputs of the outer computed value (its numerator's and denominator's values of
    the same place) that hide it: a small count summed from sites that the computation
    used, i.e. with no reported value beside it (a reported one is preferred, as
    `services.values` does); or a computed input hidden in turn (past `depth`, any
    computed input)."""
    reported = DataValue.objects.filter(**_same_place(indicator_id=OuterRef("indicator_id")))
    hidden = small_derived_counts() & ~Q(Exists(reported.exclude(source=AGGREGATED_SOURCE)))
    if depth > 1:
        hidden |= Q(source=COMPUTED_SOURCE) & Q(Exists(_hidden_inputs(depth - 1)))
    else:
        hidden |= Q(source=COMPUTED_SOURCE)
    return DataValue.objects.filter(
        Q(indicator_id=OuterRef("indicator__numerator_id"))
        | Q(indicator_id=OuterRef("indicator__denominator_id")),
        **_same_place(),
    ).filter(hidden)


def computed_from_small_counts() -> Q:
    """Country values computed here from a count `small_derived_counts` hides: with the
    other input (a public size estimate) anyone could multiply the count back."""
    return Q(site__isnull=True, source=COMPUTED_SOURCE) & Q(Exists(_hidden_inputs(VALUE_DEPTH)))


def suppressed_values() -> Q:
    """The country values only the secretariat sees: small counts summed from sites and
    what is computed from them."""
    return small_derived_counts() | computed_from_small_counts()


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
