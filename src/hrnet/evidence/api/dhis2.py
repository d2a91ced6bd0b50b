"""/api/v1/dhis2/dataValueSets in DHIS2's own JSON shape: read the values the caller may
see; the secretariat posts a (small) data value set, imported at once, all or nothing,
answered with a DHIS2-like import summary."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.evidence.dhis2 import (
    STRATEGIES,
    MappingIndex,
    dhis2_export,
    id_schemes,
    org_unit_resolve,
    period_from_dhis2,
)
from hrnet.evidence.imports.dhis2 import Dhis2Importer
from hrnet.evidence.policies import data_value_policy

router = Router(tags=["dhis2"])
MAX_POSTED_VALUES = 10_000


class DataValueSetQuery(Schema):
    dataElement: list[str] = Field(  # DHIS2's parameter names
        default_factory=list, description="Data element ids or indicator codes (repeatable)."
    )
    period: list[str] = Field(
        default_factory=list, description="DHIS2 periods: 2019, 2019Q1, 201901 (repeatable)."
    )
    orgUnit: list[str] = Field(
        default_factory=list,
        description="Org units by mapped UID or code, ISO code or site-<id> (repeatable).",
    )
    children: bool = Field(False, description="Include the sites of a country org unit.")
    dataSet: list[str] = Field(default_factory=list, description="Data set ids (repeatable).")
    startDate: date | None = None
    endDate: date | None = None
    lastUpdated: datetime | None = Field(None, description="Values changed since then.")
    idScheme: str = ""
    orgUnitIdScheme: str = ""
    dataElementIdScheme: str = ""
    categoryOptionComboIdScheme: str = ""


class ErrorOut(Schema):
    detail: str


@router.get(
    "/dataValueSets",
    response={200: dict[str, Any], 400: ErrorOut},
    auth=OPTIONAL_AUTH,
    operation_id="hrnet_evidence_api_dhis2_data_value_sets",
)
def data_value_sets(request: HttpRequest, query: Query[DataValueSetQuery]) -> Status:
    """{"dataValues": [...]} of the reported values the caller may see; identifiers through
    the DHIS2 mappings, our codes where there is none."""
    periods = []
    try:
        schemes = id_schemes(
            id_scheme=query.idScheme,
            org_unit=query.orgUnitIdScheme,
            data_element=query.dataElementIdScheme,
            combo=query.categoryOptionComboIdScheme,
        )
        for text in query.period:
            periods.append(period_from_dhis2(text)[0])
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    mappings = MappingIndex(schemes)
    org_units = []
    for text in query.orgUnit:
        org_unit = org_unit_resolve(text, mappings=mappings, children=query.children)
        if org_unit is None:
            return Status(400, {"detail": _("Unknown organisation unit “%(id)s”.") % {"id": text}})
        org_units.append(org_unit)
    document = dhis2_export(
        user=request.user,
        indicators=_indicator_codes(query.dataElement, mappings),
        org_units=org_units,
        data_sets=query.dataSet,
        periods=periods,
        start=query.startDate,
        end=query.endDate,
        last_updated=(
            timezone.make_aware(query.lastUpdated, UTC)
            if query.lastUpdated and timezone.is_naive(query.lastUpdated)
            else query.lastUpdated
        ),
        schemes=schemes,
    )
    return Status(200, document)


def _indicator_codes(elements: list[str], mappings: MappingIndex) -> list[str]:
    """Indicator codes of data elements given by mapped id or by our code."""
    if not elements:
        return []
    codes = []
    for element in elements:
        mapping = mappings.find("data_element", element)
        codes.append(mapping.indicator.code if mapping and mapping.indicator else element)
    return codes


@router.post(
    "/dataValueSets",
    response={200: dict[str, Any], 403: ErrorOut, 409: dict[str, Any]},
    operation_id="hrnet_evidence_api_dhis2_data_value_sets_post",
)
def data_value_sets_post(request: HttpRequest) -> Status:
    """Import a dataValueSets JSON body at once; every conflict is reported and nothing is
    written unless there is none. The source is `?source=` (default "DHIS2")."""
    if not data_value_policy.user_has_permission(request.user, "change"):
        return Status(403, {"detail": _("Only the secretariat imports values.")})
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        payload = None
    values = payload.get("dataValues") if isinstance(payload, dict) else None
    if isinstance(values, list) and len(values) > MAX_POSTED_VALUES:
        return Status(
            409,
            _summary(
                conflicts=[
                    {
                        "object": "dataValues",
                        "value": _(
                            "At most %(count)s data values at once; upload larger sets as a file."
                        )
                        % {"count": MAX_POSTED_VALUES},
                    }
                ],
                ignored=len(values),
            ),
        )
    params = request.GET
    try:
        schemes = id_schemes(
            id_scheme=params.get("idScheme", ""),
            org_unit=params.get("orgUnitIdScheme", ""),
            data_element=params.get("dataElementIdScheme", ""),
            combo=params.get("categoryOptionComboIdScheme", ""),
        )
    except ValueError as exc:
        return Status(409, _summary(conflicts=[{"object": "idScheme", "value": str(exc)}]))
    strategy = params.get("importStrategy", STRATEGIES[0]).upper()
    if strategy not in STRATEGIES:
        return Status(
            409,
            _summary(
                conflicts=[
                    {
                        "object": strategy,
                        "value": _("Write one of: %(kinds)s.") % {"kinds": ", ".join(STRATEGIES)},
                    }
                ]
            ),
        )
    importer = Dhis2Importer(
        actor=request.user,
        source=params.get("source", ""),
        dry_run=params.get("dryRun", "").lower() == "true",
        strategy=strategy,
        schemes=schemes,
    )
    report = importer.run(payload if isinstance(payload, dict) else request.body)
    conflicts = [
        {
            "object": error.value or error.column or "dataValueSet",
            "value": (
                _("Data value %(line)s, %(key)s: %(reason)s")
                % {"line": error.line, "key": error.column, "reason": error.message}
                if error.line
                else error.message
            ),
        }
        for error in report.errors
    ]
    if conflicts:
        return Status(409, _summary(conflicts=conflicts, ignored=report.rows))
    counts = importer.counts
    summary = _summary(
        imported=counts.imported,
        updated=counts.updated,
        ignored=counts.ignored,
        deleted=counts.deleted,
    )
    summary["importOptions"] = {
        "dryRun": importer.dry_run,
        "importStrategy": importer.strategy,
        "idSchemes": {"idScheme": schemes["data_element"]},
    }
    return Status(200, summary)


def _summary(
    *,
    conflicts: list[dict[str, str]] | None = None,
    imported: int = 0,
    updated: int = 0,
    ignored: int = 0,
    deleted: int = 0,
) -> dict[str, Any]:
    return {
        "responseType": "ImportSummary",
        "status": "ERROR" if conflicts else "SUCCESS",
        "importCount": {
            "imported": imported,
            "updated": updated,
            "ignored": ignored,
            "deleted": deleted,
        },
        "conflicts": conflicts or [],
    }
