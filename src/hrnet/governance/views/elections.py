"""Elections: the list, an election with its candidates, nominations, the committee's
review, the roll, voting and the receipt, the public receipt check, results, bulletin.

Secrecy on these pages: the receipt is shown once, in the answer to the vote itself
(never at an address, never cached); who voted is shown as yes or no; results exist for
readers only once published (before that, only the committee and the secretariat see
the count, after voting has closed), and a missing result answers 404 like a missing
page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hrnet.accounts.middleware import visitor_time_zone_known
from hrnet.accounts.models import User
from hrnet.core.audit import log_action
from hrnet.core.forms import add_service_errors
from hrnet.core.i18n import LANGUAGE_CODES, language_name
from hrnet.core.throttle import address_key, throttle_hit
from hrnet.governance import selectors
from hrnet.governance.audit import Action
from hrnet.governance.forms.elections import (
    BallotForm,
    DecisionForm,
    DelegateForm,
    ElectionForm,
    NominateForm,
    PublishForm,
    ReceiptForm,
    constituency_formset,
)
from hrnet.governance.models import Candidate, Election, RollEntry
from hrnet.governance.policies import (
    candidate_policy,
    election_policy,
    on_committee,
    roll_policy,
)
from hrnet.governance.services import elections as services
from hrnet.governance.services.ballots import AlreadyVoted, ballot_cast, choices_check
from hrnet.governance.services.results import (
    CONFIRMATIONS_NEEDED,
    result_confirm,
    results_publish,
)
from hrnet.governance.services.roll import roll_freeze
from hrnet.governance.tally import bulletin as bulletin_of
from hrnet.members.policies import is_network_member, is_secretariat, person_of

# The public receipt check is a guessing surface: this many checks per address an hour.
RECEIPT_CHECKS_PER_HOUR = 30
ME = "me"  # `vote_for` of one's own vote as an individual member


def _actor(request: HttpRequest) -> User:
    """Who acts, for a service: a visitor gets as far as the service's policy check,
    which refuses them."""
    return cast(User, request.user)


def _zone(request: HttpRequest) -> dict[str, Any]:
    return {"zone_is_visitors": visitor_time_zone_known(request)}


def _login_or_404(request: HttpRequest) -> HttpResponse:
    """A visitor is asked to sign in; a signed-in reader without access gets 404, as for
    what does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def _election(request: HttpRequest, pk: int) -> Election | None:
    try:
        return selectors.election_get(user=request.user, pk=pk)
    except Election.DoesNotExist:
        return None


# --- the list and an election ------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    elections = list(selectors.election_list(user=user).select_related("roll"))
    states = selectors.voter_states(user=user, elections=elections)
    member = is_network_member(user) or is_secretariat(user)
    rows = [
        {
            "election": e,
            "state": states[e.pk],
            # Outside the network an election is read through its published result.
            "readable": election_policy.user_has_permission_for_instance(user, "view", e),
        }
        for e in elections
    ]
    return render(
        request,
        "governance/index.html",
        {
            "rows": rows,
            "assemblies": selectors.index_assemblies(user=user),
            "member": member,
            "may_add": election_policy.user_has_permission(user, "add"),
            **_zone(request),
        },
    )


def _delegate_forms(request: HttpRequest, election: Election) -> list[dict[str, Any]]:
    if election.status in (Election.Status.CLOSED, Election.Status.PUBLISHED):
        return []
    return [
        {
            "row": row,
            "form": DelegateForm(
                initial={"entry": row.entry.pk, "delegate": row.entry.delegate_id},
                admins=row.admins,
                prefix=f"delegate-{row.entry.pk}",
            ),
        }
        for row in selectors.delegate_rows(user=request.user, election=election)
        # A choice only where there is one: several admins, or one designated already.
        if len(row.admins) > 1 or row.entry.delegate_id
    ]


def _delegate_post(request: HttpRequest, election: Election) -> None:
    rows = {r.entry.pk: r for r in selectors.delegate_rows(user=request.user, election=election)}
    raw = request.POST.get("entry", "")
    row = rows.get(int(raw)) if raw.isdigit() else None
    if row is None:
        raise PermissionDenied
    form = DelegateForm(request.POST, admins=row.admins, prefix=f"delegate-{row.entry.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the organisation's admins."))
        return
    chosen = next((u for u in row.admins if u.pk == form.cleaned_data["delegate"]), None)
    try:
        services.delegate_set(
            actor=_actor(request), entry=row.entry, delegate=chosen, request=request
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return
    if chosen is None:
        messages.success(
            request,
            _("Any current admin of %(organisation)s may now cast its vote.")
            % {"organisation": row.entry.name},
        )
    else:
        messages.success(
            request,
            _("%(person)s casts the vote of %(organisation)s.")
            % {"person": chosen.full_name or chosen.email, "organisation": row.entry.name},
        )


def election(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    if request.method == "POST":
        if request.POST.get("action") == "delegate":
            _delegate_post(request, found)
        return redirect("governance:election", found.pk)
    state = selectors.voter_state(user=user, election=found)
    sections = selectors.candidates_accepted(election=found)
    for section in sections:
        for accepted in section.candidates:
            accepted.versions = statements_by_language(accepted.statements)  # type: ignore[attr-defined]
    secretariat = is_secretariat(user)
    committee = on_committee(user, found)
    status = found.status
    return render(
        request,
        "governance/election.html",
        {
            "election": found,
            "status": status,
            "state": state,
            "sections": sections,
            "constituencies": selectors.constituencies_of(found),
            "mine": selectors.my_candidacies(user=user, election=found),
            "delegates": _delegate_forms(request, found),
            "may_vote": election_policy.user_has_permission_for_instance(user, "vote", found),
            "may_nominate": election_policy.user_has_permission_for_instance(
                user, "nominate", found
            ),
            "may_change": election_policy.user_has_permission_for_instance(user, "change", found),
            "may_announce": secretariat and found.announced_at is None,
            "announce_problems": services.announce_problems(found)
            if secretariat and found.announced_at is None
            else [],
            "on_committee": committee,
            "is_secretariat": secretariat,
            "may_read_roll": roll_policy.user_has_permission_for_instance(user, "view", found.roll),
            "results_visible": selectors.results_visible(user=user, election=found),
            "committee_size": found.committee.count(),
            "committee_needed": services.COMMITTEE_NEEDED,
            "roll_frozen": found.roll.frozen_at is not None,
            **_zone(request),
        },
    )


# --- preparing an election (the secretariat) -----------------------------------------------


def _election_form_page(request: HttpRequest, found: Election | None) -> HttpResponse:
    if request.method == "POST":
        form = ElectionForm(request.POST)
        formset = constituency_formset(request.POST, election=found)
        if form.is_valid() and formset.is_valid():
            data = form.election_data(formset.rows())
            try:
                if found is None:
                    found = services.election_create(
                        actor=_actor(request), data=data, request=request
                    )
                    messages.success(request, _("The election is saved as a draft."))
                else:
                    found = services.election_update(
                        actor=_actor(request), election=found, data=data, request=request
                    )
                    messages.success(request, _("The election is saved."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if len(data.committee) < services.COMMITTEE_NEEDED:
                    messages.warning(
                        request,
                        _(
                            "The committee has fewer than two members: two must confirm the "
                            "count, so the election cannot be announced yet."
                        ),
                    )
                return redirect("governance:election", found.pk)
    else:
        form = ElectionForm(initial=ElectionForm.initial_from(found) if found else None)
        formset = constituency_formset(election=found)
    return render(
        request,
        "governance/election_form.html",
        {
            "form": form,
            "formset": formset,
            "election": found,
            "roll_frozen": found is not None and found.roll.frozen_at is not None,
        },
    )


def election_new(request: HttpRequest) -> HttpResponse:
    if not election_policy.user_has_permission(request.user, "add"):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return _election_form_page(request, None)


def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    if not election_policy.user_has_permission_for_instance(request.user, "change", found):
        raise PermissionDenied
    return _election_form_page(request, found)


@require_POST
def election_announce(request: HttpRequest, pk: int) -> HttpResponse:
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    try:
        services.election_announce(actor=_actor(request), election=found, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The election is announced: the network's members can now read it.")
        )
    return redirect("governance:election", found.pk)


# --- the roll ---------------------------------------------------------------------------------


def roll(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    the_roll = found.roll
    if not roll_policy.user_has_permission_for_instance(user, "view", the_roll):
        raise PermissionDenied
    if request.method == "POST":
        try:
            count = roll_freeze(actor=_actor(request), roll=the_roll, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The roll is frozen with %(count)s voters.") % {"count": count},
            )
        return redirect("governance:roll", found.pk)
    rows = list(selectors.roll_rows(election=found))
    if the_roll.frozen_at is not None:
        log_action(
            actor=_actor(request),
            action=Action.ROLL_VIEW,
            obj=the_roll,
            changes={"election": found.pk},
            request=request,
        )
    return render(
        request,
        "governance/roll.html",
        {
            "election": found,
            "roll": the_roll,
            "rows": rows,
            "voted": sum(1 for r in rows if getattr(r, "voted", False)),
            "may_freeze": roll_policy.user_has_permission_for_instance(user, "freeze", the_roll)
            and the_roll.frozen_at is None,
            "freeze_from": the_roll.cutoff,
            "can_freeze_now": timezone.localdate() >= the_roll.cutoff,
            **_zone(request),
        },
    )


# --- nominations and the committee's review -------------------------------------------------


def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    if not election_policy.user_has_permission_for_instance(user, "nominate", found):
        if not is_network_member(user):
            raise PermissionDenied
        messages.error(request, _("Nominations for this election are not open."))
        return redirect("governance:election", found.pk)
    person = person_of(user)
    form = NominateForm(
        request.POST or None,
        request.FILES or None,
        person=person,
        organisations=selectors.organisation_people(user=user),
        constituencies=selectors.constituencies_of(found),
    )
    if request.method == "POST" and form.is_valid():
        nominee, organisation = form.nominee_chosen()
        try:
            candidate = services.candidate_nominate(
                actor=_actor(request),
                election=found,
                constituency=form.constituency_chosen(),
                statements=form.statements(),
                person=nominee,
                organisation=organisation,
                photo=form.cleaned_data.get("photo"),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is nominated. The election committee decides whether the "
                    "candidacy is accepted."
                )
                % {"name": candidate.person.full_name},
            )
            return redirect("governance:election", found.pk)
    return render(
        request,
        "governance/nominate.html",
        {"election": found, "form": form, "has_person": person is not None, **_zone(request)},
    )


def candidates_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    if not (on_committee(user, found) or is_secretariat(user)):
        raise PermissionDenied
    may_decide = election_policy.user_has_permission_for_instance(user, "decide_candidates", found)
    failed: DecisionForm | None = None
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                candidate = Candidate.objects.get(pk=form.cleaned_data["candidate"], election=found)
            except Candidate.DoesNotExist as exc:
                raise Http404 from exc
            try:
                services.candidate_decide(
                    actor=_actor(request),
                    candidate=candidate,
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                failed = form
            else:
                messages.success(
                    request,
                    _("%(name)s: %(decision)s.")
                    % {
                        "name": candidate.person.full_name,
                        "decision": candidate.get_status_display(),
                    },
                )
                return redirect("governance:candidates_review", found.pk)
        else:
            failed = form
    sections = selectors.candidates_for_review(election=found)
    for section in sections:
        # Those waiting for a decision first.
        section.candidates.sort(key=lambda c: c.status != Candidate.Status.NOMINATED)
        for candidate in section.candidates:
            candidate.versions = statements_by_language(candidate.statements)  # type: ignore[attr-defined]
            is_failed = failed is not None and failed.data.get("candidate") == str(candidate.pk)
            candidate.decision_form = (  # type: ignore[attr-defined]
                failed
                if is_failed
                else DecisionForm(
                    initial={"candidate": candidate.pk, "note": candidate.decision_note}
                )
            )
    return render(
        request,
        "governance/candidates_review.html",
        {"election": found, "sections": sections, "may_decide": may_decide, **_zone(request)},
    )


def candidate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        found = selectors.candidate_get(user=user, pk=pk)
    except Candidate.DoesNotExist:
        return _login_or_404(request)
    may_withdraw = candidate_policy.user_has_permission_for_instance(user, "withdraw", found)
    if request.method == "POST":
        if request.POST.get("action") != "withdraw" or not may_withdraw:
            raise PermissionDenied
        services.candidate_withdraw(actor=_actor(request), candidate=found, request=request)
        messages.success(request, _("The candidacy is withdrawn."))
        return redirect("governance:election", found.election_id)
    return render(
        request,
        "governance/candidate.html",
        {
            "candidate": found,
            "election": found.election,
            "statements": statements_by_language(found.statements),
            "may_withdraw": may_withdraw,
            "on_committee": on_committee(user, found.election) or is_secretariat(user),
        },
    )


# "Read in <language>", said in the reader's language (Russian declines the name).
READ_IN = {"en": gettext_lazy("Read in English"), "ru": gettext_lazy("Read in Russian")}
WRITTEN_IN = {"en": gettext_lazy("Written in English."), "ru": gettext_lazy("Written in Russian.")}


def statements_by_language(texts: dict[str, str]) -> list[dict[str, Any]]:
    """The texts in each language they were written in, the reader's language first
    (the page shows it, and offers the others to open)."""
    reader = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    codes = [c for c in LANGUAGE_CODES if texts.get(c)]
    codes.sort(key=lambda c: c != reader)
    return [
        {
            "code": code,
            "language": language_name(code),
            "text": texts[code],
            "readers": code == reader,
            "open_label": READ_IN.get(code)
            or _("Read in %(language)s") % {"language": language_name(code)},
            "written_in": WRITTEN_IN.get(code)
            or _("Written in %(language)s.") % {"language": language_name(code)},
        }
        for code in codes
    ]


# --- voting -------------------------------------------------------------------------------------


def _entry_key(entry: RollEntry) -> str:
    return ME if entry.person_id else str(entry.organisation_id)


@never_cache
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot, then the confirmation ("you cannot change your vote"), then the cast
    and the receipt, shown once in this answer and never cached."""
    user = request.user
    found = _election(request, pk)
    if found is None:
        return _login_or_404(request)
    state = selectors.voter_state(user=user, election=found)
    context: dict[str, Any] = {
        "election": found,
        "state": state,
        "chosen": None,  # the candidates to confirm, at the confirmation step
        **_zone(request),
    }
    if found.status != Election.Status.OPEN:
        context["closed"] = True
        return render(request, "governance/vote.html", context, status=409)
    if not state.has_vote:
        context["no_vote"] = True
        return render(request, "governance/vote.html", context, status=403)
    waiting = {_entry_key(e): e for e in state.waiting}
    if not waiting:
        context["all_voted"] = True
        return render(request, "governance/vote.html", context)
    source = request.POST if request.method == "POST" else request.GET
    key = source.get("vote_for", "")
    if key not in waiting:
        if len(waiting) > 1:
            context["pick"] = list(waiting.items())
            return render(request, "governance/vote.html", context)
        key = next(iter(waiting))
    entry = waiting[key]
    sections = selectors.candidates_accepted(election=found, entry=entry)
    candidates = [c for s in sections if s.allowed for c in s.candidates]
    form = BallotForm(request.POST or None, candidates=candidates, initial={"vote_for": key})
    context.update({"entry": entry, "vote_for": key, "sections": sections, "form": form})
    # Steps: "review" shows the choices to confirm, "change" goes back to the ballot with
    # them, "cast" casts. Whatever goes wrong shows the ballot again with the choices.
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in ("review", "cast") and form.is_valid():
        try:
            chosen = choices_check(found, entry, form.cleaned_data["choices"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if step == "review":
                context["chosen"] = chosen
                return render(request, "governance/vote.html", context)
            try:
                receipt = ballot_cast(
                    actor=_actor(request),
                    election=found,
                    choices=[c.pk for c in chosen],
                    organisation_id=entry.organisation_id,
                )
            except AlreadyVoted:
                messages.error(
                    request,
                    _(
                        "This vote was already cast: a vote cannot be cast twice or changed. "
                        "Its receipt was shown once, when it was cast."
                    ),
                )
                return redirect("governance:election", found.pk)
            except PermissionDenied:
                messages.error(request, _("You no longer have this vote."))
                return redirect("governance:election", found.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request,
                    "governance/receipt.html",
                    {"election": found, "receipt": receipt, "entry": entry},
                )
    return render(request, "governance/vote.html", context)


def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: is a ballot with this receipt counted? Never what it says."""
    try:
        found = selectors.election_public_get(pk=pk)
    except Election.DoesNotExist as exc:
        raise Http404 from exc
    started = found.status in (
        Election.Status.OPEN,
        Election.Status.CLOSED,
        Election.Status.PUBLISHED,
    )
    # The page's form POSTs, so a receipt stays out of addresses, browser history and
    # access logs; `?receipt=` still works for a link someone was given.
    if request.method == "POST":
        form = ReceiptForm(request.POST)
    else:
        form = ReceiptForm(request.GET if "receipt" in request.GET else None)
    answer: bool | None = None
    throttled = False
    if started and form.is_bound and form.is_valid():
        if not throttle_hit(
            scope="governance.receipt_check",
            key=address_key(request),
            limit=RECEIPT_CHECKS_PER_HOUR,
            window=timedelta(hours=1),
        ):
            throttled = True
        else:
            answer = selectors.receipt_counted(election=found, receipt=form.cleaned_data["receipt"])
    response = render(
        request,
        "governance/receipt_check.html",
        {
            "election": found,
            "form": form,
            "answer": answer,
            "started": started,
            "throttled": throttled,
            "readable": election_policy.user_has_permission_for_instance(
                request.user, "view", found
            ),
        },
        status=429 if throttled else 200,
    )
    response["Cache-Control"] = "no-store"
    # A receipt may be in the address: it never leaves for another site. (Not
    # "no-referrer": browsers would then send the form with `Origin: null` and fail CSRF.)
    response["Referrer-Policy"] = "same-origin"
    return response


# --- results --------------------------------------------------------------------------------------


def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        found = Election.objects.select_related("roll").get(pk=pk)
    except Election.DoesNotExist as exc:
        raise Http404 from exc
    if not selectors.results_visible(user=user, election=found):
        raise Http404
    published = found.published_at is not None
    publish_form = PublishForm(request.POST or None) if not published else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                result_confirm(actor=_actor(request), election=found, request=request)
                messages.success(request, _("You confirmed the count."))
            elif action == "publish" and publish_form is not None and publish_form.is_valid():
                results_publish(
                    actor=_actor(request),
                    election=found,
                    summaries=publish_form.summaries(),
                    request=request,
                )
                messages.success(request, _("The results are published."))
            else:
                raise PermissionDenied
        except ValidationError as exc:
            if action == "publish" and publish_form is not None:
                add_service_errors(publish_form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("governance:results", found.pk)
        else:
            return redirect("governance:results", found.pk)
    confirmed = selectors.confirmations(election=found)
    confirmed_by_me = any(c.user_id == user.pk for c in confirmed)
    summaries = statements_by_language(found.result_summaries) if published else []
    return render(
        request,
        "governance/results.html",
        {
            "election": found,
            "published": published,
            "result": selectors.election_result(election=found),
            "confirmations": confirmed,
            "confirmations_needed": CONFIRMATIONS_NEEDED,
            "may_confirm": election_policy.user_has_permission_for_instance(user, "confirm", found)
            and not confirmed_by_me,
            "confirmed_by_me": confirmed_by_me,
            "may_publish": election_policy.user_has_permission_for_instance(user, "publish", found)
            and len(confirmed) >= CONFIRMATIONS_NEEDED,
            "publish_form": publish_form,
            "summary": summaries[0] if summaries else None,
            "summaries": summaries,
            "readable": election_policy.user_has_permission_for_instance(user, "view", found),
            **_zone(request),
        },
    )


def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    """The recount bulletin (every receipt, every ballot's choices, never the two together),
    once the results are published."""
    try:
        found = Election.objects.get(pk=pk, published_at__isnull=False)
    except Election.DoesNotExist as exc:
        raise Http404 from exc
    response = JsonResponse(
        {"election": found.pk, **bulletin_of(found)}, json_dumps_params={"indent": 1}
    )
    response["Content-Disposition"] = f'inline; filename="election-{found.pk}-bulletin.json"'
    return response
