"""core.pagination: ninja's @paginate answering `{count, limit, offset, items}`."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.pagination import paginate
from ninja.testing import TestClient

from hrnet.core.pagination import LimitOffsetPagination, Paged


class NumberOut(Schema):
    n: int
    label: str


router = Router()
seen_pages: list[list[int]] = []


@router.get("/numbers", response=list[NumberOut])
@paginate(LimitOffsetPagination)
def numbers(request: HttpRequest) -> Any:
    return [{"n": n, "label": str(n)} for n in range(1, 48)]


def _render(page: list[int]) -> list[dict[str, Any]]:
    seen_pages.append(page)
    return [{"n": n, "label": f"#{n}"} for n in page]


@router.get("/rendered", response=list[NumberOut])
@paginate(LimitOffsetPagination, default_limit=25, max_limit=30)
def rendered(request: HttpRequest) -> Any:
    return Paged(list(range(1, 48)), render=_render)


class SmallPages(LimitOffsetPagination):
    default_limit = 2
    max_limit = 3


@router.get("/small", response=list[NumberOut])
@paginate(SmallPages)
def small(request: HttpRequest) -> Any:
    return [{"n": n, "label": str(n)} for n in range(1, 6)]


api = NinjaAPI(urls_namespace="test-pagination")
api.add_router("", router)
client = TestClient(api)


def test_the_page_has_the_count_limit_offset_and_items():
    body = client.get("/numbers?limit=2&offset=4").json()

    assert body == {
        "count": 47,
        "limit": 2,
        "offset": 4,
        "items": [{"n": 5, "label": "5"}, {"n": 6, "label": "6"}],
    }
    assert list(body) == ["count", "limit", "offset", "items"]


def test_defaults_are_a_limit_of_20_from_the_start():
    body = client.get("/numbers").json()

    assert (body["count"], body["limit"], body["offset"]) == (47, 20, 0)
    assert [item["n"] for item in body["items"]] == list(range(1, 21))


def test_an_offset_past_the_end_gives_an_empty_page():
    assert client.get("/numbers?offset=100").json()["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=x"])
def test_limits_out_of_range_are_a_422(query):
    assert client.get(f"/numbers?{query}").status_code == 422


def test_render_builds_the_items_from_the_page_only():
    seen_pages.clear()
    body = client.get("/rendered?offset=45").json()

    assert seen_pages == [[46, 47]]
    assert body["limit"] == 25
    assert body["items"] == [{"n": 46, "label": "#46"}, {"n": 47, "label": "#47"}]
    assert client.get("/rendered?limit=31").status_code == 422


def test_a_subclass_sets_its_own_limits():
    assert client.get("/small").json()["limit"] == 2
    assert client.get("/small?limit=3").status_code == 200
    assert client.get("/small?limit=4").status_code == 422


def test_openapi_documents_the_limits_and_the_page_shape():
    schema = api.get_openapi_schema(path_prefix="/api")
    parameters = {p["name"]: p for p in schema["paths"]["/api/rendered"]["get"]["parameters"]}

    assert parameters["limit"]["schema"]["default"] == 25
    assert parameters["limit"]["schema"]["maximum"] == 30
    page = schema["components"]["schemas"]["PagedNumberOut"]
    assert set(page["required"]) == {"count", "limit", "offset", "items"}


def test_default_limit_above_max_limit_is_refused():
    with pytest.raises(ValueError, match="default_limit"):
        LimitOffsetPagination(default_limit=50, max_limit=10)
