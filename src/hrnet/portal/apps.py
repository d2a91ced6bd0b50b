from django.apps import AppConfig


class PortalConfig(AppConfig):
    """No models, so no verbose name: the admin never lists it."""

    name = "hrnet.portal"
    label = "portal"
