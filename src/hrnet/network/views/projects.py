"""Pages of projects and partners: the published projects, a project's page (commitments
with progress against their targets, partners, countries, period), and the secretariat's
editors of projects, commitments, outputs and partners."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrnet.core.forms import add_service_errors
from hrnet.core.i18n import localized
from hrnet.core.policies import policy_required
from hrnet.core.rendering import body_html
from hrnet.network.forms.projects import (
    CommitmentForm,
    OutputLinkForm,
    OutputSearchForm,
    PartnerForm,
    ProjectForm,
)
from hrnet.network.models import Commitment, CommitmentOutput, Partner, Project
from hrnet.network.policies import (
    commitment_output_policy,
    commitment_policy,
    partner_policy,
    project_policy,
)
from hrnet.network.selectors import projects as selectors
from hrnet.network.services import projects as services


def _project(request: HttpRequest, slug: str) -> Project:
    try:
        return selectors.project_get(user=request.user, slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404 from exc


def _project_for_change(request: HttpRequest, slug: str) -> Project:
    try:
        return selectors.project_for_change(user=request.user, slug=slug)
    except Project.DoesNotExist as exc:
        raise Http404 from exc


def project_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/projects/project_list.html",
        {
            "projects": selectors.project_list(user=request.user),
            "may_add": project_policy.user_has_permission(request.user, "add"),
        },
    )


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    may_change = project_policy.user_has_permission_for_instance(request.user, "change", project)
    return render(
        request,
        "network/projects/project_detail.html",
        {
            "project": project,
            "summary": body_html(localized(project.summaries)),
            "objectives": body_html(localized(project.objectives)),
            "progress": selectors.commitment_progress(user=request.user, project=project),
            "may_change": may_change,
        },
    )


@policy_required(project_policy, "add")
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("network:project_detail", slug=project.slug)
    return render(request, "network/projects/project_form.html", {"form": form, "project": None})


@policy_required(project_policy, "change")
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_for_change(request, slug)
    form = ProjectForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                project=project, actor=request.user, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("network:project_detail", slug=project.slug)
    project.refresh_from_db()
    return render(request, "network/projects/project_form.html", {"form": form, "project": project})


@policy_required(commitment_policy, "add")
def commitment_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project_for_change(request, slug)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_create(
                actor=request.user, project=project, request=request, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect("network:project_detail", slug=project.slug)
    return render(
        request,
        "network/projects/commitment_form.html",
        {"form": form, "project": project, "commitment": None},
    )


def _commitment(request: HttpRequest, project: Project, pk: int) -> Commitment:
    try:
        return selectors.commitment_for_change(user=request.user, project=project, pk=pk)
    except Commitment.DoesNotExist as exc:
        raise Http404 from exc


@policy_required(commitment_policy, "change")
def commitment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_for_change(request, slug)
    commitment = _commitment(request, project, pk)
    form = CommitmentForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                commitment=commitment,
                actor=request.user,
                request=request,
                **{"position": commitment.position, **form.service_arguments()},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect("network:project_detail", slug=project.slug)
    return render(
        request,
        "network/projects/commitment_form.html",
        {"form": form, "project": project, "commitment": commitment},
    )


@policy_required(commitment_output_policy, "add")
def output_link(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the outputs linked so far and a search by title; POST: link one record."""
    project = _project_for_change(request, slug)
    commitment = _commitment(request, project, pk)
    search = OutputSearchForm(request.GET or {"kind": "event"})
    candidates: list[Any] = []
    if search.is_valid():
        candidates = selectors.output_candidates(
            user=request.user, kind=search.cleaned_data["kind"], query=search.cleaned_data["q"]
        )
    form = OutputLinkForm(request.POST or None, initial={"kind": search.data.get("kind")})
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            record = selectors.output_record_get(
                user=request.user, kind=kind, pk=form.cleaned_data["record"]
            )
            linked: dict[str, Any] = {kind: record}
            services.commitment_output_link(
                actor=request.user, commitment=commitment, request=request, **linked
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(record)s” is linked to the commitment.")
                % {"record": selectors.output_title(record)},
            )
            return redirect("network:output_link", slug=project.slug, pk=commitment.pk)
    outputs = commitment.outputs.select_related("event", "resource", "assistance_request")
    return render(
        request,
        "network/projects/output_link.html",
        {
            "project": project,
            "commitment": commitment,
            "search": search,
            "candidates": [(record, selectors.output_title(record)) for record in candidates],
            "kind": search.data.get("kind", "event"),
            "form": form,
            "outputs": [(o, selectors.output_title(_record(o))) for o in outputs.order_by("pk")],
        },
    )


def _record(output: CommitmentOutput) -> Any:
    return output.event or output.resource or output.assistance_request


@require_POST
@policy_required(commitment_output_policy, "delete")
def output_unlink(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project_for_change(request, slug)
    try:
        output = selectors.output_get(user=request.user, project=project, pk=pk)
    except CommitmentOutput.DoesNotExist as exc:
        raise Http404 from exc
    commitment_pk = output.commitment_id
    services.commitment_output_unlink(actor=request.user, output=output, request=request)
    messages.success(request, _("The output is no longer linked."))
    return redirect("network:output_link", slug=project.slug, pk=commitment_pk)


def partner_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/projects/partner_list.html",
        {
            "partners": selectors.partner_list(user=request.user),
            "may_add": partner_policy.user_has_permission(request.user, "add"),
        },
    )


@policy_required(partner_policy, "add")
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_create(actor=request.user, request=request, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("network:partner_list")
    return render(request, "network/projects/partner_form.html", {"form": form, "partner": None})


@policy_required(partner_policy, "change")
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = Partner.objects.filter(pk=pk).first()
    if partner is None:
        raise Http404
    form = PartnerForm(request.POST or None, request.FILES or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner,
                actor=request.user,
                request=request,
                logo_clear=bool(form.cleaned_data.get("logo_clear")),
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("network:partner_list")
    return render(request, "network/projects/partner_form.html", {"form": form, "partner": partner})


urlpatterns: list[URLPattern] = [
    path("projects/", project_list, name="project_list"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/partners/", partner_list, name="partner_list"),
    path("projects/partners/new/", partner_create, name="partner_create"),
    path("projects/partners/<int:pk>/edit/", partner_edit, name="partner_edit"),
    path("projects/<slug:slug>/", project_detail, name="project_detail"),
    path("projects/<slug:slug>/edit/", project_edit, name="project_edit"),
    path("projects/<slug:slug>/commitments/new/", commitment_create, name="commitment_create"),
    path(
        "projects/<slug:slug>/commitments/<int:pk>/edit/", commitment_edit, name="commitment_edit"
    ),
    path("projects/<slug:slug>/commitments/<int:pk>/outputs/", output_link, name="output_link"),
    path("projects/<slug:slug>/outputs/<int:pk>/unlink/", output_unlink, name="output_unlink"),
]
