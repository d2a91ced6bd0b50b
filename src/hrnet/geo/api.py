"""/api/v1/countries: the network's countries and the country lookup."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from hrnet.geo import selectors
from hrnet.geo.models import Country

router = Router(tags=["geography"])


class SubRegionOut(Schema):
    code: str
    name: str


class CountryOut(Schema):
    iso2: str
    iso3: str
    name: str
    subregion: SubRegionOut


class ErrorOut(Schema):
    detail: str


def _country_out(country: Country) -> dict:
    return {
        "iso2": country.iso2,
        "iso3": country.iso3,
        "name": country.name,
        "subregion": {"code": country.subregion.code, "name": country.subregion.name},
    }


@router.get("/countries", response=list[CountryOut], auth=None)
def country_list(request: HttpRequest) -> list[dict]:
    """Every country of the network with its sub-region. Names follow `Accept-Language`."""
    return [_country_out(country) for country in selectors.country_list()]


@router.get("/countries/resolve", response={200: CountryOut, 404: ErrorOut}, auth=None)
def country_resolve(request: HttpRequest, q: str) -> Status:
    """The country an ISO2/ISO3 code, a name in any language or an alias names."""
    try:
        return Status(200, _country_out(selectors.country_resolve(q)))
    except ValidationError as exc:
        return Status(404, {"detail": exc.messages[0]})
