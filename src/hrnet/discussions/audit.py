"""The audit actions of the discussions."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    THREAD_CREATE = "discussions.thread.create"
    THREAD_LOCK = "discussions.thread.lock"
    THREAD_UNLOCK = "discussions.thread.unlock"
    THREAD_PIN = "discussions.thread.pin"
    THREAD_UNPIN = "discussions.thread.unpin"
    THREAD_MOVE = "discussions.thread.move"
    THREAD_HIDE = "discussions.thread.hide"
    THREAD_UNHIDE = "discussions.thread.unhide"
    POST_CREATE = "discussions.post.create"
    POST_EDIT = "discussions.post.edit"
    POST_HIDE = "discussions.post.hide"
    POST_UNHIDE = "discussions.post.unhide"
    POST_FLAG = "discussions.post.flag"
    FLAG_DISMISS = "discussions.flag.dismiss"
    CATEGORY_CREATE = "discussions.category.create"
    CATEGORY_CHANGE = "discussions.category.change"
    GROUP_CHANGE = "discussions.group.change"
    ATTACHMENT_DOWNLOAD = "discussions.attachment.download"
    PREFERENCE_UNSUBSCRIBE = "discussions.preference.unsubscribe"
