"""A person's discussions in their data export, and erasure: their posts stay as by a
former member, with what named them taken out."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hrnet.accounts.roles import Role
from hrnet.discussions.models import (
    Attachment,
    Flag,
    Notification,
    Post,
    PostRevision,
    PostTranslation,
    Preference,
    Thread,
    ThreadRead,
    Watch,
)
from hrnet.discussions.services import following, moderation, posting
from hrnet.discussions.services.people import preference_for
from hrnet.discussions.tests.factories import (
    WorkingGroupFactory,
    members_category,
    opening_post,
    thread_with_posts,
)
from hrnet.members.services.privacy import person_data_export, person_erase
from hrnet.members.tests.factories import PersonFactory
from hrnet.search.models import SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]


def _picture() -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(output, format="PNG")
    return SimpleUploadedFile("stock.png", output.getvalue(), "image/png")


def test_the_export_lists_posts_threads_follows_flags_and_settings(
    member: Any, make_user: Any, secretariat: Any
) -> None:
    user = make_user(Role.MEMBER, full_name="Olena Kovalenko")
    person = PersonFactory.create(user=user, full_name="Olena Kovalenko")
    category = members_category(names={"en": "Central Asia", "ru": "Центральная Азия"})
    thread = thread_with_posts(
        author=user, category=category, title="OST take-home doses", body="Five days in Osh?"
    )
    other = thread_with_posts(author=member, category=category, title="NSP funding")
    posting.post_create(actor=user, thread=other, body="We lose ours in June.")
    following.category_watch(actor=user, category=category, watching=True)
    moderation.post_flag(actor=user, post=opening_post(other), reason="off_topic")
    following.preference_change(actor=user, email="daily")
    # when
    exported = person_data_export(person=person, actor=secretariat)
    # then
    assert exported["discussion_threads_started"][0]["title"] == "OST take-home doses"
    posts = [(p["thread"], p["number"], p["body"]) for p in exported["discussion_posts"]]
    assert posts == [
        ("OST take-home doses", 1, "Five days in Osh?"),
        ("NSP funding", 2, "We lose ours in June."),
    ]
    assert exported["discussion_posts"][0]["language"] == "en"
    assert {"category": "Central Asia"} in exported["discussion_following"]
    assert {"thread": "NSP funding"} in exported["discussion_following"]  # replied: followed
    assert exported["discussion_flags"][0]["reason"] == "off_topic"
    assert exported["discussion_settings"]["emails"] == "daily"
    assert thread.pk == exported["discussion_posts"][0]["thread_id"]


def test_erasure_keeps_the_posts_as_by_a_former_member(
    member: Any, make_user: Any, secretariat: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given: a member who started a thread (with a picture), replied, was mentioned,
    # edited a post, flagged one, follows, reads, is in a working group and waits for
    # an email
    user = make_user(Role.MEMBER, full_name="Olena Kovalenko", email="olena@example.org")
    person = PersonFactory.create(user=user, full_name="Olena Kovalenko", email=user.email)
    handle = preference_for(user).handle
    group = WorkingGroupFactory.create()
    group.members.add(user)
    category = members_category()
    thread = posting.thread_create(
        actor=user,
        category=category,
        title="Naloxone stock-outs in Kyiv",
        body="Write to me at olena@example.org if you have spare kits.",
        files=[_picture()],
    )
    own = opening_post(thread)
    reply = posting.post_create(actor=user, thread=thread, body="First version")
    posting.post_edit(actor=user, post=reply, body="Second version")
    other = thread_with_posts(author=member, category=category, title="Police at the NSP")
    mention = posting.post_create(
        actor=member, thread=other, body=f"@{handle}, you saw this in Kyiv? cc @{handle}x"
    )
    moderation.post_flag(actor=user, post=mention, reason="off_topic")
    following.thread_read_mark(actor=user, thread=other, number=1)
    Notification.objects.get_or_create(user=user, post=mention, reason="mention")
    PostTranslation.objects.create(
        post=own, language="ru", body_html="<p>olena@example.org</p>", source_body=own.body
    )
    [attachment] = Attachment.objects.all()
    stored = attachment.file.name
    storage = attachment.file.storage
    assert storage.exists(stored)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person, actor=secretariat, reason="Asked by email")

    # then: the conversation stays, without her
    thread.refresh_from_db()
    assert thread.author is None
    assert thread.last_author is None
    assert thread.post_count == 2
    assert not Post.objects.filter(author=user).exists()
    own.refresh_from_db()
    assert "olena@example.org" not in own.body
    assert "Erased person" in own.body
    assert own.body.startswith("Write to me at")
    mention.refresh_from_db()
    assert mention.author == member
    assert f"@{handle}," not in mention.body
    assert mention.body.startswith("Erased person")
    assert f"@{handle}x" in mention.body  # someone else's mention name is left alone
    assert not mention.mentioned.exists()
    assert PostRevision.objects.get(post=reply).editor is None
    flag = Flag.objects.get(post=mention)
    assert flag.flagged_by is None
    assert flag.reason == "off_topic"
    # ... and nothing of hers is left in the discussions
    assert not Attachment.objects.exists()
    assert not storage.exists(stored)
    assert not PostTranslation.objects.exists()
    assert not Preference.objects.filter(user=user).exists()
    assert not Watch.objects.filter(user=user).exists()
    assert not ThreadRead.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert not group.members.filter(pk=user.pk).exists()
    assert Thread.objects.filter(author=user).count() == 0
    # The search finds the posts, and not her address or mention name.
    texts = " ".join(SearchEntry.objects.values_list("body", flat=True))
    assert "Write to me at" in texts
    assert "olena@example.org" not in texts
    assert f"@{handle}," not in texts
