"""What the search sees of an article (registered in NewsConfig.ready())."""

from __future__ import annotations

from hrnet.core.rendering import body_text
from hrnet.news.models import Article
from hrnet.search.documents import PUBLIC, SearchDocument


def article_search_document(article: Article) -> SearchDocument | None:
    """None for a draft; a scheduled article is indexed with its future time, and the
    search hides it until then."""
    if article.published_at is None:
        return None
    return SearchDocument(
        kind=article.kind,
        language=article.language,
        title=article.title,
        summary=article.lead,
        body=body_text(article.body),
        url_name="news:article_detail",
        published_at=article.published_at,
        visibility=PUBLIC,
        issue_areas=sorted(article.issue_areas.values_list("code", flat=True)),
        countries=sorted(article.countries.values_list("iso2", flat=True)),
        year=article.published_at.year,
    )
