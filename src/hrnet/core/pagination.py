"""API paging: `?limit=&offset=` answered as `{count, limit, offset, items}`.

Every list endpoint pages the same way through django-ninja's `@paginate`:

    @router.get("", response=list[ArticleOut])
    @paginate(LimitOffsetPagination, default_limit=20, max_limit=100)
    def article_list(request, filters: Query[NewsFilters]):
        articles = selectors.article_list(user=request.user, filters=filters.to_filters())
        return Paged(articles, render=lambda page: [_article_out(request, a) for a in page])

The view returns the rows (a queryset or a list); the paginator counts them, slices the
page and, when the view gave `Paged(..., render=...)`, hands the page's rows to `render`
(to build the items from the page only, e.g. one query for the page's translations, or
one audit entry per record read).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


@dataclass(frozen=True)
class Paged:
    """What a paginated view may return instead of bare rows: the rows and a function that
    turns one page of them into the response items."""

    rows: QuerySet | Sequence[Any]
    render: Callable[[list[Any]], list[Any]] | None = None


class LimitOffsetPagination(PaginationBase):
    """`limit` (1..max_limit, default default_limit) and `offset` (>= 0) query parameters;
    a limit outside the range is a 422, as before. Set the limits per endpoint through
    `@paginate(LimitOffsetPagination, default_limit=25)` or a subclass attribute."""

    default_limit: int = 20
    max_limit: int = 100

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list[Any]

    def __init__(
        self, *, default_limit: int | None = None, max_limit: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        if default_limit is not None:
            self.default_limit = default_limit
        if max_limit is not None:
            self.max_limit = max_limit
        if not 1 <= self.default_limit <= self.max_limit:
            raise ValueError("LimitOffsetPagination needs 1 <= default_limit <= max_limit.")
        # The query parameters carry this endpoint's limits (and show them in OpenAPI).
        self.Input = type(  # type: ignore[misc,assignment]
            "LimitOffsetInput",
            (Schema,),
            {
                "__annotations__": {"limit": int, "offset": int},
                "limit": Field(self.default_limit, ge=1, le=self.max_limit),
                "offset": Field(0, ge=0),
            },
        )

    def paginate_queryset(
        self,
        queryset: QuerySet | Sequence[Any] | Paged,
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        paged = queryset if isinstance(queryset, Paged) else Paged(queryset)
        limit, offset = pagination.limit, pagination.offset
        page = list(paged.rows[offset : offset + limit])
        return {
            "count": self._items_count(paged.rows),  # type: ignore[arg-type]
            "limit": limit,
            "offset": offset,
            self.items_attribute: paged.render(page) if paged.render else page,
        }
