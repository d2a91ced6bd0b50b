"""Journey: Aigerim, a member, reads a thread of a members-only category on a small phone
in Russian; Bolat, another member, replies through the form and mentions her by her
@name (picked from the suggestions under the text box); the worker sends the emails and
Aigerim gets hers, in Russian, with the link to the reply, which opens it. An anonymous
visitor cannot find the thread: not in the category list, the search, the feed, nor at
its address. Screenshots go to /tmp/shots/ (discussions-*.png) for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

from django.core import mail
from playwright.sync_api import expect

from hrnet.accounts.roles import Role
from hrnet.accounts.tests.factories import PASSWORD
from hrnet.discussions.models import Post
from hrnet.discussions.services.notifications import notifications_send
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
    members_category,
    public_category,
    thread_with_posts,
)

SHOTS = Path("/tmp/shots")  # noqa: S108 - screenshots for people to look at
TITLE = "Налоксон в Каракалпакстане: где купить?"
WORD = "Каракалпакстане"  # found nowhere else on the site


def sign_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/ru/accounts/login/?next={next_path}")
    page.locator("input[name=username], input[type=email]").first.fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_a_member_is_mentioned_in_a_members_only_thread_that_outsiders_never_find(
    live_server, browser, make_user
):
    # given: two members, a members-only category with Aigerim's thread, and a public one
    aigerim = make_user(
        Role.MEMBER,
        full_name="Айгерим Нурланова",
        email="aigerim@example.org",
        preferred_language="ru",
    )
    bolat = make_user(Role.MEMBER, full_name="Bolat Serikov", email="bolat@example.org")
    lounge = members_category(names={"en": "Members' lounge", "ru": "Для членов сети"})
    public_category(names={"en": "Open questions", "ru": "Открытые вопросы"})
    thread = thread_with_posts(
        author=aigerim,
        category=lounge,
        title=TITLE,
        body=f"В аптеках в {WORD} налоксона нет уже месяц. Кто знает, где его найти?",
        language="ru",
    )
    handle = preference_for(aigerim).handle
    base = live_server.url
    thread_path = f"/ru/discussions/t/{thread.pk}/"
    SHOTS.mkdir(exist_ok=True)

    # when: Aigerim opens the thread on her phone, in Russian
    phone = browser.new_context(viewport={"width": 360, "height": 780}, locale="ru-RU")
    aigerim_page = phone.new_page()
    aigerim_page.set_default_timeout(15_000)
    sign_in(aigerim_page, base, aigerim.email, "/ru/discussions/")
    expect(aigerim_page.get_by_role("heading", level=1)).to_have_text("Обсуждения")
    aigerim_page.get_by_role("heading", name="Для членов сети").get_by_role("link").click()
    aigerim_page.get_by_role("link", name=TITLE).click()

    # then: the thread reads well at 360 px
    expect(aigerim_page).to_have_url(f"{base}{thread_path}")
    expect(aigerim_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(aigerim_page.locator("#post-1")).to_contain_text("налоксона нет уже месяц")
    expect(aigerim_page.locator("#reply")).to_contain_text("Ваш ответ")
    assert aigerim_page.evaluate("document.documentElement.scrollWidth") <= 360
    aigerim_page.screenshot(path=str(SHOTS / "discussions-thread-ru-360.png"), full_page=True)

    # when: Bolat, on his laptop in English, replies through the form and mentions her
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    bolat_page = laptop.new_page()
    bolat_page.set_default_timeout(15_000)
    sign_in(bolat_page, base, bolat.email, f"/en/discussions/t/{thread.pk}/")
    box = bolat_page.get_by_role("textbox", name="Text")
    box.press_sequentially("@" + handle[:4])
    # (the suggestions under the box write her @name in full)
    bolat_page.locator(".discussion-mentions button", has_text="Айгерим Нурланова").click()
    expect(box).to_have_value(f"@{handle} ")
    box.press_sequentially("the pharmacy on Dostyk street had **two boxes** yesterday.")
    bolat_page.get_by_role("button", name="Post the reply").click()

    # then: the reply is on the page, and Aigerim is recorded as mentioned
    expect(bolat_page.locator("#post-2")).to_contain_text("two boxes")
    expect(bolat_page.locator("#post-2 strong")).to_have_text("two boxes")
    bolat_page.screenshot(path=str(SHOTS / "discussions-reply-en-1280.png"), full_page=True)
    reply = Post.objects.get(thread=thread, number=2)
    assert list(reply.mentioned.all()) == [aigerim]

    # when: the worker sends the emails
    notifications_send()

    # then: Aigerim gets hers, in Russian, with the address of the reply
    to_aigerim = [message for message in mail.outbox if message.to == [aigerim.email]]
    assert len(to_aigerim) == 1
    email = to_aigerim[0]
    assert re.search(r"[А-Яа-яЁё]", email.subject), email.subject
    link = f"/ru/discussions/p/{reply.pk}/"
    assert link in email.body
    assert not [message for message in mail.outbox if bolat.email in message.to]

    # and: the link opens the reply in the thread
    aigerim_page.goto(f"{base}{link}")
    expect(aigerim_page).to_have_url(re.compile(re.escape(thread_path) + r"#post-2$"))
    expect(aigerim_page.locator("#post-2")).to_contain_text("two boxes")
    aigerim_page.screenshot(path=str(SHOTS / "discussions-mentioned-ru-360.png"), full_page=True)
    phone.close()
    laptop.close()

    # then: an anonymous visitor finds the thread nowhere
    visitor = browser.new_context(viewport={"width": 360, "height": 780}, locale="ru-RU")
    anonymous = visitor.new_page()
    anonymous.set_default_timeout(15_000)
    anonymous.goto(f"{base}/ru/discussions/")
    main = anonymous.locator("main")
    expect(main).to_contain_text("Открытые вопросы")
    expect(main).to_contain_text("После входа члены сети видят больше разделов.")
    expect(main).not_to_contain_text("Для членов сети")
    expect(main).not_to_contain_text(WORD)
    anonymous.screenshot(path=str(SHOTS / "discussions-index-anonymous-ru-360.png"), full_page=True)

    anonymous.goto(f"{base}/ru/search/?q={WORD}")
    expect(anonymous.locator("main")).not_to_contain_text(WORD)
    expect(anonymous.locator("main")).not_to_contain_text("налоксона")

    feed = anonymous.request.get(f"{base}/ru/discussions/feed/")
    assert feed.status == 200
    assert WORD not in feed.text()
    assert TITLE not in feed.text()

    for path in (
        thread_path,
        f"/ru/discussions/p/{reply.pk}/",
        f"/ru/discussions/c/{lounge.slug}/",
    ):
        response = anonymous.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 404, path
    visitor.close()
