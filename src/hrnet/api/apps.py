from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hrnet.api"
    label = "api"
    verbose_name = "API"
