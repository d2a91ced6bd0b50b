"""Member discussions: categories (public, members-only or for named working groups),
threads and their posts with revisions and attachments, who follows what, notifications,
read markers, flags for moderation and cached machine translations.

What a person may read is decided by the category alone (`policies.category_readable`);
every list, page, API answer, search entry, feed and email asks it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrnet.core.i18n import localized
from hrnet.core.models import IssueArea, TimeStampedModel
from hrnet.core.storage import private_storage
from hrnet.geo.models import SubRegion


class WorkingGroup(TimeStampedModel):
    """A named group of people (a working group, the steering committee) that a category
    can be restricted to. The secretariat keeps its members."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    names = models.JSONField(_("name"), default=dict)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="working_groups",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering: ClassVar[list[str]] = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.slug


class Category(TimeStampedModel):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone can read; members write")
        MEMBERS = "members", _("Members only")
        GROUP = "group", _("Only the working groups named")

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        ISSUE_AREA = "issue_area", _("Issue area")
        SUBREGION = "subregion", _("Sub-region")
        WORKING_GROUP = "working_group", _("Working group")

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    names = models.JSONField(_("name"), default=dict)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    issue_area = models.ForeignKey(
        IssueArea,
        verbose_name=_("issue area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subregion = models.ForeignKey(
        SubRegion,
        verbose_name=_("sub-region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("who can read"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="categories", verbose_name=_("working groups")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Kept by the services, so a category list never counts its threads.
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("discussion category")
        verbose_name_plural = _("discussion categories")
        ordering: ClassVar[list[str]] = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names) or self.slug

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class Thread(TimeStampedModel):
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    # Kept by the services: the category page reads them instead of counting posts.
    reply_count = models.PositiveIntegerField(_("replies"), default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)  # numbers posts
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now, editable=False)
    last_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering: ClassVar[list[str]] = ["-pinned", "-last_post_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["category", "-pinned", "-last_post_at", "-id"],
                name="discussions_thread_page",
                condition=Q(hidden_at__isnull=True),
            ),
            models.Index(fields=["-last_post_at", "-id"], name="discussions_thread_latest"),
        ]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    number = models.PositiveIntegerField(_("number"))  # 1 is the opening post
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    mentioned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentioned")
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering: ClassVar[list[str]] = ["thread", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["thread", "number"], name="discussions_post_number")
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"


class PostRevision(models.Model):
    """The text a post had before an edit: every edit keeps the one it replaced."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("text"))
    title = models.CharField(_("title"), max_length=200, blank=True)  # opening posts
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering: ClassVar[list[str]] = ["post", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} ({self.replaced_at:%Y-%m-%d %H:%M})"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"discussions/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file attached to a post, in the private storage: handed out only to those who
    may read the thread."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_attachment_path, max_length=300
    )
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Preference(models.Model):
    """How a person wants to hear of what they follow."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each new post")
        DAILY = "daily", _("One summary a day")
        NEVER = "never", _("No emails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_preference"
    )
    email = models.CharField(
        _("emails"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )
    # The name others write after @ to mention this person (see `mentions`).
    handle = models.SlugField(_("mention name"), max_length=60, unique=True)
    daily_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return self.handle


class Watch(models.Model):
    """A person follows a thread or a whole category."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("followed thread or category")
        verbose_name_plural = _("followed threads and categories")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, category__isnull=True)
                | Q(thread__isnull=True, category__isnull=False),
                name="discussions_watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="discussions_watch_thread_once",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="discussions_watch_category_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread_id or self.category_id}"


class Notification(models.Model):
    """A post someone should hear of, once: written with the post, emailed by the
    worker (`services.notifications`), at once or in the daily summary."""

    class Reason(models.TextChoices):
        MENTION = "mention", _("You were mentioned")
        THREAD = "thread", _("A thread you follow")
        CATEGORY = "category", _("A category you follow")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(default=False)  # not emailed: no longer readable, or "never"

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "post"], name="discussions_notification_once")
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["user", "created_at"],
                name="discussions_notification_due",
                condition=Q(emailed_at__isnull=True, skipped=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} {self.post_id} → {self.user_id}"


class ThreadRead(models.Model):
    """How far a person has read a thread: posts numbered above it are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "thread"], name="discussions_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.last_read_number}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("It exposes someone's personal data or safety")
        OFFENSIVE = "offensive", _("It is abusive or stigmatising")
        SPAM = "spam", _("It is spam or advertising")
        OFF_TOPIC = "off_topic", _("It is off topic")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting")
        HIDDEN = "hidden", _("Post hidden")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN, db_index=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering: ClassVar[list[str]] = ["created_at", "id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["post", "flagged_by"],
                condition=Q(outcome="open"),
                name="discussions_flag_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.post})"


class PostTranslation(models.Model):
    """A machine translation of a post, fetched once per language and kept."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    body_html = models.TextField()
    source_body = models.TextField()  # the text translated: a later edit makes it stale
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["post", "language"], name="discussions_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} ({self.language})"
