"""A person's own discussion page (unread, following, emails, mention name), the
suggestions of people to @mention, and the one-click unsubscribe from discussion emails."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrnet.accounts.roles import Role
from hrnet.core.models import AuditEntry
from hrnet.discussions.models import Preference, Watch
from hrnet.discussions.services import following, moderation
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.services.posting import post_create
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    group_category,
    members_category,
    public_category,
    thread_with_posts,
)
from hrnet.discussions.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db

SETTINGS = "/en/discussions/settings/"
MENTIONS = "/en/discussions/mentions/"


@pytest.fixture
def aigerim(make_user: Any) -> Any:
    return make_user(Role.MEMBER, full_name="Айгерим Нурланова", email="aigerim@example.org")


# --- my discussions ---------------------------------------------------------------------


def test_my_discussions_needs_a_sign_in(client: Any) -> None:
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_sees_their_mention_name_and_changes_their_emails(
    client: Any, aigerim: Any
) -> None:
    client.force_login(aigerim)

    page = client.get(SETTINGS).content.decode()
    response = client.post(SETTINGS, {"action": "email", "email": "daily"})
    wrong = client.post(SETTINGS, {"action": "email", "email": "hourly"})

    assert "Others mention you as <strong>@aygerim.nurlanova</strong>" in page
    assert re.search(r'value="immediate"[^>]*checked', page)
    assert response.status_code == 302
    assert wrong.status_code == 400
    assert Preference.objects.get(user=aigerim).email == Preference.Email.DAILY


def test_followed_threads_and_categories_are_listed_and_can_be_left(
    client: Any, member: Any, aigerim: Any
) -> None:
    category = members_category(names={"en": "Harm reduction in prisons"})
    thread = thread_with_posts(author=member, category=category, title="Needle exchange in prisons")
    following.thread_watch(actor=aigerim, thread=thread, watching=True)
    following.category_watch(actor=aigerim, category=category, watching=True)
    client.force_login(aigerim)

    page = client.get(SETTINGS).content.decode()
    client.post(SETTINGS, {"action": "unfollow_thread", "id": str(thread.pk)})
    client.post(SETTINGS, {"action": "unfollow_category", "id": str(category.pk)})

    assert "Needle exchange in prisons" in page
    assert "Harm reduction in prisons" in page
    assert not Watch.objects.filter(user=aigerim).exists()
    after = client.get(SETTINGS).content.decode()
    assert "You follow no thread yet." in after
    assert "You follow no category." in after


def test_unread_posts_in_what_one_follows_are_listed_first(
    client: Any, member: Any, aigerim: Any
) -> None:
    thread = thread_with_posts(
        author=aigerim, category=members_category(), title="Take-home methadone"
    )
    thread_with_posts(author=member, category=members_category(), title="Not followed")
    post_create(actor=member, thread=thread, body="We started in May.", language="en")
    client.force_login(aigerim)

    page = client.get(SETTINGS).content.decode()

    unread = page[page.index('id="unread"') : page.index('id="threads-heading"')]
    assert "Take-home methadone" in unread
    assert "1 unread" in unread
    assert "Not followed" not in page


def test_a_followed_thread_moved_out_of_reach_is_not_named(
    client: Any, member: Any, secretariat: Any
) -> None:
    thread = thread_with_posts(
        author=member, category=members_category(), title="Moved to the steering committee"
    )
    moderation.thread_move(
        actor=secretariat, thread=thread, category=group_category(WorkingGroupFactory.create())
    )
    client.force_login(member)

    page = client.get(SETTINGS).content.decode()
    response = client.post(SETTINGS, {"action": "unfollow_thread", "id": str(thread.pk)})

    assert "Moved to the steering committee" not in page
    assert response.status_code == 302


# --- mention suggestions --------------------------------------------------------------------


def test_mention_suggestions_are_for_signed_in_network_members_only(
    client: Any, make_user: Any, aigerim: Any
) -> None:
    assert client.get(MENTIONS, {"q": "айг"}).status_code == 403
    client.force_login(make_user(Role.SITESTAFF))
    response = client.get(MENTIONS, {"q": "айг"})
    assert response.status_code == 403
    assert "aigerim" not in response.content.decode()


def test_suggestions_match_names_and_mention_names_in_any_case_and_script(
    client: Any, member: Any, aigerim: Any, make_user: Any
) -> None:
    make_user(Role.MEMBER, full_name="Ayana Toktogulova")
    make_user(Role.SITESTAFF, full_name="Айгуль Outside")  # not in the network
    make_user(Role.MEMBER, full_name="Айдана Closed", is_active=False)
    client.force_login(member)

    by_cyrillic = client.get(MENTIONS, {"q": "айг"}).json()
    by_latin = client.get(MENTIONS, {"q": "@NURLANOVA"}).json()
    by_surname = client.get(MENTIONS, {"q": "Нурл"}).json()
    by_both = client.get(MENTIONS, {"q": "ay"}).json()

    expected = {"handle": "aygerim.nurlanova", "name": "Айгерим Нурланова"}
    assert by_cyrillic == [expected]
    assert by_latin == [expected]
    assert by_surname == [expected]
    assert [item["name"] for item in by_both] == ["Ayana Toktogulova", "Айгерим Нурланова"]
    # the mention name is made on first use, and stays
    assert Preference.objects.get(user=aigerim).handle == "aygerim.nurlanova"


def test_suggestions_never_show_or_search_an_email_address(
    client: Any, member: Any, make_user: Any
) -> None:
    make_user(Role.MEMBER, full_name="Quiet Person", email="quiet.person@example.org")
    make_user(Role.MEMBER, full_name="", email="hidden.name@example.org")
    client.force_login(member)

    found = client.get(MENTIONS, {"q": "quiet"})
    by_address = client.get(MENTIONS, {"q": "hidden"})

    assert found.json() == [{"handle": "quiet.person", "name": "Quiet Person"}]
    assert "example.org" not in found.content.decode()
    assert by_address.json() == []


def test_short_queries_answer_nothing_and_at_most_eight_people_come(
    client: Any, member: Any, make_user: Any
) -> None:
    for number in range(12):
        make_user(Role.MEMBER, full_name=f"Olga Member {number:02}")
    client.force_login(member)

    assert client.get(MENTIONS, {"q": "o"}).json() == []
    names = [item["name"] for item in client.get(MENTIONS, {"q": "olga"}).json()]
    assert len(names) == 8
    assert names == sorted(names)


def test_suggestions_leave_out_the_person_asking(client: Any, aigerim: Any) -> None:
    client.force_login(aigerim)
    assert client.get(MENTIONS, {"q": "aygerim"}).json() == []


# --- unsubscribe -----------------------------------------------------------------------------


def _unsubscribe_url(user: Any) -> str:
    return reverse("discussions:unsubscribe", args=[unsubscribe_token(user)])


def test_opening_the_unsubscribe_link_only_asks(client: Any, aigerim: Any) -> None:
    response = client.get(_unsubscribe_url(aigerim))

    content = response.content.decode()
    assert response.status_code == 200
    assert "aigerim@example.org" in content
    assert "<button" in content
    assert preference_for(aigerim).email == Preference.Email.IMMEDIATE


def test_the_one_click_post_stops_the_emails_without_a_csrf_token(aigerim: Any) -> None:
    mail_client = Client(enforce_csrf_checks=True)  # as a mail provider POSTs (RFC 8058)

    response = mail_client.post(_unsubscribe_url(aigerim), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "No more discussion emails will be sent to aigerim@example.org" in (
        response.content.decode()
    )
    assert Preference.objects.get(user=aigerim).email == Preference.Email.NEVER
    assert AuditEntry.objects.filter(action="discussions.preference.unsubscribe").count() == 1


def test_a_broken_unsubscribe_link_says_so(client: Any, aigerim: Any) -> None:
    token = unsubscribe_token(aigerim)

    response = client.post(reverse("discussions:unsubscribe", args=[token[:-3] + "xyz"]))

    assert response.status_code == 400
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert preference_for(aigerim).email == Preference.Email.IMMEDIATE


def test_someone_who_follows_nothing_sees_what_following_does(client: Any, member: Any) -> None:
    thread_with_posts(author=member, category=public_category())
    Watch.objects.all().delete()
    client.force_login(member)

    page = client.get(SETTINGS).content.decode()

    assert "Nothing unread" in page
    assert "You follow no thread yet." in page


def test_my_discussions_speaks_russian(client: Any, aigerim: Any) -> None:
    client.force_login(aigerim)

    page = client.get("/ru/discussions/settings/").content.decode()

    assert "<h1>Мои обсуждения</h1>" in page
    assert "Письмо о каждом новом сообщении" in page
    assert "@aygerim.nurlanova" in page
