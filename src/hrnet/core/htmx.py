"""htmx helpers shared by the views."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx_fragment(request: HttpRequest) -> bool:
    """True when htmx asks for the page's fragment only. htmx asks for the whole page again
    when it restores history it has not cached."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
