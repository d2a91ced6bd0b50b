"""Elections: the list, an election with its candidates, nominations, the committee's
review, the roll, voting and the receipt, the public receipt check, results, bulletin.

(PLACEHOLDER: being written.)"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def election_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def election(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def election_edit(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def election_announce(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def roll(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def nominate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def candidates_review(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def candidate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def vote(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def receipt_check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def results(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def bulletin(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
