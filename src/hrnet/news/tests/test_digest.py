"""The weekly digest: opting in, once per member per week, in the member's language, a
one-click signed unsubscribe link that works without signing in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.news.models import DigestSending, DigestSubscription
from hrnet.news.selectors.digest import DigestItem, DigestSection
from hrnet.news.services import digest
from hrnet.news.services.digest import digest_send
from hrnet.news.tests.factories import ArticleFactory, DigestSubscriptionFactory

pytestmark = pytest.mark.django_db


def subscriber(make_user, *, language="en", role=Role.MEMBER):
    user = make_user(role, preferred_language=language)
    DigestSubscriptionFactory.create(user=user)
    return user


def unsubscribe_path(message) -> str:
    match = re.search(r"<(http[^>]+)>", message.extra_headers["List-Unsubscribe"])
    assert match
    return match.group(1).removeprefix("http://127.0.0.1:8000")


# --- opting in ------------------------------------------------------------------------


def test_a_member_opts_in_and_out_on_the_settings_page(client, member):
    client.force_login(member)

    page = client.get("/en/news/digest/").content.decode()
    assert 'type="checkbox" name="subscribed"' in page
    client.post("/en/news/digest/", {"subscribed": "on"})
    assert DigestSubscription.objects.filter(user=member).exists()
    assert "checked" in client.get("/en/news/digest/").content.decode()

    client.post("/en/news/digest/", {})
    assert not DigestSubscription.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(action="news.digest.unsubscribe", actor=member).exists()


def test_the_profile_links_to_the_digest_settings(client, member):
    client.force_login(member)

    assert 'href="/en/news/digest/"' in client.get("/en/accounts/profile/").content.decode()


@pytest.mark.parametrize(("role", "status"), [(None, 302), (Role.SITESTAFF, 403)])
def test_only_network_members_reach_the_settings_page(role, status, client, make_user):
    if role:
        client.force_login(make_user(role))

    assert client.post("/en/news/digest/", {"subscribed": "on"}).status_code == status
    assert not DigestSubscription.objects.exists()


# --- sending ----------------------------------------------------------------------------


def test_each_member_gets_the_digest_once_a_week_even_if_it_runs_twice(make_user):
    alice = subscriber(make_user)
    bob = subscriber(make_user, role=Role.ORGADMIN)
    ArticleFactory.create(title="Naloxone in Kyiv")

    first = digest_send()
    second = digest_send()

    assert first.sent == 2
    assert second.sent == 0
    assert second.already == 0  # already excluded before building anything
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert DigestSending.objects.count() == 2


def test_a_concurrent_run_that_loses_the_race_sends_nothing(make_user):
    user = subscriber(make_user)
    ArticleFactory.create()
    now = timezone.now()
    subscription = DigestSubscription.objects.get(user=user)
    report = digest.DigestReport()
    DigestSending.objects.create(
        user=user, week=digest.week_key(now), period_start=now, period_end=now
    )

    # A run that started before the other wrote its row.
    digest._send_one(subscription, now=now, week=digest.week_key(now), network=None, report=report)

    assert report.already == 1
    assert mail.outbox == []


def test_the_digest_lists_the_weeks_news_with_links_and_unsubscribe_headers(make_user):
    subscriber(make_user)
    article = ArticleFactory.create(
        title="OST in prisons", lead="Opioid agonist therapy reaches two more prisons."
    )
    ArticleFactory.create(title="Old story", published_at=timezone.now() - timedelta(days=10))
    ArticleFactory.create(title="Draft story", published_at=None)
    ArticleFactory.create(title="Scheduled story", published_at=timezone.now() + timedelta(hours=1))

    digest_send()

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    assert "the week’s news and resources" in message.subject
    assert "OST in prisons" in message.body
    assert f"http://127.0.0.1:8000/en/news/{article.pk}/" in message.body
    assert "Opioid agonist therapy reaches two more prisons." in html
    for left_out in ("Old story", "Draft story", "Scheduled story"):
        assert left_out not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(message).startswith("/en/news/digest/unsubscribe/")
    assert unsubscribe_path(message) in message.body
    assert unsubscribe_path(message) in html


def test_the_digest_is_in_the_members_language(make_user):
    subscriber(make_user, language="ru")
    english = ArticleFactory.create(title="Naloxone in Kyiv")
    ArticleFactory.create(
        title="Налоксон в Киеве", language="ru", translation_key=english.translation_key
    )
    ArticleFactory.create(title="Only in English")

    digest_send()

    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "ru"
    assert "Налоксон в Киеве" in message.body
    assert "Naloxone in Kyiv" not in message.body  # the Russian version of the same story
    assert "Only in English (English)" in message.body
    assert message.body.startswith("Здравствуйте!")
    assert "/ru/news/" in message.body
    assert unsubscribe_path(message).startswith("/ru/news/digest/unsubscribe/")


def test_a_member_with_nothing_new_gets_no_email(make_user):
    user = subscriber(make_user)
    ArticleFactory.create(published_at=timezone.now() - timedelta(days=30))

    report = digest_send()

    assert report.empty == 1
    assert mail.outbox == []
    assert DigestSending.objects.get(user=user).item_count == 0


def test_the_next_weeks_digest_starts_where_this_one_ended(make_user):
    subscriber(make_user)
    last_week = timezone.now() - timedelta(days=7)
    ArticleFactory.create(title="First week", published_at=last_week - timedelta(days=1))
    digest_send(now=last_week)
    ArticleFactory.create(title="Second week", published_at=timezone.now() - timedelta(days=3))

    digest_send()

    first, second = mail.outbox
    assert "First week" in first.body
    assert "Second week" in second.body
    assert "First week" not in second.body


def test_people_who_left_the_network_or_are_inactive_get_nothing(make_user):
    left = subscriber(make_user)
    left.groups.clear()
    inactive = subscriber(make_user)
    inactive.is_active = False
    inactive.save()
    ArticleFactory.create()

    report = digest_send()

    assert mail.outbox == []
    assert report.not_members == 1


def test_a_failed_send_is_retried_by_the_next_run(make_user, monkeypatch):
    subscriber(make_user)
    ArticleFactory.create()

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
        report = digest_send()
    assert report.failed == 1
    assert not DigestSending.objects.exists()

    assert digest_send().sent == 1
    assert len(mail.outbox) == 1


def test_resources_published_this_week_are_in_the_digest(make_user):
    from hrnet.library.models import Resource
    from hrnet.library.tests.factories import ResourceFactory

    subscriber(make_user)
    resource = ResourceFactory.create(title="Guidance on take-home naloxone")
    ResourceFactory.create(title="Members-only report", visibility=Resource.Visibility.MEMBERS)
    ResourceFactory.create(title="Pending", status=Resource.Status.SUBMITTED)

    digest_send()

    (message,) = mail.outbox
    assert "Guidance on take-home naloxone" in message.body
    assert f"/en/library/{resource.pk}/" in message.body
    assert "Members-only report" in message.body  # the reader is a network member
    assert "Pending" not in message.body


def test_other_modules_add_their_own_section(make_user):
    subscriber(make_user)

    def upcoming_events(*, user, start, end):
        return DigestSection(
            key="events",
            title="Upcoming events",
            items=[DigestItem(title="Webinar on OST", url="http://127.0.0.1:8000/en/e/1/")],
        )

    digest.digest_section_register("events", upcoming_events, position=30)
    try:
        digest_send()
    finally:
        digest._sections.pop("events")

    (message,) = mail.outbox
    assert "== Upcoming events ==" in message.body
    assert "Webinar on OST" in message.body


def test_the_command_the_task_and_housekeeping_send_it_once(make_user, capsys):
    from hrnet.news.tasks import digest_send_weekly

    subscriber(make_user)
    ArticleFactory.create()

    call_command("digest_send")
    call_command("digest_send")
    result = digest_send_weekly.enqueue()
    call_command("housekeeping")

    assert len(mail.outbox) == 1
    assert "Digests sent: 1" in capsys.readouterr().out
    assert result.return_value is not None
    assert result.return_value["sent"] == 0


# --- unsubscribing ----------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_signing_in_and_stops_the_next_digest(make_user, client):
    user = subscriber(make_user)
    last_week = timezone.now() - timedelta(days=7)
    ArticleFactory.create(published_at=last_week - timedelta(days=1))
    digest_send(now=last_week)
    path = unsubscribe_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert user.email in page.content.decode()
    assert "<button" in page.content.decode()
    assert DigestSubscription.objects.filter(user=user).exists()  # a GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "will no longer receive" in done.content.decode()
    assert not DigestSubscription.objects.filter(user=user).exists()

    ArticleFactory.create(published_at=timezone.now() - timedelta(days=1))
    report = digest_send()
    assert report.sent == 0
    assert len(mail.outbox) == 1


def test_one_click_unsubscribe_by_a_mail_client_needs_no_csrf_token(make_user):
    from django.test import Client

    user = subscriber(make_user)
    ArticleFactory.create()
    digest_send()
    path = unsubscribe_path(mail.outbox[0])

    response = Client(enforce_csrf_checks=True).post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not DigestSubscription.objects.filter(user=user).exists()


@pytest.mark.parametrize("how", ["tampered", "other_salt", "garbage"])
def test_a_tampered_token_is_refused(how, make_user, client):
    from django.core import signing

    user = subscriber(make_user)
    other = subscriber(make_user)
    token = digest.digest_token(user)
    if how == "tampered":
        # Another member's id with this member's signature.
        _value, signature = token.split(":", 1)
        token = signing.dumps(other.pk, salt="x").split(":", 1)[0] + ":" + signature
    elif how == "other_salt":
        token = signing.dumps(other.pk)
    else:
        token = "nonsense"

    assert client.get(f"/en/news/digest/unsubscribe/{token}/").status_code == 400
    response = client.post(f"/en/news/digest/unsubscribe/{token}/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert DigestSubscription.objects.count() == 2


def test_a_script_payload_stays_text_in_the_html_email(make_user):
    subscriber(make_user)
    ArticleFactory.create(title='<script>alert("x")</script>', lead="<img src=x onerror=alert(1)>")

    digest_send()

    (message,) = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str)
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_the_digest_lists_the_newest_first(make_user):
    subscriber(make_user)
    ArticleFactory.create(title="Older", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory.create(title="Newer", published_at=timezone.now() - timedelta(days=1))

    digest_send()

    body = mail.outbox[0].body
    assert body.index("Newer") < body.index("Older")
