from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from hrnet.core import errors
from hrnet.core import urls as core_urls
from hrnet.discussions.sitemaps import ThreadSitemap
from hrnet.events.sitemaps import EventSitemap
from hrnet.events.views.calendar import calendar_feed as events_calendar_feed
from hrnet.geo import urls as geo_urls
from hrnet.library.sitemaps import ResourceSitemap
from hrnet.news.sitemaps import ArticleSitemap
from hrnet.portal import urls as portal_urls
from hrnet.portal.api import api

# Public records only: each sitemap's items() asks its app's public selector.
SITEMAPS = {
    "news": ArticleSitemap,
    "library": ResourceSitemap,
    "events": EventSitemap,
    "discussions": ThreadSitemap,
}

# JSON under /api/ (and 503 for a lost database), Django's pages elsewhere.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The public iCalendar feed at a stable address that calendar apps subscribe to.
    path("events/calendar.ics", events_calendar_feed, name="events_calendar_feed"),
]

urlpatterns += i18n_patterns(
    # The composed pages (hrnet.portal) keep their names in the kernel's namespaces.
    path("", include((core_urls.urlpatterns + portal_urls.home_urlpatterns, "core"))),
    path("", include((geo_urls.urlpatterns + portal_urls.geo_urlpatterns, "geo"))),
    path("accounts/", include("hrnet.accounts.urls")),
    path("members/", include("hrnet.members.urls")),
    path("news/", include("hrnet.news.urls")),
    path("library/", include("hrnet.library.urls")),
    path("search/", include("hrnet.search.urls")),
    path("events/", include("hrnet.events.urls")),
    path("assistance/", include("hrnet.assistance.urls")),
    path("campaigns/", include("hrnet.campaigns.urls")),
    path("evidence/", include("hrnet.evidence.urls")),
    path("sites/", include("hrnet.outreach.urls")),
    path("", include("hrnet.network.urls")),
    path("rights/", include("hrnet.rights.urls")),
    path("mailings/", include("hrnet.mailings.urls")),
    path("discussions/", include("hrnet.discussions.urls")),
    path("governance/", include("hrnet.governance.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    # Production serves media from object storage or the reverse proxy.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
