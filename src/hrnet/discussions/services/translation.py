"""Machine translation of a post through a self-hosted LibreTranslate server, kept per post
and language (`PostTranslation`) so each text is sent once.

Off by default: only when `HRNET_TRANSLATE_URL` is set (with `HRNET_TRANSLATE_API_KEY`
if the server asks for one). The call is made while the reader waits, so it is short and
bounded: one POST with a 5-second timeout, no retries; a server that is down, slow or
answers an error gives the reader a clear message and nothing is cached. The server is
not trusted: what it returns goes through the project's one HTML sanitiser before it is
stored. Posts hold the network's own discussions: point this only at a server the
network runs itself."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hrnet.core.rendering import body_html, sanitise_html
from hrnet.core.types import Actor
from hrnet.discussions.models import Post, PostTranslation
from hrnet.discussions.policies import post_policy

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
MAX_ANSWER_BYTES = 1_000_000  # a post is at most 20,000 characters


def translation_enabled() -> bool:
    return bool(str(getattr(settings, "HRNET_TRANSLATE_URL", "") or "").strip())


def _request(*, html: str, source: str, target: str) -> str:
    """The translated HTML, as the server returned it (not yet sanitised)."""
    payload: dict[str, Any] = {"q": html, "source": source, "target": target, "format": "html"}
    if settings.HRNET_TRANSLATE_API_KEY:
        payload["api_key"] = settings.HRNET_TRANSLATE_API_KEY
    url = str(settings.HRNET_TRANSLATE_URL).strip().rstrip("/") + "/translate"
    if not url.startswith(("http://", "https://")):
        raise ValueError("HRNET_TRANSLATE_URL must be an http or https address")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        answer = json.loads(response.read(MAX_ANSWER_BYTES))
    translated = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(translated, str) or not translated.strip():
        raise ValueError("the translation server's answer has no translatedText")
    return translated


def post_translate(*, actor: Actor, post: Post, language: str) -> PostTranslation:
    """The post's text in `language` (a machine translation): the kept one while the post
    is unchanged, else fetched from the server now."""
    post_policy.require(actor, "translate", post)
    if not translation_enabled():
        raise ValidationError(_("Machine translation is not available on this site."))
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValidationError(
            {
                "language": _("“%(language)s” is not a language of this site.")
                % {"language": language}
            }
        )
    if language == post.language:
        raise ValidationError({"language": _("This post is already in that language.")})
    kept = PostTranslation.objects.filter(post=post, language=language).first()
    if kept is not None and kept.source_body == post.body:
        return kept
    try:
        translated = _request(html=str(body_html(post.body)), source=post.language, target=language)
    except (OSError, ValueError) as exc:
        # URLError, HTTPError, timeouts and refused connections are OSErrors; a bad answer
        # (not JSON, no translation) is a ValueError.
        logger.warning("Machine translation of post %s failed: %s", post.pk, exc)
        raise ValidationError(
            _(
                "The translation service did not answer. Please try again later, or read "
                "the post in its own language."
            )
        ) from None
    translation, _created = PostTranslation.objects.update_or_create(
        post=post,
        language=language,
        defaults={
            "body_html": sanitise_html(translated),
            "source_body": post.body,
            "created_at": timezone.now(),
        },
    )
    return translation
