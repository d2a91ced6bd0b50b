"""The pages of the discussions, one module per kind of work; `urls.py` reaches them
through this package."""

from hrnet.discussions.views.moderation import (
    flag_queue,
    group_edit,
    group_list,
    post_moderate,
    thread_moderate,
)
from hrnet.discussions.views.people import mention_suggest, settings_page, unsubscribe
from hrnet.discussions.views.reading import attachment, category, index, post, post_history, thread
from hrnet.discussions.views.writing import (
    category_watch,
    post_edit,
    post_flag,
    post_translate,
    thread_new,
    thread_reply,
    thread_watch,
)

__all__ = [
    "attachment",
    "category",
    "category_watch",
    "flag_queue",
    "group_edit",
    "group_list",
    "index",
    "mention_suggest",
    "post",
    "post_edit",
    "post_flag",
    "post_history",
    "post_moderate",
    "post_translate",
    "settings_page",
    "thread",
    "thread_moderate",
    "thread_new",
    "thread_reply",
    "thread_watch",
    "unsubscribe",
]
