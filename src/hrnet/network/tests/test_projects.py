"""Services and selectors of partners, projects, commitments and their outputs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrnet.assistance.tests.factories import AssistanceRequestFactory
from hrnet.core.models import AuditEntry
from hrnet.events.models import Event
from hrnet.events.tests.factories import EventFactory
from hrnet.library.models import Resource
from hrnet.library.tests.factories import ResourceFactory
from hrnet.network.models import CommitmentOutput, Partner, Project
from hrnet.network.selectors import projects as project_selectors
from hrnet.network.services import projects
from hrnet.network.tests.factories import (
    CommitmentFactory,
    CommitmentOutputFactory,
    PartnerFactory,
    ProjectFactory,
)
from hrnet.news.tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_partner_with_logo_and_link_is_saved_and_audited(secretariat: Any) -> None:
    partner = projects.partner_create(
        actor=secretariat,
        names={"en": "  Eurasian   Network ", "ru": "Евразийская сеть"},
        kind=Partner.Kind.COMMUNITY,
        url="https://network.example.org/",
        logo=jpeg_upload("logo.jpg"),
        logo_alt="Network logo",
    )
    partner.refresh_from_db()
    assert partner.names["en"] == "Eurasian Network"
    assert partner.logo.name.endswith(".jpg")
    assert AuditEntry.objects.filter(
        action="network.partner.create", object_id=str(partner.pk)
    ).exists()


def test_logo_of_a_forbidden_type_is_refused_with_a_message(secretariat: Any) -> None:
    svg = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")
    with pytest.raises(ValidationError) as caught:
        projects.partner_create(
            actor=secretariat, names={"en": "Donor"}, logo=svg, logo_alt="Donor logo"
        )
    assert "not a PNG, JPEG or WebP image" in caught.value.message_dict["logo"][0]
    assert not Partner.objects.exists()


def test_logo_needs_a_description(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        projects.partner_create(actor=secretariat, names={"en": "Donor"}, logo=jpeg_upload())
    assert "logo_alt" in caught.value.message_dict


@pytest.mark.parametrize("url", ["not a link", "javascript:alert(1)", "ftp://example.org/x"])
def test_a_link_that_is_not_a_web_address_is_refused(secretariat: Any, url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        projects.partner_create(actor=secretariat, names={"en": "Donor"}, url=url)
    assert url in caught.value.message_dict["url"][0]


def test_only_the_secretariat_edits_partners_and_projects(member: Any) -> None:
    with pytest.raises(PermissionDenied):
        projects.partner_create(actor=member, names={"en": "Donor"})
    with pytest.raises(PermissionDenied):
        projects.project_create(actor=member, slug="x", names={"en": "X"})


def test_project_is_created_with_donors_partners_countries(
    secretariat: Any, geography: None
) -> None:
    donor = PartnerFactory.create(kind=Partner.Kind.DONOR)
    partner = PartnerFactory.create()
    from hrnet.geo.models import Country

    project = projects.project_create(
        actor=secretariat,
        slug="Regional-Platform",
        names={"en": "Regional platform", "ru": "Региональная платформа"},
        objectives={"en": "- one\n- two"},
        donors=[donor],
        partners=[partner],
        countries=Country.objects.filter(iso2__in=["MD", "UA"]),
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        is_published=True,
    )
    assert project.slug == "regional-platform"
    assert list(project.donors.all()) == [donor]
    assert sorted(project.countries.values_list("iso2", flat=True)) == ["MD", "UA"]
    entry = AuditEntry.objects.get(action="network.project.create")
    assert entry.changes["countries"]["new"] == ["MD", "UA"]


def test_project_bad_input_is_refused_per_field(secretariat: Any) -> None:
    ProjectFactory.create(slug="taken")
    with pytest.raises(ValidationError) as caught:
        projects.project_create(
            actor=secretariat,
            slug="taken",
            names={"en": "  "},
            start_date=date(2025, 1, 1),
            end_date=date(2024, 1, 1),
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"slug", "names", "end_date"}
    with pytest.raises(ValidationError) as caught:
        projects.project_create(actor=secretariat, slug="partners", names={"en": "P"})
    assert "reserved" in caught.value.message_dict["slug"][0]


def test_unpublished_projects_are_hidden_from_the_public(
    secretariat: Any, member: Any, django_user_model: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    ProjectFactory.create(slug="open")
    ProjectFactory.create(slug="draft", is_published=False)
    for user in (AnonymousUser(), member):
        assert [p.slug for p in project_selectors.project_list(user=user)] == ["open"]
        with pytest.raises(Project.DoesNotExist):
            project_selectors.project_get(user=user, slug="draft")
    assert {p.slug for p in project_selectors.project_list(user=secretariat)} == {"open", "draft"}


def test_commitment_is_created_with_target_and_refuses_zero(secretariat: Any) -> None:
    project = ProjectFactory.create()
    commitment = projects.commitment_create(
        actor=secretariat,
        project=project,
        kind="webinar",
        descriptions={"en": "Webinars for community leaders"},
        target=5,
    )
    assert commitment.target == 5
    with pytest.raises(ValidationError) as caught:
        projects.commitment_update(
            commitment=commitment, actor=secretariat, kind="webinar", target=0
        )
    assert "target" in caught.value.message_dict
    with pytest.raises(ValidationError):
        projects.commitment_create(actor=secretariat, project=project, kind="party")


def test_output_is_linked_once_per_commitment_and_unlinked(secretariat: Any) -> None:
    commitment = CommitmentFactory.create()
    event = EventFactory.create()
    output = projects.commitment_output_link(actor=secretariat, commitment=commitment, event=event)
    with pytest.raises(ValidationError) as caught:
        projects.commitment_output_link(actor=secretariat, commitment=commitment, event=event)
    assert "already an output" in caught.value.message_dict["record"][0]
    # Another commitment may count the same event.
    projects.commitment_output_link(
        actor=secretariat,
        commitment=CommitmentFactory.create(project=commitment.project),
        event=event,
    )
    projects.commitment_output_unlink(actor=secretariat, output=output)
    assert not CommitmentOutput.objects.filter(commitment=commitment).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(commitment.pk)).values_list("action", flat=True)
    )
    assert "network.commitment_output.link" in actions
    assert "network.commitment_output.unlink" in actions


def test_members_may_not_link_outputs(member: Any) -> None:
    with pytest.raises(PermissionDenied):
        projects.commitment_output_link(
            actor=member, commitment=CommitmentFactory.create(), event=EventFactory.create()
        )


def test_progress_counts_outputs_and_lists_what_the_viewer_may_see(
    secretariat: Any, geography: None
) -> None:
    from django.contrib.auth.models import AnonymousUser

    # given a commitment with a public event, a draft event, a members-only resource,
    # an assistance request and a trashed event
    commitment = CommitmentFactory.create(target=5)
    public_event = EventFactory.create(titles={"en": "Webinar on donor rules"})
    CommitmentOutputFactory.create(commitment=commitment, event=public_event)
    CommitmentOutputFactory.create(
        commitment=commitment, event=EventFactory.create(status=Event.Status.DRAFT)
    )
    members_only = ResourceFactory.create(visibility=Resource.Visibility.MEMBERS)
    CommitmentOutputFactory.create(commitment=commitment, resource=members_only)
    help_request = AssistanceRequestFactory.create(title="Help with the funding request")
    CommitmentOutputFactory.create(commitment=commitment, assistance_request=help_request)
    trashed = EventFactory.create()
    CommitmentOutputFactory.create(commitment=commitment, event=trashed)
    Event.all_objects.filter(pk=trashed.pk).update(deleted_at=timezone.now())

    # when the public looks
    [public] = project_selectors.commitment_progress(
        user=AnonymousUser(), project=commitment.project
    )
    # then everything not in the trash counts; only the public event is listed
    assert public.count == 4
    assert public.target == 5
    assert public.events == [public_event]
    assert public.resources == []
    assert public.assistance_count == 1
    assert public.assistance_requests == []
    assert public.not_listed == 2

    [inside] = project_selectors.commitment_progress(user=secretariat, project=commitment.project)
    assert inside.assistance_requests == [help_request]
    assert inside.resources == [members_only]
    assert inside.not_listed == 0

    listed = project_selectors.project_list(user=AnonymousUser()).get()
    assert [getattr(c, "outputs_count", None) for c in listed.commitments.all()] == [4]


def test_output_candidates_find_titles_in_any_language(secretariat: Any) -> None:
    event = EventFactory.create(
        titles={"en": "Community leaders webinar", "ru": "Вебинар для лидеров"}
    )
    EventFactory.create(titles={"en": "Something else"})
    assert project_selectors.output_candidates(user=secretariat, kind="event", query="leaders") == [
        event
    ]
    assert project_selectors.output_candidates(user=secretariat, kind="event", query="лидеров") == [
        event
    ]
    resource = ResourceFactory.create(title="Overview of donor documents")
    found = project_selectors.output_candidates(user=secretariat, kind="resource", query="donor")
    assert found == [resource]
    with pytest.raises(ValidationError):
        project_selectors.output_record_get(user=secretariat, kind="event", pk=999999)


def test_demo_project_links_existing_records_and_runs_twice(geography: None, settings: Any) -> None:
    from hrnet.core.demo import demo_users_create
    from hrnet.network.demo import network_demo_projects_create

    # given the demo's logins, a webinar, a training and an overview of donor documents
    settings.DEBUG = True
    demo_users_create()
    webinar = EventFactory.create(titles={"en": "Webinar before the board meeting"})
    EventFactory.create(kind=Event.Kind.TRAINING)
    ResourceFactory.create(type=Resource.Type.OVERVIEW)

    # when the demo runs twice
    project = network_demo_projects_create()
    network_demo_projects_create()

    # then one published project with four commitments and each record linked once
    assert project is not None
    assert Project.objects.filter(slug=project.slug).count() == 1
    assert project.is_published
    assert project.commitments.count() == 4
    assert CommitmentOutput.objects.filter(commitment__project=project).count() == 3
    assert project.donors.get().kind == Partner.Kind.DONOR
    assert all(p.logo for p in Partner.objects.all())
    [webinars] = [
        item
        for item in project_selectors.commitment_progress(user=None, project=project)
        if item.commitment.kind == "webinar"
    ]
    assert webinars.events == [webinar]
    assert webinars.target == 6
