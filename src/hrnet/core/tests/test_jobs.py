"""Uploading an import: the job, its progress bar and its report."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hrnet.core.models import TaskProgress
from hrnet.core.progress import job_start, job_update, render_bar
from hrnet.geo.models import CountryAlias


def _upload(text: str, name: str = "aliases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_secretariat_uploads_an_import_and_sees_its_report(
    client, secretariat, geography, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("geo:geography_import", args=["aliases"]),
            {"file": _upload("country,alias\nMD,Moldavian Republic\n")},
        )
    response = client.get(response["Location"])

    job = TaskProgress.objects.get()
    assert job.status == TaskProgress.Status.DONE
    assert job.owner == secretariat
    assert CountryAlias.objects.filter(name="Moldavian Republic").exists()
    assert response.request["PATH_INFO"] == reverse("core:job_detail", args=[job.pk])
    content = response.content.decode()
    assert "Rows read: 1. Rows written: 1." in content
    assert 'value="100"' in content


def test_a_rejected_upload_lists_every_bad_line_and_writes_nothing(
    client, secretariat, geography, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("geo:geography_import", args=["aliases"]),
            {"file": _upload("country,alias\nMD,Moldavian Republic\nNarnia,X\nUA,\n")},
        )
    response = client.get(response["Location"])

    job = TaskProgress.objects.get()
    content = response.content.decode()
    assert job.status == TaskProgress.Status.FAILED
    assert [e["line"] for e in job.result["errors"]] == [3, 4]
    assert "Nothing was written" in content
    assert "Narnia" in content
    assert not CountryAlias.objects.filter(name="Moldavian Republic").exists()


def test_an_unsupported_file_type_is_refused_on_the_form(client, secretariat, geography):
    client.force_login(secretariat)

    response = client.post(
        reverse("geo:geography_import", args=["aliases"]),
        {"file": _upload("whatever", name="aliases.pdf")},
    )

    assert response.status_code == 200
    assert "Unsupported file type" in response.content.decode()
    assert not TaskProgress.objects.exists()


def test_members_may_not_import_geography(client, member, geography):
    client.force_login(member)

    response = client.post(
        reverse("geo:geography_import", args=["aliases"]),
        {"file": _upload("country,alias\nMD,X\n")},
    )

    assert response.status_code == 403
    assert not CountryAlias.objects.filter(name="X").exists()


def test_progress_fragment_polls_until_the_job_is_finished(client, secretariat):
    job = job_start(name="Country aliases", owner=secretariat, total=400)
    job_update(job, done=100)
    client.force_login(secretariat)
    url = reverse("core:job_progress", args=[job.pk])

    running = client.get(url, HTTP_HX_REQUEST="true")
    job.status = TaskProgress.Status.DONE
    job.save()
    finished = client.get(url, HTTP_HX_REQUEST="true")

    assert 'value="25"' in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "hx-trigger" not in finished.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_someone_elses_job_is_not_found(client, member, make_user):
    job = job_start(name="Country aliases", owner=make_user("member"))
    client.force_login(member)

    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_cli_progress_bar_rendering():
    assert render_bar(60, 200, width=10) == "[###.......] 60/200 (30%)"
    assert render_bar(0, 0, width=4) == "[####] 0/0 (100%)"


def test_a_job_is_named_in_the_readers_language_whoever_started_it(client, secretariat):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("ru"):
        job_start(name=gettext_lazy("Background jobs"), owner=secretariat)
    client.force_login(secretariat)

    english = client.get("/en/jobs/").content.decode()
    russian = client.get("/ru/jobs/").content.decode()

    assert TaskProgress.objects.get().name == "Background jobs"  # the msgid, not a translation
    assert english.count("Background jobs") >= 2  # the heading and the job
    assert russian.count("Фоновые задачи") >= 2
