"""Who may do what with news: the role x action matrix, asked of the policy and of the
pages the secretariat uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.news.policies import article_policy, digest_subscription_policy
from hrnet.news.tests.factories import ArticleFactory

ROLES = [None, *Role.values]
WRITE_ACTIONS = ["add", "change", "publish", "unpublish", "delete"]


def user_for(role, make_user):
    return AnonymousUser() if role is None else make_user(role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_published_articles_and_only_the_secretariat_writes(role, make_user):
    user = user_for(role, make_user)
    published = ArticleFactory.create()
    draft = ArticleFactory.create(published_at=None)
    scheduled = ArticleFactory.create(published_at=timezone.now() + timedelta(days=1))
    is_secretariat = role == Role.SECRETARIAT

    assert article_policy.user_has_permission(user, "list")
    assert article_policy.user_has_permission_for_instance(user, "view", published)
    assert article_policy.user_has_permission_for_instance(user, "view", draft) is is_secretariat
    assert (
        article_policy.user_has_permission_for_instance(user, "view", scheduled) is is_secretariat
    )
    visible = set(article_policy.instances_user_has_permission_for(user, "list"))
    assert visible == ({published, draft, scheduled} if is_secretariat else {published})
    for action in WRITE_ACTIONS:
        assert article_policy.user_has_permission(user, action) is is_secretariat, action
        assert (
            article_policy.user_has_permission_for_instance(user, action, published)
            is is_secretariat
        ), action


@pytest.mark.django_db
def test_nobody_acts_on_an_article_in_the_trash_except_through_the_trash(secretariat):
    article = ArticleFactory.create(deleted_at=timezone.now())

    for action in ["view", "change", "publish", "delete"]:
        assert not article_policy.user_has_permission_for_instance(secretariat, action, article)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may_subscribe"),
    [
        (None, False),
        (Role.SECRETARIAT, True),
        (Role.ORGADMIN, True),
        (Role.MEMBER, True),
        (Role.EXPERT, True),
        (Role.SITESTAFF, False),
        (Role.DOCUMENTER, False),
    ],
)
def test_network_members_may_subscribe_to_the_digest(role, may_subscribe, make_user):
    user = user_for(role, make_user)

    assert digest_subscription_policy.user_has_permission(user, "subscribe") is may_subscribe
    assert digest_subscription_policy.user_has_permission(user, "add") is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", "new/"),
        ("get", "{pk}/edit/"),
        ("post", "{pk}/publish/"),
        ("post", "{pk}/unpublish/"),
        ("get", "{pk}/trash/"),
        ("post", "{pk}/trash/"),
    ],
)
def test_secretariat_pages_answer_by_role(role, method, url_name, client, make_user):
    article = ArticleFactory.create(published_at=None)
    if role is not None:
        client.force_login(make_user(role))
    url = "/en/news/" + url_name.format(pk=article.pk)

    response = getattr(client, method)(url)

    if role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")
    elif role == Role.SECRETARIAT:
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert response["Location"].startswith("/en/news/")
    else:
        assert response.status_code == 403
    article.refresh_from_db()
    if role != Role.SECRETARIAT:
        assert article.published_at is None
        assert article.deleted_at is None
