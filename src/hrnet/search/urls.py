"""URLs of the search (mounted at /<lang>/search/)."""

from hrnet.search.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
