"""Factories of the discussions tests. Threads and posts are made through the services
where the counters matter (`thread_with_posts`); the factories make bare rows."""

from __future__ import annotations

from typing import Any

import factory

from hrnet.discussions.models import Category, Post, Thread, WorkingGroup
from hrnet.discussions.services.posting import post_create, thread_create


class WorkingGroupFactory(factory.django.DjangoModelFactory[WorkingGroup]):
    class Meta:
        model = WorkingGroup

    slug = factory.Sequence(lambda n: f"group-{n}")
    names = factory.LazyAttribute(lambda o: {"en": f"Group {o.slug}", "ru": f"Группа {o.slug}"})


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"category-{n}")
    names = factory.LazyAttribute(lambda o: {"en": f"Category {o.slug}", "ru": f"Раздел {o.slug}"})
    descriptions = factory.LazyFunction(
        lambda: {"en": "Questions and answers.", "ru": "Вопросы и ответы."}
    )
    visibility = Category.Visibility.MEMBERS

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.set(extracted)


def public_category(**fields: Any) -> Category:
    return CategoryFactory.create(visibility=Category.Visibility.PUBLIC, **fields)


def members_category(**fields: Any) -> Category:
    return CategoryFactory.create(visibility=Category.Visibility.MEMBERS, **fields)


def group_category(group: WorkingGroup, **fields: Any) -> Category:
    return CategoryFactory.create(visibility=Category.Visibility.GROUP, groups=[group], **fields)


def thread_with_posts(
    *,
    author: Any,
    category: Category,
    title: str = "Naloxone stock-outs this winter",
    body: str = "Who else is running out of naloxone?",
    language: str = "en",
    replies: list[tuple[Any, str]] | None = None,
) -> Thread:
    """A thread made through the services (counters, search entries, notifications), with
    `replies` as (author, body)."""
    thread = thread_create(
        actor=author, category=category, title=title, body=body, language=language
    )
    for replier, text in replies or []:
        post_create(actor=replier, thread=thread, body=text, language=language)
    thread.refresh_from_db()
    return thread


def opening_post(thread: Thread) -> Post:
    return thread.posts.get(number=1)
