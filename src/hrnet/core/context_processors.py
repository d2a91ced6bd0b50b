from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hrnet.core.selectors import network_get


def site(request: HttpRequest) -> dict[str, Any]:
    return {"network": network_get()}
