"""Who may see and change funding records, need estimates and exchange rates: they are
public evidence, read by everyone (pages, API, CSV export); only the secretariat adds,
changes, deletes and imports them."""

from __future__ import annotations

from hrnet.core.policies import PublicReadPolicy
from hrnet.evidence.models import ExchangeRate, FundingRecord, NeedEstimate


class FundingRecordPolicy(PublicReadPolicy):
    model = FundingRecord


class NeedEstimatePolicy(PublicReadPolicy):
    model = NeedEstimate


class ExchangeRatePolicy(PublicReadPolicy):
    model = ExchangeRate


funding_record_policy = FundingRecordPolicy()
need_estimate_policy = NeedEstimatePolicy()
exchange_rate_policy = ExchangeRatePolicy()
