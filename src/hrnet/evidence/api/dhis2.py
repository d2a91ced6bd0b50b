"""/api/v1/dhis2/dataValueSets in DHIS2's own JSON shape: read the values the caller may
see; the secretariat posts a (small) data value set, imported at once, all or nothing,
answered with a DHIS2-like import summary."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from hrnet.accounts.authentication import OPTIONAL_AUTH
from hrnet.evidence.dhis2 import MappingIndex, dhis2_export, period_from_dhis2
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
    orgUnit: list[str] = Field(default_factory=list, description="ISO country codes (repeatable).")
    startDate: date | None = None
    endDate: date | None = None


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
    for text in query.period:
        try:
            periods.append(period_from_dhis2(text)[0])
        except ValueError as exc:
            return Status(400, {"detail": str(exc)})
    document = dhis2_export(
        user=request.user,
        indicators=_indicator_codes(query.dataElement),
        countries=[code.upper() for code in query.orgUnit],
        periods=periods,
        start=query.startDate,
        end=query.endDate,
    )
    return Status(200, document)


def _indicator_codes(elements: list[str]) -> list[str]:
    """Indicator codes of data elements given by mapped id or by our code."""
    if not elements:
        return []
    mappings = MappingIndex()
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
    importer = Dhis2Importer(actor=request.user, source=request.GET.get("source", ""))
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
    result = importer.result
    imported, updated = (result.created, result.replaced) if result else (0, 0)
    return Status(
        200, _summary(imported=imported, updated=updated, ignored=report.rows - imported - updated)
    )


def _summary(
    *,
    conflicts: list[dict[str, str]] | None = None,
    imported: int = 0,
    updated: int = 0,
    ignored: int = 0,
) -> dict[str, Any]:
    return {
        "responseType": "ImportSummary",
        "status": "ERROR" if conflicts else "SUCCESS",
        "importCount": {"imported": imported, "updated": updated, "ignored": ignored, "deleted": 0},
        "conflicts": conflicts or [],
    }
