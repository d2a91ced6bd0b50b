from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "hrnet.discussions"
    label = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.discussions.models import Post
        from hrnet.discussions.privacy import (
            account_discussion_data,
            account_discussion_data_erase,
        )
        from hrnet.discussions.search_documents import (
            REPLY_KIND,
            THREAD_KIND,
            post_search_document,
            user_audiences,
        )
        from hrnet.members.services.privacy import personal_data_register
        from hrnet.search.documents import register_audience, register_searchable

        register_searchable(
            Post,
            post_search_document,
            kinds={THREAD_KIND: _("Discussion"), REPLY_KIND: _("Reply in a discussion")},
        )
        register_audience(user_audiences)
        personal_data_register(export=account_discussion_data, erase=account_discussion_data_erase)
