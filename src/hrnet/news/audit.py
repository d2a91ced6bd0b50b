"""The audit actions news logs."""

from hrnet.core.audit import AuditAction


class Action(AuditAction):
    ARTICLE_CREATE = "news.article.create"
    ARTICLE_CHANGE = "news.article.change"
    ARTICLE_PUBLISH = "news.article.publish"
    ARTICLE_SCHEDULE = "news.article.schedule"
    ARTICLE_UNPUBLISH = "news.article.unpublish"
    DIGEST_SUBSCRIBE = "news.digest.subscribe"
    DIGEST_UNSUBSCRIBE = "news.digest.unsubscribe"
