"""Template helpers shared by every app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrnet.accounts.roles import user_has_role
from hrnet.core.i18n import localized as localized_text
from hrnet.core.types import Actor

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in every interface language, for the language switcher."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native = str(name)
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "label": native,
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


@register.filter
def has_role(user: Actor, roles: str) -> bool:
    """`{% if user|has_role:"secretariat,orgadmin" %}`."""
    return user_has_role(user, *[r.strip() for r in roles.split(",") if r.strip()])


@register.filter
def localized(values: dict[str, str] | None) -> str:
    return localized_text(values)


@register.simple_tag(takes_context=True)
def nav_current(context: dict[str, Any], url_name: str) -> str:
    """aria-current for the navigation link of the page being shown."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match and (match.view_name == url_name or match.namespace == url_name):
        # A constant attribute: safe, so the template does not escape its quotes.
        return SafeString('aria-current="page"')
    return ""


# --- the main menu -------------------------------------------------------------------------
# Who sees a link: everyone (no roles), anyone signed in ("@"), or people with one of the
# roles (superusers have every role). A link shows only to those who may use its page.
EVERYONE: tuple[str, ...] = ()
SIGNED_IN = ("@",)
SUPERUSERS = ("!",)  # pages only an administrator (a superuser) uses


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    # (url name, who) pairs: the first one the user may use is the link's target, so one
    # entry ("Technical assistance") leads each role to its own page.
    targets: tuple[tuple[str, tuple[str, ...]], ...]
    # Beginnings of view names (`app:` or `app:noun_`) of the pages that belong to the link.
    belongs: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    links: tuple[MenuLink, ...]


def _link(
    label: str | Promise, url_name: str, who: tuple[str, ...] = EVERYONE, *belongs: str
) -> MenuLink:
    return MenuLink(label, ((url_name, who),), belongs)


SECRETARIAT = ("secretariat",)

MAIN_MENU: tuple[MenuGroup, ...] = (
    MenuGroup(
        _("Network"),
        (
            _link(
                _("About the network"),
                "network:page_list",
                EVERYONE,
                "network:page_",
                "network:principles",
            ),
            # Elections and general assemblies, for everyone: visitors find the published
            # results there, members vote from it. (In this group: a top-level entry would
            # put the secretariat's Russian menu on two rows at 1280 px.)
            _link(_("Governance"), "governance:index", EVERYONE, "governance:"),
            _link(_("Countries"), "geo:country_list", EVERYONE, "geo:"),
            _link(
                _("Projects"),
                "network:project_list",
                EVERYONE,
                "network:project_",
                "network:partner_",
                "network:commitment_",
                "network:output_",
            ),
            _link(_("Team"), "network:team", EVERYONE, "network:team", "network:contact"),
            _link(_("Campaigns"), "campaigns:campaign_list", EVERYONE, "campaigns:"),
        ),
    ),
    MenuGroup(
        _("Members"),
        (
            _link(
                _("Member directory"),
                "members:directory",
                EVERYONE,
                "members:directory",
                "members:person_",
                "members:index",
            ),
            _link(
                _("Applications"), "members:application_queue", SECRETARIAT, "members:application_"
            ),
            _link(
                _("Invitations"), "accounts:invitation_list", SECRETARIAT, "accounts:invitation_"
            ),
            _link(
                _("Membership dashboard"),
                "members:dashboard",
                SECRETARIAT,
                "members:dashboard",
                "members:membership_",
                "members:register_",
            ),
            _link(
                _("Renewals due"),
                "members:renewals_due",
                SECRETARIAT,
                "members:renewals_due",
                "members:lapsed",
            ),
            MenuLink(
                _("Technical assistance"),
                (
                    ("assistance:queue", SECRETARIAT),
                    ("assistance:assigned", ("expert",)),
                    ("assistance:my_requests", ("orgadmin", "member")),
                ),
                ("assistance:",),
            ),
        ),
    ),
    # One link, no group: the discussions are one click away for everyone (their
    # moderation queue is the secretariat's, below; "My discussions" is reached from the
    # start page and the discussions' own pages).
    MenuGroup(
        _("Discussions"),
        (_link(_("Discussions"), "discussions:index", EVERYONE, "discussions:"),),
    ),
    MenuGroup(
        _("News and library"),
        (
            _link(_("News"), "news:article_list", EVERYONE, "news:"),
            _link(_("Library"), "library:resource_list", EVERYONE, "library:"),
            _link(_("Submitted resources"), "library:moderation_queue", SECRETARIAT),
            _link(_("Search"), "search:search", EVERYONE, "search:"),
        ),
    ),
    MenuGroup(
        _("Events"),
        (
            _link(_("Upcoming events"), "events:event_list", EVERYONE, "events:"),
            _link(_("Event reports"), "events:after_reports", SECRETARIAT, "events:after_report"),
        ),
    ),
    MenuGroup(
        pgettext_lazy("main menu", "Evidence"),
        (
            _link(_("Evidence overview"), "evidence:overview", EVERYONE, "evidence:"),
            _link(
                _("Sites"),
                "outreach:site_list",
                ("secretariat", "orgadmin", "sitestaff"),
                "outreach:",
            ),
            _link(
                _("Rights cases"), "rights:case_list", ("documenter", "secretariat"), "rights:case_"
            ),
        ),
    ),
    MenuGroup(
        _("Secretariat"),
        (
            _link(
                _("Signatures to verify"),
                "campaigns:signature_queue",
                SECRETARIAT,
                "campaigns:signature_review",
            ),
            _link(_("Contact messages"), "network:message_list", SECRETARIAT, "network:message_"),
            _link(_("Flagged posts"), "discussions:flag_queue", SECRETARIAT),
            _link(_("Working groups"), "discussions:groups", SECRETARIAT, "discussions:group"),
            _link(
                _("Rights reports waiting"),
                "rights:intake_queue",
                ("intake_reviewer",),
                "rights:intake_queue",
            ),
            _link(
                _("Intake reviewers"), "rights:intake_reviewers", SUPERUSERS, "rights:intake_rev"
            ),
            _link(_("Segments"), "mailings:segment_list", SECRETARIAT, "mailings:segment_"),
            _link(_("Mailings"), "mailings:mailing_list", SECRETARIAT, "mailings:mailing_"),
            _link(_("Audit log"), "core:audit_log", SECRETARIAT),
            _link(_("Trash"), "core:trash", SECRETARIAT, "core:trash"),
            _link(_("Background jobs"), "core:job_list", SECRETARIAT, "core:job_"),
        ),
    ),
)

# "My work": a signed-in person's own page; the first of these that exists.
MY_WORK_URL_NAMES = ("core:me", "portal:me", "accounts:me", "accounts:profile")
MY_WORK_BELONGS = (
    "accounts:profile",
    "accounts:two_factor",
    "accounts:api_token",
    "accounts:password_change",
)


def _may_use(user: Actor | None, who: tuple[str, ...]) -> bool:
    if not who:
        return True
    if who == SIGNED_IN:
        return bool(getattr(user, "is_authenticated", False))
    if who == SUPERUSERS:
        return bool(getattr(user, "is_superuser", False))
    return user_has_role(user, *who)


def _my_work_url() -> tuple[str, str] | None:
    for name in MY_WORK_URL_NAMES:
        try:
            return name, reverse(name)
        except NoReverseMatch:
            continue
    return None


def _score(view_name: str, url_name: str, belongs: tuple[str, ...]) -> int:
    """How closely the page `view_name` belongs to a link: its own page beats any
    beginning, and a longer beginning beats a shorter one (0: not at all)."""
    if view_name == url_name:
        return 10_000
    return max((len(b) for b in belongs if view_name.startswith(b)), default=0)


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> dict[str, Any]:
    """The main menu for the person reading: groups of the links they may use, with the
    one link of the page being shown (its page, or the page it belongs to) as current.

    Returns {"home_current", "my_work", "groups"}; a group is {"label", "links",
    "current"} and a link {"label", "url", "current"}."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    view_name = (match.view_name if match else "") or ""

    entries: list[dict[str, Any]] = []  # every link shown, to pick the current one
    my_work: dict[str, Any] | None = None
    if getattr(user, "is_authenticated", False):
        found = _my_work_url()
        if found:
            name, url = found
            my_work = {
                "label": _("My work"),
                "url": url,
                "current": False,
                "score": _score(view_name, name, MY_WORK_BELONGS),
            }
            entries.append(my_work)
    groups: list[dict[str, Any]] = []
    for group in MAIN_MENU:
        links: list[dict[str, Any]] = []
        for link in group.links:
            target = next((name for name, who in link.targets if _may_use(user, who)), None)
            if target is None:
                continue
            entry: dict[str, Any] = {
                "label": link.label,
                "url": reverse(target),
                "current": False,
                "score": _score(view_name, target, link.belongs),
            }
            links.append(entry)
            entries.append(entry)
        if links:
            groups.append({"label": group.label, "links": links, "current": False})
    home_current = view_name == "core:home"
    best = max(entries, key=lambda e: e["score"], default=None)
    if best is not None and best["score"] > 0 and not home_current:
        best["current"] = True
    for group_entry in groups:
        group_entry["current"] = any(link["current"] for link in group_entry["links"])
    return {"home_current": home_current, "my_work": my_work, "groups": groups}
