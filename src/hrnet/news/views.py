"""Pages of news: the listing with its filters, an article, the secretariat's editor and
publishing actions, and the digest's settings and one-click unsubscribe page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from hrnet.core.forms import add_service_errors
from hrnet.core.htmx import is_htmx_fragment
from hrnet.core.models import IssueArea
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.news.forms import ArticleFilterForm, ArticleForm, DigestSettingsForm, ScheduleForm
from hrnet.news.models import Article
from hrnet.news.policies import article_policy, digest_subscription_policy, is_secretariat
from hrnet.news.selectors import articles as selectors
from hrnet.news.selectors import digest as digest_selectors
from hrnet.news.services import articles as services
from hrnet.news.services import digest as digest_services


def _page_url(filters: selectors.ArticleFilters, number: int) -> str:
    query = filters.as_query()
    query["page"] = str(number)
    return f"{reverse('news:article_list')}?{urlencode(query)}"


@vary_on_headers("HX-Request")
def article_list(request: HttpRequest) -> HttpResponse:
    """Teasers, newest first, filtered and paginated; htmx swaps only the results when a
    filter changes, and without JavaScript the filters are a plain GET form."""
    secretariat = is_secretariat(request.user)
    form = ArticleFilterForm(request.GET, show_state=secretariat)
    form.is_valid()
    filters = form.filters(prefer_language=translation.get_language() or "")
    articles = selectors.article_list(user=request.user, filters=filters)
    page = Paginator(articles, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "page": page,
        "may_add": secretariat,
        "previous_url": _page_url(filters, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(filters, page.next_page_number()) if page.has_next() else "",
    }
    if is_htmx_fragment(request):
        return render(request, "news/partials/article_results.html", context)
    context["issue_areas"] = IssueArea.objects.all()
    return render(request, "news/article_list.html", context)


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = selectors.article_get(user=request.user, pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404 from exc
    may_change = article_policy.user_has_permission_for_instance(request.user, "change", article)
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "body": body_html(article.body),
            "translations": [
                (other, _in_its_language(other))
                for other in selectors.article_translations(user=request.user, article=article)
            ],
            "may_change": may_change,
            "schedule_form": _schedule_form(article) if may_change else None,
            "missing_languages": _missing_languages(article) if may_change else [],
        },
    )


def _schedule_form(article: Article) -> ScheduleForm:
    if article.state == Article.State.SCHEDULED and article.published_at is not None:
        return ScheduleForm(initial={"published_at": timezone.localtime(article.published_at)})
    return ScheduleForm()


def _in_its_language(article: Article) -> str:
    """The article's address with the interface in the article's language: a reader who
    picks "Русский" wants Russian around it too."""
    with translation.override(article.language):
        return reverse("news:article_detail", args=[article.pk])


def _missing_languages(article: Article) -> list[tuple[str, str]]:
    """Languages the story has no version in yet (the trash counts: it may come back)."""
    taken = set(
        Article.all_objects.filter(translation_key=article.translation_key).values_list(
            "language", flat=True
        )
    )
    return [(code, str(name)) for code, name in settings.LANGUAGES if code not in taken]


@policy_required(article_policy, "add")
def article_create(request: HttpRequest) -> HttpResponse:
    """A new draft; `?translation_of=<pk>&language=ru` starts another language version of a
    story, with its type, issue areas, countries and photo credit filled in."""
    source = None
    if request.GET.get("translation_of", "").isdigit():
        try:
            source = selectors.article_for_translation(
                user=request.user, pk=int(request.GET["translation_of"])
            )
        except Article.DoesNotExist as exc:
            raise Http404 from exc
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                article = services.article_create(
                    actor=request.user,
                    translation_of=source,
                    request=request,
                    **{k: v for k, v in form.service_arguments().items() if k != "image_clear"},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The draft was saved. Publish it when it is ready."))
                return redirect("news:article_detail", pk=article.pk)
    else:
        initial: dict[str, Any] = {"language": translation.get_language()}
        if source is not None:
            initial = {
                "kind": source.kind,
                "language": request.GET.get("language", ""),
                "issue_areas": list(source.issue_areas.all()),
                "countries": list(source.countries.all()),
                "image_credit": source.image_credit,
            }
        form = ArticleForm(initial=initial)
    return render(request, "news/article_form.html", {"form": form, "source": source})


def _article_for(request: HttpRequest, pk: int, action: str) -> Article:
    """The article (not in the trash) if `request.user` may do `action` on it; else 404."""
    article = Article.objects.filter(pk=pk).first()
    if article is None or not article_policy.user_has_permission_for_instance(
        request.user, action, article
    ):
        raise Http404
    return article


@policy_required(article_policy, "change")
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk, "change")
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, article=article)
        if form.is_valid():
            try:
                services.article_update(
                    article=article,
                    actor=request.user,
                    request=request,
                    **form.service_arguments(),
                )
            except ValidationError as exc:
                article.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The article was saved."))
                return redirect("news:article_detail", pk=article.pk)
    else:
        form = ArticleForm(article=article)
    return render(request, "news/article_form.html", {"form": form, "article": article})


@require_POST
@policy_required(article_policy, "publish")
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish now (no `published_at`), or schedule for the time given."""
    article = _article_for(request, pk, "publish")
    if "published_at" not in request.POST:
        services.article_publish(article=article, actor=request.user, request=request)
        messages.success(request, _("The article is published."))
        return redirect("news:article_detail", pk=article.pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("news:article_detail", pk=article.pk)
    services.article_publish(
        article=article, actor=request.user, at=form.cleaned_data["published_at"], request=request
    )
    messages.success(
        request,
        _("The article will appear by itself at the time you set."),
    )
    return redirect("news:article_detail", pk=article.pk)


@require_POST
@policy_required(article_policy, "unpublish")
def article_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article_for(request, pk, "unpublish")
    services.article_unpublish(article=article, actor=request.user, request=request)
    messages.success(request, _("The article is a draft again; the public no longer sees it."))
    return redirect("news:article_detail", pk=article.pk)


@policy_required(article_policy, "delete")
def article_trash(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then moves the article to the trash (POST)."""
    article = _article_for(request, pk, "delete")
    if request.method == "POST":
        services.article_trash(article=article, actor=request.user, request=request)
        messages.success(
            request,
            _("“%(title)s” is in the trash; it can be restored from there.")
            % {"title": article.title},
        )
        return redirect("news:article_list")
    return render(request, "news/article_trash.html", {"article": article})


# --- the weekly digest ----------------------------------------------------------------


@policy_required(digest_subscription_policy, "subscribe")
def digest_settings(request: HttpRequest) -> HttpResponse:
    subscribed = digest_selectors.digest_is_subscribed(user=request.user)
    # An unticked checkbox posts nothing: the form is bound on every POST, empty or not.
    form = DigestSettingsForm(
        request.POST if request.method == "POST" else None, initial={"subscribed": subscribed}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["subscribed"]:
            digest_services.digest_subscribe(user=request.user, request=request)
            messages.success(request, _("You will receive the weekly digest."))
        else:
            digest_services.digest_unsubscribe(user=request.user, request=request)
            messages.success(request, _("You will no longer receive the weekly digest."))
        return redirect("news:digest_settings")
    return render(request, "news/digest_settings.html", {"form": form, "subscribed": subscribed})


# The signed token in the URL is the credential, not a cookie: a forged cross-site POST
# would need the token, which only the recipient's mailbox has. Mail clients that follow
# RFC 8058 POST here without any CSRF token, so the CSRF check cannot apply.
@csrf_exempt
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links, so a GET changes nothing); POST unsubscribes.
    No sign-in needed."""
    user = digest_selectors.digest_token_user(token)
    if user is None:
        return render(request, "news/digest_unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        digest_services.digest_unsubscribe(user=user, request=request)
        return render(request, "news/digest_unsubscribe.html", {"done": True, "email": user.email})
    return render(
        request,
        "news/digest_unsubscribe.html",
        {"email": user.email, "subscribed": digest_selectors.digest_is_subscribed(user=user)},
    )
