"""What the search sees of a resource (the contract in `hrnet.search.documents`)."""

from __future__ import annotations

from hrnet.core.rendering import body_text
from hrnet.library.extraction import MAX_CHARS
from hrnet.library.models import Resource
from hrnet.search.documents import SearchDocument


def resource_search_document(resource: Resource) -> SearchDocument | None:
    """A published resource as a search document; None for submissions, rejections and
    anything in the trash."""
    if resource.status != Resource.Status.PUBLISHED or resource.published_at is None:
        return None
    if resource.in_trash:
        return None
    texts = [body_text(resource.description)]
    texts.extend(resource.files.exclude(extracted_text="").values_list("extracted_text", flat=True))
    body = "\n\n".join(text for text in texts if text)[: 2 * MAX_CHARS]
    return SearchDocument(
        kind=resource.type,
        language=resource.language,
        title=resource.title,
        summary=resource.summary,
        body=body,
        url_name="library:resource_detail",
        published_at=resource.published_at,
        visibility=resource.visibility,
        issue_areas=list(resource.issue_areas.values_list("code", flat=True)),
        countries=list(resource.countries.values_list("iso2", flat=True)),
        year=resource.publication_date.year if resource.publication_date else None,
    )
