"""`check --deploy`: production needs its own keys for the rights cases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def rights_keys_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    if any(key.strip() for key in settings.HRNET_RIGHTS_KEYS):
        return []
    return [
        Error(
            "HRNET_RIGHTS_KEYS is not set: rights cases cannot be encrypted at rest.",
            hint="Generate a key with `hrnet rights_new_key` and set HRNET_RIGHTS_KEYS.",
            id="rights.E001",
        )
    ]
