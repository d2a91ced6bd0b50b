from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "hrnet.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        # Imported here: models cannot be imported before the app registry is ready.
        from hrnet.core.trash import register_trash
        from hrnet.news.models import Article
        from hrnet.news.search_documents import article_search_document
        from hrnet.search.documents import register_searchable

        register_trash(Article)
        register_searchable(Article, article_search_document)
